package redis

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/redistest"
)

var limiterNames = []string{NameGCRA, NameTokenBucket, NameFixedWindow, NameSlidingLog, NameRedisRate}

func newTarget(t *testing.T, name string, cfg impls.Config) impls.Target {
	t.Helper()
	impl, ok := impls.Lookup(name)
	if !ok {
		t.Fatalf("%s is not registered", name)
	}
	target, err := impl.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = target.Close() })
	return target
}

// hammered is what hammer saw: the outcome counts, the time from the first op's
// start to the last op's end, and every op's start time (unsorted).
type hammered struct {
	counts  [impls.NumOutcomes]int
	elapsed time.Duration
	starts  []time.Time
}

// hammer runs workers goroutines issuing op until d has passed.
func hammer(target impls.Target, workers int, d time.Duration, op impls.Op) hammered {
	var mu sync.Mutex
	var h hammered
	var wg sync.WaitGroup
	start := time.Now()
	end := start.Add(d)
	var last time.Time
	for w := range workers {
		wg.Go(func() {
			var local [impls.NumOutcomes]int
			var starts []time.Time
			o := op
			o.Worker = w
			for now := time.Now(); now.Before(end); now = time.Now() {
				starts = append(starts, now)
				local[target.Do(context.Background(), o)]++
			}
			mu.Lock()
			defer mu.Unlock()
			for i, n := range local {
				h.counts[i] += n
			}
			h.starts = append(h.starts, starts...)
			if now := time.Now(); now.After(last) {
				last = now
			}
		})
	}
	wg.Wait()
	h.elapsed = last.Sub(start)
	return h
}

// stallGap is the longest pause between two op starts that still counts as
// continuous overload: a loopback round trip takes well under a millisecond, so
// a longer pause is the machine stalling the clients or the server.
const stallGap = 5 * time.Millisecond

// stalls returns how many pauses longer than stallGap lie between consecutive
// op starts, and their total length. Nothing was asked of the limiter during a
// stall, so what it did not admit then is not the limiter's shortfall: a lower
// bound on admissions under overload leaves the stalls out (a 2-core CI machine
// under the race detector stalls for tens of milliseconds now and then).
func stalls(starts []time.Time) (n int, total time.Duration) {
	sorted := slices.SortedFunc(slices.Values(starts), time.Time.Compare)
	for i := 1; i < len(sorted); i++ {
		if gap := sorted[i].Sub(sorted[i-1]); gap > stallGap {
			n++
			total += gap
		}
	}
	return n, total
}

// admissionFloor is the fewest admissions a limiter of limit events/s must
// grant under overload over elapsed: 90% of limit·elapsed, with the stalls
// among starts left out. A stall costs a limiter at most what it would have
// admitted meanwhile: a token bucket or GCRA banks up to its burst and spends
// it after, a fixed window keeps its quota until the window ends, and a sliding
// log admits a whole window's worth once the stall has emptied it.
func admissionFloor(limit float64, elapsed time.Duration, starts []time.Time) float64 {
	_, stalled := stalls(starts)
	return 0.9 * limit * (elapsed - stalled).Seconds()
}

func TestLimitersAdmitAboutTheirLimitAndDenyTheRest(t *testing.T) {
	srv := redistest.Start(t)
	const (
		limit  = 200.0
		burst  = 10
		window = 100 * time.Millisecond
		per    = 20 // events per window: limit·window
	)
	tests := []struct {
		name string
		// allowance is what the algorithm may admit beyond limit·elapsed: the
		// burst, one window, or two windows straddling a fixed boundary.
		allowance float64
	}{
		{NameGCRA, burst},
		{NameTokenBucket, burst},
		{NameRedisRate, burst},
		{NameFixedWindow, 2 * per},
		{NameSlidingLog, per},
	}
	for _, tt := range tests {
		t.Run(tt.name+" admits limit·elapsed within its allowance", func(t *testing.T) {
			target := newTarget(t, tt.name, impls.Config{
				Workers: 4, RedisAddr: srv.Addr(), Limit: limit, Burst: burst, Window: window,
			})
			h := hammer(target, 4, 700*time.Millisecond, impls.Op{Kind: impls.OpAllow})
			counts := h.counts
			ok, want := float64(counts[impls.OK]), limit*h.elapsed.Seconds()
			n, stalled := stalls(h.starts)
			t.Logf("admitted %v in %v (limit·elapsed %.0f; %d stalls, %v), denied %d", ok, h.elapsed, want, n, stalled, counts[impls.Denied])
			if max := want + tt.allowance + 2; ok > max {
				t.Errorf("admitted %v, more than the %.0f allowed", ok, max)
			}
			if min := admissionFloor(limit, h.elapsed, h.starts); ok < min {
				t.Errorf("admitted %v, fewer than %.0f under overload", ok, min)
			}
			if counts[impls.Denied] == 0 {
				t.Error("denied nothing although offered far more than the limit")
			}
			if n := counts[impls.Error] + counts[impls.Timeout]; n != 0 {
				t.Errorf("%d errors or timeouts against a healthy server", n)
			}
			stats := target.(impls.StatsReporter).Stats()
			if rt := stats["round_trips_per_op"]; rt < 1 || rt > 1.05 {
				t.Errorf("round_trips_per_op = %v, want 1 (one EVALSHA per op)", rt)
			}
			if stats["pool_size"] < 4 {
				t.Errorf("pool_size = %v, want at least one connection per worker", stats["pool_size"])
			}
		})
	}
}

