package bench_test

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/syncbench/syncbench/bench"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/locks"
)

// countingLock counts Lock calls; the test reads the count after the run.
type countingLock struct {
	sync.Mutex
	n int
}

func (l *countingLock) Lock() { l.Mutex.Lock(); l.n++ }

func TestRunTargetRunsEveryOpAndReportsTheSampledPercentiles(t *testing.T) {
	lock := &countingLock{}
	w, _ := bench.Find(impls.FamilyLocks, "write")
	res := testing.Benchmark(func(b *testing.B) {
		lock.n = 0
		bench.RunTarget(b, func(cfg impls.Config) (impls.Target, error) { return locks.NewTarget(lock, cfg) }, w, impls.Config{})
	})
	if res.N == 0 || lock.n != res.N {
		t.Fatalf("%d ops benchmarked, %d Lock calls in the last run: want every op one Lock", res.N, lock.n)
	}
	if res.Extra["p50-ns"] <= 0 || res.Extra["p99-ns"] < res.Extra["p50-ns"] {
		t.Fatalf("percentiles %v, want 0 < p50 <= p99", res.Extra)
	}
	// Every op takes the lock, so the process spent CPU on each: cpu-ns/op is
	// positive (and on this unix system it is always reported).
	if runtime.GOOS != "windows" && res.Extra["cpu-ns/op"] <= 0 {
		t.Fatalf("cpu-ns/op = %v, want > 0", res.Extra["cpu-ns/op"])
	}
	// The process ran, so it ran on some share of a core, and never on more
	// than the machine has.
	if cores := res.Extra["cores"]; runtime.GOOS != "windows" && !(cores > 0 && cores <= float64(runtime.NumCPU())+0.5) {
		t.Fatalf("cores = %v, want in (0, %d]", cores, runtime.NumCPU())
	}
}

// broken fails its invariant check, as a lock that lost an update does.
type broken struct{}

func (broken) Do(context.Context, impls.Op) impls.Outcome { return impls.OK }
func (broken) Verify() error                              { return &impls.InvariantError{Impl: "broken", Detail: "1 update lost"} }
func (broken) Close() error                               { return nil }

func TestAViolatedInvariantFailsTheBenchmark(t *testing.T) {
	w, _ := bench.Find(impls.FamilyHarness, "read")
	newBroken := func(impls.Config) (impls.Target, error) { return broken{}, nil }
	for name, run := range map[string]func(*testing.B){
		"closed": func(b *testing.B) { bench.RunTarget(b, newBroken, w, impls.Config{}) },
		"open":   func(b *testing.B) { bench.RunOpen(b, newBroken, w, impls.Config{}, 10000) },
	} {
		if res := testing.Benchmark(run); res.N != 0 {
			t.Errorf("%s: a failed Verify still gave a result of %d ops", name, res.N)
		}
	}
}

func TestRunOpenReportsLatencyAtTheOfferedRate(t *testing.T) {
	noop, _ := impls.Lookup(impls.NoopName)
	w, _ := bench.Find(impls.FamilyHarness, "read")
	res := testing.Benchmark(func(b *testing.B) { bench.RunOpen(b, noop.New, w, impls.Config{}, 20000) })
	for _, unit := range []string{"p50-ns", "p99-ns", "p999-ns", "achieved-ops/s"} {
		if res.Extra[unit] <= 0 {
			t.Errorf("%s = %v, want it reported", unit, res.Extra[unit])
		}
	}
	if got := res.Extra["achieved-ops/s"]; got > 20000*1.05 {
		t.Errorf("achieved %.0f ops/s, more than the 20000 offered", got)
	}
}

func TestFindKnowsEveryFamilysWorkloads(t *testing.T) {
	for _, family := range []string{impls.FamilyLocks, impls.FamilySemaphores, impls.FamilyLimiters, impls.FamilyHarness} {
		ws := bench.Workloads(family)
		if len(ws) == 0 {
			t.Fatalf("%s has no workloads", family)
		}
		for _, w := range ws {
			if got, ok := bench.Find(family, w.Name); !ok || got.Name != w.Name {
				t.Errorf("Find(%s, %s) = %v, %v", family, w.Name, got.Name, ok)
			}
		}
	}
	if _, ok := bench.Find(impls.FamilyLocks, "nope"); ok {
		t.Error("Find found a workload that does not exist")
	}
}

// keyProbe records which keys its ops used.
type keyProbe struct {
	seen [64]atomic.Bool
	over atomic.Bool // a key at or above the configured count
}

func (p *keyProbe) Do(_ context.Context, op impls.Op) impls.Outcome {
	if op.Key >= uint64(len(p.seen)) {
		p.over.Store(true)
		return impls.OK
	}
	p.seen[op.Key].Store(true)
	return impls.OK
}
func (p *keyProbe) Verify() error { return nil }
func (p *keyProbe) Close() error  { return nil }

func TestRunTargetSpreadsOpsOverTheConfiguredKeys(t *testing.T) {
	probe := &keyProbe{}
	w, _ := bench.Find(impls.FamilyLocks, "read-heavy")
	var built int
	testing.Benchmark(func(b *testing.B) {
		bench.RunTarget(b, func(cfg impls.Config) (impls.Target, error) { built = cfg.Keys; return probe, nil }, w, impls.Config{Keys: 64})
	})
	if built != 64 || probe.over.Load() {
		t.Fatalf("built with %d keys, a key out of range: %v; want 64 and none", built, probe.over.Load())
	}
	for k := range probe.seen {
		if !probe.seen[k].Load() {
			t.Errorf("key %d never used: ops are not spread over the 64 keys", k)
		}
	}
}

func TestRunGivesAnImplItsDefaultKeys(t *testing.T) {
	probe := &keyProbe{}
	var built int
	impl := impls.Impl{Name: "probe", Family: impls.FamilyLocks, DefaultKeys: 64, New: func(cfg impls.Config) (impls.Target, error) {
		built = cfg.Keys
		return probe, nil
	}}
	testing.Benchmark(func(b *testing.B) { bench.Run(b, impl, "read-heavy", impls.Config{}) })
	if built != 64 || !probe.seen[63].Load() || probe.over.Load() {
		t.Fatalf("built with %d keys, key 63 used: %v, a key out of range: %v; want 64, true, false", built, probe.seen[63].Load(), probe.over.Load())
	}
}
