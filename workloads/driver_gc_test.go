package workloads

import (
	"context"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// A run collects garbage before its window opens, with a warm-up or without,
// so that the window does not meet a collection of earlier runs' garbage.
// Automatic collection is off here: only the driver's own can count.
func TestTheWindowOpensOnACollectedHeap(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	noop, _ := impls.Lookup(impls.NoopName)
	for _, c := range []struct {
		name   string
		warmup time.Duration
		rate   float64
	}{
		{"an open loop with a warm-up", 100 * time.Millisecond, 2000},
		{"an open loop without one", 0, 2000},
		{"a closed loop with a warm-up", 100 * time.Millisecond, 0},
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
			var atOpen uint32
			if _, err := Drive(context.Background(), target, spec, Hooks{OnMeasureStart: func() { atOpen = numGC() }}); err != nil {
				t.Fatal(err)
			}
			if atOpen == before {
				t.Errorf("no garbage collection between the run's start and its window (%d before, %d at the window)", before, atOpen)
			}
		})
	}
}

func numGC() uint32 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.NumGC
}
