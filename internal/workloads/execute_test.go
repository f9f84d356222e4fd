package workloads

import (
	"context"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
)

func executeNoop(t *testing.T, spec Spec) *result.Result {
	t.Helper()
	noop, ok := impls.Lookup(impls.NoopName)
	if !ok {
		t.Fatal("noop is not registered")
	}
	res, err := Execute(context.Background(), Job{Impl: noop, Spec: spec, Floor: result.Floor{NsPerOp: 5, FullNsPerOp: 100}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestATargetTakingNoCPUReportsNoCPUInAnOpenLoop(t *testing.T) {
	// The pacer waits for every instant, so the process's CPU per op is
	// microseconds to hundreds of microseconds; the noop target's own is a few
	// ns. The figure shown as the target's must be the target's.
	spec := testSpec()
	spec.Rate, spec.Duration = 5000, 400*time.Millisecond
	res := executeNoop(t, spec)
	rt := res.Extras[result.RuntimeExtrasKey]
	perOp, _ := rt["cpu_ns_per_op"].(float64)
	sampled, _ := rt["cpu_sample_ops"].(float64)
	if rt["cpu_method"] != metrics.CPUMethodThreadControl || sampled < 50 {
		t.Fatalf("cpu method %v on %v ops, want the thread sample", rt["cpu_method"], sampled)
	}
	// The noop's spans and the controls run the same code, so the figure is
	// 0 give or take the two sample means' noise (a few ns); 500 ns leaves
	// room for the race detector on a loaded machine. The exact check is
	// TestOpenLoopCPUPerOpIsTheTargetsAlone, on a fake thread clock.
	if perOp > 500 {
		t.Fatalf("noop target CPU/op = %.0f ns (process: %v ns/op): the harness's CPU is shown as the target's", perOp, rt["process_cpu_ns_per_op"])
	}
	if res.Harness == nil || res.Harness.Pacer == "" || res.Harness.CPUNs <= 0 {
		t.Fatalf("harness figures %+v, want the pacer and its CPU apart from the target's", res.Harness)
	}
}

func TestAResultCarriesTheSplitsTimingAndNoClosedLoopLag(t *testing.T) {
	spec := testSpec()
	spec.Sample = 1.0 / 16
	res := executeNoop(t, spec)
	if res.Latency.Lag != nil || res.Histogram.Lag != "" {
		t.Errorf("closed loop has a lag: %+v", res.Latency.Lag)
	}
	if res.Timing == nil || res.Timing.Mode != "sampled" || res.Timing.Fraction != 1.0/16 || res.Timing.Samples != res.Latency.Response.Count {
		t.Errorf("timing %+v for %d response values, want sampled at 1/16", res.Timing, res.Latency.Response.Count)
	}
	var kinds, outcomes int64
	for _, s := range res.Split {
		if s.Kind != "" {
			kinds += s.Count
		} else {
			outcomes += s.Count
		}
	}
	if kinds != res.Counts.Completed || outcomes != res.Counts.Completed {
		t.Errorf("splits count %d by kind and %d by outcome, want %d each", kinds, outcomes, res.Counts.Completed)
	}
	if err := res.Validate(); err != nil {
		t.Fatal(err)
	}
	if res.Saturated || res.Counts.Unfinished != 0 {
		t.Errorf("a noop run is saturated (%d unfinished)", res.Counts.Unfinished)
	}
}
