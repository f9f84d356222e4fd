package redis

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/redistest"
)

func targetsFindTheirTopology(t *testing.T, cluster *redistest.Cluster) {
	srv := redistest.Start(t)
	tests := []struct {
		name    string
		addr    string
		cluster float64
		masters float64
	}{
		{"every seed of a cluster gives a cluster client", cluster.Seeds(), 1, 3},
		{"one address of a cluster node is detected as a cluster", cluster.Addrs()[1], 1, 3},
		{"a redis:// URL of a cluster node is detected too", "redis://" + cluster.Addrs()[2], 1, 3},
		{"a standalone server stays standalone", srv.Addr(), 0, 1},
	}
	names := append(append([]string{}, limiterNames...), NameRedisLock, NameRedsync)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, name := range names {
				target := newTarget(t, name, impls.Config{Workers: 1, RedisAddr: tt.addr, Limit: 1e6, Burst: 1000})
				if got := target.Do(context.Background(), impls.Op{Kind: impls.OpAllow}); got != impls.OK {
					t.Fatalf("%s: first op = %v, want ok", name, got)
				}
				s := target.(impls.StatsReporter).Stats()
				if s["cluster"] != tt.cluster || s["masters"] != tt.masters || s["replicas"] != 0 {
					t.Fatalf("%s: stats %v, want cluster=%v masters=%v replicas=0", name, s, tt.cluster, tt.masters)
				}
			}
		})
	}
}

// TestOnAThreeMasterCluster runs the checks that leave a cluster as they found
// it on one cluster, since starting one takes seconds.
func TestOnAThreeMasterCluster(t *testing.T) {
	cluster := redistest.StartCluster(t, 3, 0)
	t.Run("targets find their topology", func(t *testing.T) { targetsFindTheirTopology(t, cluster) })
	t.Run("limiters hold one limit across clients", func(t *testing.T) { limitersHoldOneLimitAcrossClients(t, cluster) })
	t.Run("keyed limiters spread their keys over every master", func(t *testing.T) { keyedLimitersSpreadTheirKeysOverEveryMaster(t, cluster) })
	t.Run("locks exclude and fence", func(t *testing.T) { locksExcludeAndFence(t, cluster) })
}

func TestSeveralStandaloneServersAreNotACluster(t *testing.T) {
	a, b := redistest.Start(t), redistest.Start(t)
	impl, _ := impls.Lookup(NameGCRA)
	target, err := impl.New(impls.Config{RedisAddr: a.Addr() + "," + b.Addr(), Timeout: 500 * time.Millisecond})
	if err == nil {
		_ = target.Close()
		t.Fatal("New succeeded on two standalone servers")
	}
	if !strings.Contains(err.Error(), "Redis Cluster at "+a.Addr()+","+b.Addr()) {
		t.Fatalf("error %q does not name the seeds", err)
	}
}

func TestPasswordsAuthenticateAndStayOutOfErrors(t *testing.T) {
	srv := redistest.Start(t)
	admin := newClient(t, srv)
	ctx := context.Background()
	if err := admin.Do(ctx, "ACL", "SETUSER", "bench", "on", ">right-pw", "~*", "+@all").Err(); err != nil {
		t.Fatal(err)
	}
	impl, _ := impls.Lookup(NameGCRA)
	target, err := impl.New(impls.Config{RedisAddr: "redis://bench:right-pw@" + srv.Addr()})
	if err != nil {
		t.Fatalf("with the right password: %v", err)
	}
	_ = target.Close()

	t.Setenv(PasswordEnv, "right-pw")
	if target, err = impl.New(impls.Config{RedisAddr: "redis://bench@" + srv.Addr()}); err != nil {
		t.Fatalf("with the password from %s: %v", PasswordEnv, err)
	}
	_ = target.Close()

	_, err = impl.New(impls.Config{RedisAddr: "redis://bench:wrong-pw@" + srv.Addr()})
	if err == nil {
		t.Fatal("a wrong password was accepted")
	}
	if strings.Contains(err.Error(), "wrong-pw") || !strings.Contains(err.Error(), "redis://bench@"+srv.Addr()) {
		t.Fatalf("error %q: want the address with the user and without the password", err)
	}
}

// hammerAll runs hammer on every target at once: several clients (as several
// processes would have) sharing one limit. It returns what they saw together,
// with elapsed the longest client's own run, and the span from before the first
// client started to after the last one ended: every admission lies inside that
// span, so an upper bound on admissions must use it (clients started apart on a
// loaded machine admit over more than any one client's run).
func hammerAll(targets []impls.Target, workers int, d time.Duration, op impls.Op) (all hammered, span time.Duration) {
	start := time.Now()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, target := range targets {
		wg.Go(func() {
			mine := hammer(target, workers, d, op)
			mu.Lock()
			defer mu.Unlock()
			for i, n := range mine.counts {
				all.counts[i] += n
			}
			all.starts = append(all.starts, mine.starts...)
			all.elapsed = max(all.elapsed, mine.elapsed)
		})
	}
	wg.Wait()
	return all, time.Since(start)
}

