package workloads

import (
	"context"
	"sync/atomic"
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
	// The sampler measures 500 ops a second of the offered 5000 (a tenth); a
	// machine stalled by other work runs fewer of the window's 2000 ops, and
	// 36 samples were seen, so the count asked is a fortieth of those run.
	if ran := float64(res.Counts.Completed); rt["cpu_method"] != metrics.CPUMethodThreadControl || sampled < ran/40 || sampled == 0 {
		t.Fatalf("cpu method %v on %v of %v ops, want the thread sample on about a tenth", rt["cpu_method"], sampled, ran)
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

// keyedProbe is a target that records the largest key it was given and the key
// count it was built with, to check that the spec and the config agree.
type keyedProbe struct {
	cfgKeys int
	maxKey  atomic.Uint64
}

func (p *keyedProbe) Do(_ context.Context, op impls.Op) impls.Outcome {
	for {
		m := p.maxKey.Load()
		if op.Key <= m || p.maxKey.CompareAndSwap(m, op.Key) {
			return impls.OK
		}
	}
}
func (p *keyedProbe) Verify() error { return nil }
func (p *keyedProbe) Close() error  { return nil }

func TestAnImplsDefaultKeysReachTheOpsTheTargetAndTheResult(t *testing.T) {
	probe := &keyedProbe{}
	impl := impls.Impl{Name: "probe", Family: impls.FamilyLocks, DefaultKeys: 64, New: func(cfg impls.Config) (impls.Target, error) {
		probe.cfgKeys = cfg.Keys
		return probe, nil
	}}
	spec := testSpec()
	spec.Concurrency, spec.MaxOps, spec.Duration = 1, 20000, time.Minute
	res, err := Execute(context.Background(), Job{Impl: impl, Spec: spec})
	if err != nil {
		t.Fatal(err)
	}
	if probe.cfgKeys != 64 || res.Params.Keys != 64 {
		t.Errorf("target built with %d keys, result records %d: want the default 64 in both", probe.cfgKeys, res.Params.Keys)
	}
	// 20000 uniform draws over 64 keys reach key 63 unless the generator is
	// broken: the chance of missing it is (63/64)^20000, about 1e-137.
	if got := probe.maxKey.Load(); got != 63 {
		t.Errorf("the largest key drawn was %d, want 63", got)
	}
	spec.Keys = 1
	probe.maxKey.Store(0)
	if res, err = Execute(context.Background(), Job{Impl: impl, Spec: spec}); err != nil {
		t.Fatal(err)
	}
	if probe.cfgKeys != 1 || res.Params.Keys != 1 || probe.maxKey.Load() != 0 {
		t.Errorf("with Spec.Keys 1: built with %d keys, recorded %d, largest key %d: want 1, 1, 0", probe.cfgKeys, res.Params.Keys, probe.maxKey.Load())
	}
}
