package workloads

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
)

// An open loop without a warm-up made its recorder's cells (~270 KiB each,
// six per shard: response, service and lag, current and spare) as its first
// ops were recorded and merged, inside the window: `-impl noop -rps 5000
// -duration 4s -warmup 0s` grew the heap 3 → 7 → 15 MB in its first second,
// and the collections that took had the run's lag p99 at 0.8–2.2 ms against
// 65–85 µs with a warm-up. Everything the harness ledgers (cells, histograms:
// metrics.HarnessAllocs) must be made before the window opens, so that the
// window's first interval makes none. The ledger counts only the harness's own
// histograms, exactly, so the count is exact.
func TestAnOpenLoopWithoutWarmupMakesItsHistogramsBeforeItsWindow(t *testing.T) {
	noop, _ := impls.Lookup(impls.NoopName)
	for _, c := range []struct {
		name string
		mix  Mix
	}{
		{"reads", ReadRatioMix(1)},
		{"reads and writes", ReadRatioMix(0.9)},
	} {
		t.Run(c.name, func(t *testing.T) {
			target, err := noop.New(impls.Config{Workers: 4})
			if err != nil {
				t.Fatal(err)
			}
			spec := DefaultSpec()
			spec.Rate, spec.Concurrency, spec.Mix = 2000, 4, c.mix
			spec.Duration, spec.Warmup, spec.Interval = 150*time.Millisecond, 0, 50*time.Millisecond
			var once sync.Once
			var atOpen, atFirst uint64
			hooks := Hooks{
				OnMeasureStart: func() { atOpen, _ = metrics.HarnessAllocs() },
				OnSample: func(metrics.IntervalSample, int64, int64) {
					once.Do(func() { atFirst, _ = metrics.HarnessAllocs() })
				},
			}
			run, err := Drive(context.Background(), target, spec, hooks)
			if err != nil {
				t.Fatal(err)
			}
			if run.Totals.Completed() == 0 {
				t.Fatal("the run completed no op")
			}
			if made := atFirst - atOpen; made != 0 {
				t.Errorf("the harness made %d histograms or cells in the window's first interval, want 0 (all made before the window opens)", made)
			}
		})
	}
}
