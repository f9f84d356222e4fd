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

// allocSink keeps an allocating target's buffers reachable, so they are on
// the heap.
var allocSink atomic.Pointer[[allocatorBytes]byte]

// allocatorBytes is what an allocator allocates an op: one object, of a size
// class (so no rounding) that holds no pointers.
const allocatorBytes = 1024

// allocator allocates exactly allocatorBytes per op.
type allocator struct{}

func (allocator) Do(context.Context, impls.Op) impls.Outcome {
	allocSink.Store(new([allocatorBytes]byte))
	return impls.OK
}
func (allocator) Verify() error { return nil }
func (allocator) Close() error  { return nil }

// executeTarget runs target under spec and returns its runtime figures.
func executeTarget(t *testing.T, name string, target impls.Target, spec Spec, hooks ...Hooks) map[string]any {
	t.Helper()
	impl := impls.Impl{Name: name, Family: "test", New: func(impls.Config) (impls.Target, error) { return target, nil }}
	job := Job{Impl: impl, Spec: spec, Floor: result.Floor{NsPerOp: 5, FullNsPerOp: 100}}
	if len(hooks) > 0 {
		job.Hooks = hooks[0]
	}
	res, err := Execute(context.Background(), job)
	if err != nil {
		t.Fatal(err)
	}
	rt := res.Extras[result.RuntimeExtrasKey]
	if res.Harness == nil || res.Harness.AllocBytes == 0 {
		t.Fatalf("harness figures %+v: no harness allocations, though the recorder made its histograms in the run", res.Harness)
	}
	return rt
}

// The harness's allocations (the recorder's histograms, made as a run first
// records each kind and outcome) are the harness's, not the target's: a target
// that allocates nothing reports about nothing per op, and one that allocates
// N bytes an op reports N. The counts are exact (ReadMemStats at the window's
// ends, the harness's ledger), so the check is on counts, not rates: beyond
// its own, the target may be charged only the harness's fixed cost of a run
// outside the ledger (the pacer, the workers' generators and samplers, timers:
// about a hundred objects and 20 KiB), however many ops it ran, and what else
// the process allocated meanwhile (the counts are process-wide: once in a
// dozen runs, ~140 KiB of the runtime's own or a previous run's).
func TestAllocationsPerOpAreTheTargetsAlone(t *testing.T) {
	if raceDetector {
		t.Skip("the race detector allocates on its own")
	}
	const (
		n          = allocatorBytes
		spareAlloc = 200 // objects per run
		spareBytes = 256 << 10
	)
	open := testSpec()
	open.Rate, open.Duration = 5000, 400*time.Millisecond
	closed := testSpec()
	// A hook that allocates as the run goes (an interval log's encoder does,
	// per count): its allocations are the harness's too.
	var hookSink [][]byte
	allocatingHooks := Hooks{OnSample: func(metrics.IntervalSample, int64, int64) {
		for range 1000 {
			hookSink = append(hookSink, make([]byte, 64))
		}
	}}
	for _, c := range []struct {
		name   string
		spec   Spec
		target impls.Target
		perOp  int // bytes the target allocates an op, in one object; 0 for none
		hooks  Hooks
	}{
		{"noop in an open loop", open, nil, 0, Hooks{}},
		{"1 KiB an op in an open loop", open, allocator{}, n, Hooks{}},
		{"noop in a closed loop", closed, nil, 0, Hooks{}},
		{"1 KiB an op in a closed loop", closed, allocator{}, n, Hooks{}},
		{"noop in an open loop with a hook that allocates", open, nil, 0, allocatingHooks},
	} {
		t.Run(c.name, func(t *testing.T) {
			target := c.target
			if target == nil {
				noop, _ := impls.Lookup(impls.NoopName)
				target, _ = noop.New(impls.Config{})
			}
			rt := executeTarget(t, c.name, target, c.spec, c.hooks)
			ops := result.ExtraFloat(rt["ops"])
			objects := result.ExtraFloat(rt["allocs_per_op"]) * ops
			bytes := result.ExtraFloat(rt["alloc_bytes_per_op"]) * ops
			wantObjects, wantBytes := 0.0, 0.0
			if c.perOp > 0 {
				wantObjects, wantBytes = ops, float64(c.perOp)*ops
			}
			if objects < wantObjects-0.5 || objects > wantObjects+spareAlloc || bytes < wantBytes-0.5 || bytes > wantBytes+spareBytes {
				t.Errorf("target charged %.0f objects, %.0f B over %.0f ops; want %.0f (+%d) and %.0f (+%d) (process: %v objects, %v B; harness %v, %v B)",
					objects, bytes, ops, wantObjects, spareAlloc, wantBytes, spareBytes,
					rt["allocs"], rt["alloc_bytes"], rt["harness_allocs"], rt["harness_alloc_bytes"])
			}
		})
	}
	if len(hookSink) == 0 {
		t.Error("the allocating hook never ran")
	}
}
