package locks

import (
	"context"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/workloads"
)

// runMap executes a short closed-loop run of impl under mix over keys, as loadgen
// does, and returns the result.
func runMap(t *testing.T, impl impls.Impl, mix string, keys int) map[string]float64 {
	t.Helper()
	m, err := workloads.ParseMix(mix)
	if err != nil {
		t.Fatal(err)
	}
	spec := workloads.DefaultSpec()
	spec.Concurrency, spec.Keys, spec.Mix = 2, keys, m
	// The run ends after MaxOps measured ops, not after a wall-clock window: a
	// 20 ms window on a loaded machine can pass without a single op.
	spec.Warmup, spec.Duration, spec.Interval = 20*time.Millisecond, 10*time.Second, 10*time.Millisecond
	spec.MaxOps = 4000
	res, err := workloads.Execute(context.Background(), workloads.Job{Impl: impl, Spec: spec})
	if err != nil {
		t.Fatalf("Execute: %v", err)
	}
	if res.Params.Mix != m.String() || res.Params.ReadRatio != m.Share(impls.OpRead) {
		t.Errorf("result params say mix %q, read ratio %v; want %q, %v", res.Params.Mix, res.Params.ReadRatio, m.String(), m.Share(impls.OpRead))
	}
	if res.Counts.Completed == 0 {
		t.Fatal("the run completed no op")
	}
	return res.ImplStats
}

// TestLoadOnlyRunsNeverMiss shows the fill lands before the warm-up: a run of
// loads only, warm-up included, finds every key.
func TestLoadOnlyRunsNeverMiss(t *testing.T) {
	for _, impl := range mapImpls(t) {
		t.Run(impl.Name+" loads hit every time from the first warm-up op", func(t *testing.T) {
			stats := runMap(t, impl, "load=100", 64)
			if stats["loads_missed"] != 0 || stats["loads_hit"] == 0 {
				t.Errorf("%v loads hit and %v missed, want every load to hit", stats["loads_hit"], stats["loads_missed"])
			}
			if stats["entries_filled"] != 64 || stats["entries_final"] != 64 {
				t.Errorf("entries filled %v, final %v; want 64 and 64", stats["entries_filled"], stats["entries_final"])
			}
			if n := stats["stores_inserted"] + stats["stores_overwrote"] + stats["deletes_removed"] + stats["deletes_missed"]; n != 0 {
				t.Errorf("%v stores and deletes in a load-only run", n)
			}
		})
	}
}

// TestChurnRunsKeepTheEntryCount runs xsync's heaviest published mix through the
// driver: the run must verify, and the entries left must be the fill plus the
// inserts minus the removals.
func TestChurnRunsKeepTheEntryCount(t *testing.T) {
	for _, impl := range mapImpls(t) {
		t.Run(impl.Name+" under load=75,store=12.5,delete=12.5", func(t *testing.T) {
			stats := runMap(t, impl, "load=75,store=12.5,delete=12.5", 16)
			if got, want := stats["entries_final"], 16+stats["stores_inserted"]-stats["deletes_removed"]; got != want {
				t.Errorf("entries_final = %v, want %v (16 filled + %v inserted − %v removed)", got, want, stats["stores_inserted"], stats["deletes_removed"])
			}
			if stats["deletes_removed"] == 0 || stats["stores_inserted"] == 0 {
				t.Errorf("no churn: %v removed, %v inserted", stats["deletes_removed"], stats["stores_inserted"])
			}
		})
	}
}
