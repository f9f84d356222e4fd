package redis

import (
	"context"
	"errors"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/redistest"
)

func newClient(t *testing.T, srv *redistest.Server) *goredis.Client {
	t.Helper()
	c := goredis.NewClient(&goredis.Options{Addr: srv.Addr()})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestLocksExcludeGoroutines(t *testing.T) {
	srv := redistest.Start(t)
	const workers, ops = 4, 40
	for _, name := range []string{NameRedisLock, NameRedsync} {
		t.Run(name+" lets one worker in at a time", func(t *testing.T) {
			target := newTarget(t, name, impls.Config{Workers: workers, RedisAddr: srv.Addr(), Timeout: 10 * time.Second})
			counts := runOps(target, workers, ops, impls.Op{Kind: impls.OpWrite, Work: 50 * time.Microsecond})
			if counts[impls.OK] != workers*ops {
				t.Fatalf("outcomes %v, want %d ok", counts, workers*ops)
			}
			if err := target.Verify(); err != nil {
				t.Fatal(err)
			}
			stats := target.(impls.StatsReporter).Stats()
			if stats["acquisitions"] != workers*ops || stats["overlaps"] != 0 || stats["lost_leases"] != 0 {
				t.Fatalf("stats %v", stats)
			}
			// Uncontended, a grant and a release are one round trip each; waiting
			// adds retries.
			if rt := stats["round_trips_per_op"]; rt < 2 {
				t.Fatalf("round_trips_per_op = %v, want at least 2", rt)
			}
		})
	}
}

// runOps runs ops operations of op from each of workers goroutines.
func runOps(target impls.Target, workers, ops int, op impls.Op) [impls.NumOutcomes]int {
	results := make(chan [impls.NumOutcomes]int, workers)
	for w := range workers {
		go func() {
			var local [impls.NumOutcomes]int
			o := op
			o.Worker = w
			for range ops {
				local[target.Do(context.Background(), o)]++
			}
			results <- local
		}()
	}
	var counts [impls.NumOutcomes]int
	for range workers {
		for i, n := range <-results {
			counts[i] += n
		}
	}
	return counts
}

func TestVerifyCatchesSectionsThatOutliveTheirLease(t *testing.T) {
	srv := redistest.Start(t)
	target, err := newLockTarget(NameRedisLock, impls.Config{Workers: 3, RedisAddr: srv.Addr(), Timeout: 5 * time.Second}, 2*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	counts := runOps(target, 3, 5, impls.Op{Kind: impls.OpWrite, Hold: 10 * time.Millisecond})
	var inv *impls.InvariantError
	if err := target.Verify(); !errors.As(err, &inv) {
		t.Fatalf("Verify() = %v, want an *InvariantError for overlapping holders", err)
	}
	if counts[impls.Error] == 0 || target.Stats()["lost_leases"] == 0 {
		t.Fatalf("outcomes %v, stats %v: want errors for leases lost mid-section", counts, target.Stats())
	}
}

func TestLockAcquireTimesOutWhileHeldElsewhere(t *testing.T) {
	srv := redistest.Start(t)
	client := newClient(t, srv)
	for _, name := range []string{NameRedisLock, NameRedsync} {
		t.Run(name+" times out and then gets the lock once it is released", func(t *testing.T) {
			key := "held:" + name
			lock := NewLock(client, key, 5*time.Second)
			lease, ok, err := lock.TryAcquire(context.Background())
			if !ok || err != nil {
				t.Fatalf("TryAcquire = %v, %v", ok, err)
			}
			target := newTarget(t, name, impls.Config{Workers: 1, RedisAddr: srv.Addr(), RedisKey: key, Timeout: 50 * time.Millisecond})
			if got := target.Do(context.Background(), impls.Op{Kind: impls.OpWrite}); got != impls.Timeout {
				t.Fatalf("Do while held = %v, want timeout", got)
			}
			if ok, err := lock.Release(context.Background(), lease); !ok || err != nil {
				t.Fatalf("Release = %v, %v", ok, err)
			}
			if got := target.Do(context.Background(), impls.Op{Kind: impls.OpWrite}); got != impls.OK {
				t.Fatalf("Do after release = %v, want ok", got)
			}
		})
	}
}

func TestFencingTokensIncreaseWithEveryGrant(t *testing.T) {
	srv := redistest.Start(t)
	assertFencesIncrease(t, NewLock(newClient(t, srv), "fence-order", time.Second))
}

// assertFencesIncrease acquires and releases lock five times and fails t unless
// every grant's fencing token is larger than the one before.
func assertFencesIncrease(t *testing.T, lock *Lock) {
	t.Helper()
	var last int64
	for i := range 5 {
		lease, err := lock.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if lease.Fence <= last {
			t.Fatalf("grant %d has fence %d after %d", i, lease.Fence, last)
		}
		last = lease.Fence
		if ok, err := lock.Release(context.Background(), lease); !ok || err != nil {
			t.Fatalf("Release = %v, %v", ok, err)
		}
	}
}

func TestFencedStore(t *testing.T) {
	srv := redistest.Start(t)
	store := NewFencedStore(newClient(t, srv), "store")
	ctx := context.Background()
	if v, f, err := store.Read(ctx); v != "" || f != 0 || err != nil {
		t.Fatalf("empty store reads %q, %d, %v", v, f, err)
	}
	steps := []struct {
		fence int64
		value string
		want  bool
	}{
		{3, "a", true},  // first write
		{3, "b", true},  // the same holder writes again
		{5, "c", true},  // a later holder
		{4, "d", false}, // a stale holder
	}
	for _, s := range steps {
		ok, err := store.Write(ctx, s.fence, s.value)
		if err != nil || ok != s.want {
			t.Fatalf("Write(%d, %q) = %v, %v; want %v", s.fence, s.value, ok, err, s.want)
		}
	}
	if v, f, err := store.Read(ctx); v != "c" || f != 5 || err != nil {
		t.Fatalf("Read = %q, %d, %v; want c, 5", v, f, err)
	}
}

// A holder that pauses past its TTL (a GC pause, a stopped process) wakes up
// believing it holds the lock. The pause is simulated by simply not releasing
// until the lease has expired and someone else holds the lock.
func TestHolderPausedPastItsTTL(t *testing.T) {
	srv := redistest.Start(t)
	client := newClient(t, srv)
	ctx := context.Background()
	const ttl = 100 * time.Millisecond
	lock := NewLock(client, "paused", ttl)

	stale, err := lock.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// ... the holder pauses; the lease runs out and the next holder gets in.
	wctx, cancel := context.WithTimeout(ctx, 10*ttl)
	defer cancel()
	next, err := lock.Acquire(wctx)
	if err != nil {
		t.Fatalf("next holder did not get the lock within 10 TTLs: %v", err)
	}
	if next.Fence <= stale.Fence {
		t.Fatalf("next fence %d not above stale fence %d", next.Fence, stale.Fence)
	}

	t.Run("without fencing the stale holder's write lands", func(t *testing.T) {
		if err := client.Set(ctx, "plain", "written by next", 0).Err(); err != nil {
			t.Fatal(err)
		}
		// The stale holder wakes and writes, as it would under the lock.
		if err := client.Set(ctx, "plain", "written by stale", 0).Err(); err != nil {
			t.Fatal(err)
		}
		if got := client.Get(ctx, "plain").Val(); got != "written by stale" {
			t.Fatalf("plain value = %q; the hazard did not show", got)
		}
	})
	t.Run("with fencing the stale holder's write is rejected", func(t *testing.T) {
		store := NewFencedStore(client, "fenced")
		if ok, err := store.Write(ctx, next.Fence, "written by next"); !ok || err != nil {
			t.Fatalf("next holder's write = %v, %v", ok, err)
		}
		if ok, err := store.Write(ctx, stale.Fence, "written by stale"); ok || err != nil {
			t.Fatalf("stale holder's write = %v, %v; want rejected", ok, err)
		}
		if v, f, _ := store.Read(ctx); v != "written by next" || f != next.Fence {
			t.Fatalf("store holds %q with fence %d", v, f)
		}
	})
	t.Run("the stale holder's release leaves the next holder's lock alone", func(t *testing.T) {
		if ok, err := lock.Release(ctx, stale); ok || err != nil {
			t.Fatalf("stale Release = %v, %v; want false", ok, err)
		}
		if _, ok, err := lock.TryAcquire(ctx); ok || err != nil {
			t.Fatalf("TryAcquire after the stale release = %v, %v; want still held", ok, err)
		}
		if ok, err := lock.Release(ctx, next); !ok || err != nil {
			t.Fatalf("next Release = %v, %v", ok, err)
		}
	})
}
