package redis

import (
	"context"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/redistest"
	"github.com/syncbench/syncbench/internal/workloads"
)

// TestAReplicaTakesOverFromAKilledMaster kills a master of a cluster whose
// masters have one replica each: the replica is promoted after
// cluster-node-timeout, the client finds it at its next slot-map refresh, and
// the keys of the dead master's slots are served again (their limits reset:
// replication is asynchronous, the test does not ask for the lost writes).
func TestAReplicaTakesOverFromAKilledMaster(t *testing.T) {
	t.Parallel() // its own cluster; mostly waiting
	cluster := redistest.StartCluster(t, 3, 1)
	const keys = 30
	inner := newTarget(t, NameGCRA, impls.Config{
		Workers: 4, Keys: keys, RedisAddr: cluster.Seeds(), RedisKey: "failover",
		Limit: 1e6, Burst: 1e6, Timeout: 2 * time.Second,
	})
	victim := cluster.MasterOf("failover:0")
	const width = 250 * time.Millisecond
	spec := workloads.DefaultSpec()
	spec.Concurrency, spec.Keys = 4, keys
	spec.Duration, spec.Warmup, spec.Interval = 9*time.Second, 0, time.Second
	target := newBucketed(inner, width, spec.Duration)
	killed := make(chan time.Duration, 1)
	go func() {
		time.Sleep(750 * time.Millisecond)
		killed <- time.Since(target.start)
		victim.Kill()
	}()
	if _, err := workloads.Drive(context.Background(), target, spec, workloads.Hooks{}); err != nil {
		t.Fatal(err)
	}
	lastError := -1
	var errs int64
	for i := range target.ok {
		e := target.err[i].Load()
		errs += e
		if e > 0 {
			lastError = i
		}
		t.Logf("[%5v, %5v) ok %6d error %5d", time.Duration(i)*width, time.Duration(i+1)*width, target.ok[i].Load(), e)
	}
	if errs == 0 {
		t.Fatal("no errors while the master was down")
	}
	recovered := time.Duration(lastError+1) * width
	t.Logf("killed at %v, last error before %v", <-killed, recovered)
	// Promotion after the node timeout (2 s) and an election, then the
	// client's slot-map refresh (2 s): the last second of the run is clean.
	if recovered > spec.Duration-time.Second {
		t.Errorf("errors until %v of a %v run: the promoted replica was not found", recovered, spec.Duration)
	}
	if got := cluster.MasterOf("failover:0"); got == victim {
		t.Error("the dead master still serves the slot")
	}
}