func limitersHoldOneLimitAcrossClients(t *testing.T, cluster *redistest.Cluster) {
	const (
		limit  = 200.0
		burst  = 10
		window = 100 * time.Millisecond
		per    = 20
	)
	allowance := map[string]float64{NameGCRA: burst, NameTokenBucket: burst, NameRedisRate: burst, NameFixedWindow: 2 * per, NameSlidingLog: per}
	for _, name := range limiterNames {
		t.Run(name+" admits limit·elapsed over two clients", func(t *testing.T) {
			cfg := impls.Config{Workers: 2, RedisAddr: cluster.Seeds(), Limit: limit, Burst: burst, Window: window}
			targets := []impls.Target{newTarget(t, name, cfg), newTarget(t, name, cfg)}
			h, span := hammerAll(targets, 2, 700*time.Millisecond, impls.Op{Kind: impls.OpAllow})
			counts := h.counts
			ok, want := float64(counts[impls.OK]), limit*h.elapsed.Seconds()
			n, stalled := stalls(h.starts)
			t.Logf("admitted %v in %v (limit·elapsed %.0f, span %v; %d stalls, %v), denied %d", ok, h.elapsed, want, span, n, stalled, counts[impls.Denied])
			if hi := limit*span.Seconds() + allowance[name] + 2; ok > hi {
				t.Errorf("admitted %v, more than the %.0f allowed", ok, hi)
			}
			if lo := admissionFloor(limit, h.elapsed, h.starts); ok < lo {
				t.Errorf("admitted %v, fewer than %.0f under overload", ok, lo)
			}
			if n := counts[impls.Error] + counts[impls.Timeout]; n != 0 {
				t.Errorf("%d errors or timeouts against a healthy cluster", n)
			}
			for _, target := range targets {
				// One EVALSHA per op, sent to the key's master: no redirects. The
				// first op on each node loads the script (NOSCRIPT, then EVAL).
				if rt := target.(impls.StatsReporter).Stats()["round_trips_per_op"]; rt < 1 || rt > 1.05 {
					t.Errorf("round_trips_per_op = %v, want 1", rt)
				}
			}
		})
	}
}

func keyedLimitersSpreadTheirKeysOverEveryMaster(t *testing.T, cluster *redistest.Cluster) {
	for _, name := range limiterNames {
		t.Run(name+" keys land on all three masters", func(t *testing.T) {
			const keys = 60
			prefix := "spread:" + name
			target := newTarget(t, name, impls.Config{Workers: 1, Keys: keys, RedisAddr: cluster.Seeds(), RedisKey: prefix, Limit: 1.0 / 60, Burst: 1, Window: time.Minute}) // keys live a minute
			for k := range uint64(keys) {
				if got := target.Do(context.Background(), impls.Op{Kind: impls.OpAllow, Key: k}); got != impls.OK {
					t.Fatalf("first event of key %d = %v, want ok", k, got)
				}
				if got := target.Do(context.Background(), impls.Op{Kind: impls.OpAllow, Key: k}); got != impls.Denied {
					t.Fatalf("second event of key %d = %v, want denied: one limit per key", k, got)
				}
			}
			perMaster := map[string]int{}
			for _, node := range cluster.Nodes {
				c := goredis.NewClient(&goredis.Options{Addr: node.Addr()})
				found, err := c.Keys(context.Background(), "*"+prefix+":*").Result()
				_ = c.Close()
				if err != nil {
					t.Fatal(err)
				}
				perMaster[node.Addr()] = len(found)
			}
			total := 0
			for addr, n := range perMaster {
				total += n
				if n < keys/6 {
					t.Errorf("master %s holds %d of %d keys: not spread (%v)", addr, n, keys, perMaster)
				}
			}
			if total != keys {
				t.Errorf("masters hold %d keys in all, want %d (%v)", total, keys, perMaster)
			}
		})
	}
}

func locksExcludeAndFence(t *testing.T, cluster *redistest.Cluster) {
	const workers, ops = 4, 30
	for _, name := range []string{NameRedisLock, NameRedsync} {
		t.Run(name+" lets one worker in at a time", func(t *testing.T) {
			target := newTarget(t, name, impls.Config{Workers: workers, RedisAddr: cluster.Seeds(), Timeout: 10 * time.Second})
			counts := runOps(target, workers, ops, impls.Op{Kind: impls.OpWrite, Work: 50 * time.Microsecond})
			if counts[impls.OK] != workers*ops {
				t.Fatalf("outcomes %v, want %d ok", counts, workers*ops)
			}
			if err := target.Verify(); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("fencing tokens increase with every grant on a cluster", func(t *testing.T) {
		client := goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: cluster.Addrs()})
		t.Cleanup(func() { _ = client.Close() })
		// Without the hash tag the lock and its counter would hash to different
		// slots, and the grant script would fail with CROSSSLOT.
		assertFencesIncrease(t, NewLock(client, "orders", time.Second))
	})
}

func TestHashTagged(t *testing.T) {
	tests := []struct{ in, want string }{
		{"orders", "{orders}"},
		{"lock:{orders}", "lock:{orders}"},
		{"{}x", "{{}x}"}, // an empty tag is no tag: the whole key is hashed
		{"a{b", "{a{b}"},
	}
	for _, tt := range tests {
		if got := hashTagged(tt.in); got != tt.want {
			t.Errorf("hashTagged(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
