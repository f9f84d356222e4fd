package redistest

import (
	"context"
	"strings"
	"testing"

	goredis "github.com/redis/go-redis/v9"
)

func TestStartClusterJoinsThreeMastersThatShareTheSlots(t *testing.T) {
	c := StartCluster(t, 3, 0)
	if got := len(strings.Split(c.Seeds(), ",")); got != 3 {
		t.Fatalf("Seeds() = %q, want 3 addresses", c.Seeds())
	}
	client := goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: c.Addrs()})
	defer client.Close()
	ctx := context.Background()
	//lint:ignore SA1019 CLUSTER SHARDS, its replacement, needs Redis 7.0; CLUSTER SLOTS answers on every version, 6.x included.
	slots, err := client.ClusterSlots(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	masters := map[string]int{}
	for _, s := range slots {
		masters[s.Nodes[0].Addr] += s.End - s.Start + 1
	}
	if len(masters) != 3 {
		t.Fatalf("slots served by %v, want 3 masters", masters)
	}
	// A key is readable where MasterOf says it lives.
	if err := client.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	owner := goredis.NewClient(&goredis.Options{Addr: c.MasterOf("k").Addr()})
	defer owner.Close()
	if v, err := owner.Get(ctx, "k").Result(); err != nil || v != "v" {
		t.Fatalf("GET k on its master = %q, %v", v, err)
	}
}

func TestClusterNodeRestartedAfterAKillServesItsSlotsAgain(t *testing.T) {
	c := StartCluster(t, 3, 0)
	m := c.MasterOf("k")
	m.Kill()
	if err := ping(m.Addr()); err == nil {
		t.Fatal("killed node still answers")
	}
	m.Restart()
	c.WaitHealthy()
	if got := c.MasterOf("k"); got != m {
		t.Fatalf("after restart k is served by %s, want %s again", got.Addr(), m.Addr())
	}
}

func TestStartClusterWithoutRedisCLI(t *testing.T) {
	old := cliBinary
	cliBinary = "redis-cli-that-does-not-exist"
	t.Cleanup(func() { cliBinary = old })
	t.Setenv("CI", "true")
	rec := &recordingTB{TB: t}
	if c := StartCluster(rec, 3, 0); c != nil {
		t.Fatal("StartCluster returned a cluster without redis-cli")
	}
	if !strings.Contains(rec.failed, "redis-cli-that-does-not-exist not found") {
		t.Fatalf("under CI=true: failed %q, skipped %q; want a failure naming redis-cli", rec.failed, rec.skipped)
	}
}
