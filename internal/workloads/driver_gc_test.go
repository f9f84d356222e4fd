package workloads

import (
	"context"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// A run collects garbage before it starts, with a warm-up or without, so that
// its window does not meet a collection of earlier runs' garbage; with a
// warm-up, once more after the cells for the window are made halfway through
// it, so that the window does not open on a heap those cells took to the edge
// of its goal (the next allocation, the target's or the runtime's, would start
// a collection of the harness's memory inside the window: atomic with 8
// workers showed 1 GC cycle). Automatic collection is off here: only the
// driver's own can count.
func TestTheWindowOpensOnACollectedHeap(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	noop, _ := impls.Lookup(impls.NoopName)
	for _, c := range []struct {
		name        string
		warmup      time.Duration
		rate        float64
		collections uint32 // at least, before the window opens
	}{
		{"an open loop with a warm-up", 600 * time.Millisecond, 2000, 2},
		{"an open loop without one", 0, 2000, 1},
		{"a closed loop with a warm-up", 600 * time.Millisecond, 0, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			target, err := noop.New(impls.Config{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			spec := DefaultSpec()
			spec.Rate, spec.Concurrency = c.rate, 2
			spec.Duration, spec.Warmup = 100*time.Millisecond, c.warmup
			before := numGC()
			first := &firstOpGC{Target: target}
			var atOpen uint32
			if _, err := Drive(context.Background(), first, spec, Hooks{OnMeasureStart: func() { atOpen = numGC() }}); err != nil {
				t.Fatal(err)
			}
			if atOpen-before < c.collections {
				t.Errorf("%d garbage collections between the run's start and its window, want at least %d", atOpen-before, c.collections)
			}
			// Before the first op, not during the warm-up: there it held up
			// the collector's goroutine, and the window's figures opened late.
			if got := first.numGC.Load(); got == before {
				t.Errorf("the collection came after the run's first op (%d before the run, %d at its first op)", before, got)
			}
		})
	}
}

func numGC() uint32 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.NumGC
}

// firstOpGC is a target that notes the GC count at its first op.
type firstOpGC struct {
	impls.Target
	once  sync.Once
	numGC atomic.Uint32
}

func (f *firstOpGC) Do(ctx context.Context, op impls.Op) impls.Outcome {
	f.once.Do(func() { f.numGC.Store(numGC()) })
	return f.Target.Do(ctx, op)
}
