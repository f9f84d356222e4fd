package limiters

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// hammer runs workers goroutines each doing ops Do calls on tg and returns the
// outcome counts.
func hammer(tg impls.Target, workers, ops, keys int) [impls.NumOutcomes]int64 {
	var counts [impls.NumOutcomes]atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range ops {
				op := impls.Op{Kind: impls.OpAllow, Worker: w, Key: uint64((i * 7) % max(keys, 1)), Weight: int64(1 + i%2)}
				counts[tg.Do(context.Background(), op)].Add(1)
			}
		})
	}
	wg.Wait()
	var out [impls.NumOutcomes]int64
	for i := range out {
		out[i] = counts[i].Load()
	}
	return out
}

func TestConcurrentCallersNeverBreakTheEnvelope(t *testing.T) {
	const workers, ops = 4, 3000
	for _, a := range allowAlgorithms {
		t.Run(a.name+" keeps its envelope on the real clock with 4 goroutines", func(t *testing.T) {
			start := time.Now()
			cfg := impls.Config{Workers: workers, Limit: 50_000, Burst: 100, Window: 10 * time.Millisecond}
			tg := newTargetT(t, a.name, cfg)
			counts := hammer(tg, workers, ops, 1)
			elapsed := time.Since(start)
			if err := tg.Verify(); err != nil {
				t.Fatal(err)
			}
			if counts[impls.Error] != 0 && a.name != "throttled" {
				t.Errorf("%d errors", counts[impls.Error])
			}
			// Every admitted op is 1 or 2 events; count events as ops·1.5 exactly.
			admittedOps := counts[impls.OK]
			if admittedOps == 0 {
				t.Fatal("nothing admitted")
			}
			// Upper bound in events; an admitted op carries at least one event.
			var bound float64
			if a.promise&(alignedWindow|slidingWindow) != 0 {
				bound = 500 * float64(elapsed/(10*time.Millisecond)+1)
			} else {
				bound = 100 + 50_000*elapsed.Seconds()
			}
			if float64(admittedOps) > bound {
				t.Errorf("admitted %d ops in %v, more than the envelope's %.0f events", admittedOps, elapsed, bound)
			}
		})
	}
}

func TestConcurrentKeyedCallersWithEviction(t *testing.T) {
	for _, a := range allowAlgorithms {
		t.Run(a.name+" keeps its keyed bookkeeping consistent under concurrent creation and eviction", func(t *testing.T) {
			tg := newTargetT(t, a.name, impls.Config{Workers: 4, Keys: 16, KeyTTL: 200 * time.Microsecond, Limit: 10_000})
			counts := hammer(tg, 4, 1000, 16)
			if counts[impls.OK] == 0 {
				t.Error("nothing admitted")
			}
			if err := tg.Verify(); err != nil {
				t.Error(err)
			}
			if s := tg.(impls.StatsReporter).Stats(); s["created_limiters"] < 16 {
				t.Errorf("stats %v: fewer limiters created than keys used", s)
			}
		})
	}
}

func TestConcurrentWaiters(t *testing.T) {
	for _, a := range algorithms {
		t.Run(a.name+" admits every waiter at a high limit", func(t *testing.T) {
			tg := newTargetT(t, a.name, impls.Config{Workers: 4, Mode: ModeWait, Limit: 1e6, Burst: 100})
			counts := hammer(tg, 4, 300, 1)
			ok := counts[impls.OK]
			if a.name == "throttled" { // its store gives up after 10 lost CASes: an error, not a denial
				ok += counts[impls.Error]
			}
			if ok != 1200 || counts[impls.Denied] != 0 || counts[impls.Timeout] != 0 {
				t.Errorf("outcomes %v, want 1200 ok", counts)
			}
		})
	}
}