func TestKeyedLimitersKeepSeparateLimits(t *testing.T) {
	srv := redistest.Start(t)
	for _, name := range limiterNames {
		t.Run(name+" admits a burst per key", func(t *testing.T) {
			// One event an hour: a second-long fixed window let the second event
			// fall into the next window whenever the first came just before a
			// boundary (1 failure in ~20 suite runs); an hour's boundary is a
			// million times less likely to lie between two calls.
			target := newTarget(t, name, impls.Config{
				Workers: 1, Keys: 2, RedisAddr: srv.Addr(), Limit: 1.0 / 3600, Burst: 1, Window: time.Hour,
			})
			for _, key := range []uint64{0, 1} {
				if got := target.Do(context.Background(), impls.Op{Kind: impls.OpAllow, Key: key}); got != impls.OK {
					t.Fatalf("first event of key %d = %v, want ok", key, got)
				}
				if got := target.Do(context.Background(), impls.Op{Kind: impls.OpAllow, Key: key}); got != impls.Denied {
					t.Fatalf("second event of key %d = %v, want denied", key, got)
				}
			}
		})
	}
}

func TestTargetsSurviveARedisRestart(t *testing.T) {
	names := append(append([]string{}, limiterNames...), NameRedisLock, NameRedsync)
	for _, name := range names {
		t.Run(name+" errors while Redis is down and succeeds again once it is back", func(t *testing.T) {
			srv := redistest.Start(t)
			target := newTarget(t, name, impls.Config{
				Workers: 1, RedisAddr: srv.Addr(), Limit: 1e6, Burst: 1000, Timeout: 300 * time.Millisecond,
			})
			op := impls.Op{Kind: impls.OpAllow}
			if got := target.Do(context.Background(), op); got != impls.OK {
				t.Fatalf("before the crash: %v, want ok", got)
			}
			srv.Kill()
			for i := range 5 {
				if got := target.Do(context.Background(), op); got != impls.Error {
					t.Fatalf("op %d while Redis is down: %v, want error", i, got)
				}
			}
			srv.Restart()
			deadline := time.Now().Add(5 * time.Second)
			errs := 0
			for {
				got := target.Do(context.Background(), op)
				if got == impls.OK {
					break
				}
				if got != impls.Error || time.Now().After(deadline) {
					t.Fatalf("after restart: %v (after %d errors), want ok within 5s", got, errs)
				}
				errs++
				time.Sleep(10 * time.Millisecond)
			}
			t.Logf("recovered after %d failed ops", errs)
		})
	}
}

func TestBadConfigurationIsRejectedAtConstruction(t *testing.T) {
	srv := redistest.Start(t)
	down := redistest.Start(t)
	downAddr := down.Addr()
	down.Kill()
	tests := []struct {
		name string
		impl string
		cfg  impls.Config
		want string
	}{
		{"wait mode is not offered", NameGCRA, impls.Config{RedisAddr: srv.Addr(), Mode: "wait"}, `only support "allow"`},
		{"a negative limit is refused", NameTokenBucket, impls.Config{RedisAddr: srv.Addr(), Limit: -1}, "positive"},
		{"a negative burst is refused", NameRedisRate, impls.Config{RedisAddr: srv.Addr(), Burst: -1}, "burst"},
		{"a sub-millisecond window is refused", NameFixedWindow, impls.Config{RedisAddr: srv.Addr(), Window: time.Microsecond}, "window"},
		{"an unreachable server is named", NameRedisLock, impls.Config{RedisAddr: downAddr, Timeout: 200 * time.Millisecond}, "cannot reach Redis at " + downAddr},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			impl, _ := impls.Lookup(tt.impl)
			target, err := impl.New(tt.cfg)
			if err == nil {
				_ = target.Close()
				t.Fatal("New succeeded")
			}
			if target != nil {
				t.Errorf("New returned a non-nil target %v with its error", target)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}
