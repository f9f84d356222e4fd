package redis

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/redistest"
	"github.com/syncbench/syncbench/metrics"
	"github.com/syncbench/syncbench/workloads"
)

// TestAClusterMasterKilledMidRun kills one of three masters (no replicas)
// 0.75 s into a 5 s run and restarts it 0.75 s later. What a cluster without
// replicas promises, and so what is checked: the run finishes; errors are
// counted in the intervals of the outage and only there; the keys on the two
// surviving masters keep being admitted throughout (the masters left serve
// their slots: cluster-require-full-coverage is off, see redistest); and once
// the master is back its slots are served again (with their limits reset: a
// master restarted without persistence has lost its keys).
func TestAClusterMasterKilledMidRun(t *testing.T) {
	cluster := redistest.StartCluster(t, 3, 0)
	const keys = 30
	target := newTarget(t, NameGCRA, impls.Config{
		Workers: 4, Keys: keys, RedisAddr: cluster.Seeds(), RedisKey: "fault",
		Limit: 1e6, Burst: 1e6, // admit everything: every op that reaches its master is OK
		Timeout: 300 * time.Millisecond,
	})
	// The master of key 0 is the one to kill; it serves about a third of the keys.
	victim := cluster.MasterOf("fault:0")

	const interval = 250 * time.Millisecond
	spec := workloads.DefaultSpec()
	spec.Concurrency, spec.Keys = 4, keys
	spec.Duration, spec.Warmup, spec.Interval = 5*time.Second, 0, interval

	var mu sync.Mutex
	var series []metrics.Interval
	var start time.Time
	var killedAt, restartedAt time.Duration // offsets from the window's start; restartedAt when the cluster is ok again
	faults := make(chan struct{})
	go func() {
		<-faults
		time.Sleep(750 * time.Millisecond)
		mu.Lock()
		killedAt = time.Since(start)
		mu.Unlock()
		victim.Kill()
		time.Sleep(750 * time.Millisecond)
		victim.Restart() // returns once the node answers PING
		// A restarted master reports cluster_state:fail for a rejoin delay
		// (about cluster-node-timeout) before it serves its slots again, and
		// the others clear their FAIL mark of it after twice that.
		cluster.WaitHealthy()
		mu.Lock()
		restartedAt = time.Since(start)
		mu.Unlock()
	}()
	hooks := workloads.Hooks{
		OnMeasureStart: func() { start = time.Now(); close(faults) },
		OnInterval: func(iv metrics.Interval) {
			mu.Lock()
			series = append(series, iv)
			mu.Unlock()
		},
	}
	run, err := workloads.Drive(context.Background(), target, spec, hooks)
	if err != nil {
		t.Fatal(err)
	}
	if run.Interrupted {
		t.Fatal("the run did not finish")
	}
	mu.Lock()
	defer mu.Unlock()
	if restartedAt == 0 {
		t.Fatal("the cluster was not healthy again within the run")
	}
	t.Logf("killed at %v, back at %v", killedAt, restartedAt)
	var outageErrors, outageOK int64
	for _, iv := range series {
		from, to := time.Duration(iv.OffsetNs), time.Duration(iv.OffsetNs+iv.DurationNs)
		t.Logf("[%5v, %5v) ok %6d error %5d", from, to, iv.OK, iv.Error)
		switch {
		case to <= killedAt:
			if iv.Error != 0 || iv.OK == 0 {
				t.Errorf("interval [%v, %v) before the kill: %d ok, %d errors; want only ok", from, to, iv.OK, iv.Error)
			}
		case from >= killedAt && to <= restartedAt:
			outageErrors += iv.Error
			outageOK += iv.OK
			if iv.OK == 0 {
				t.Errorf("interval [%v, %v) of the outage admitted nothing: the surviving masters' keys stopped too", from, to)
			}
		case from >= restartedAt+interval:
			// A worker may still hold a connection that broke with the kill;
			// one interval's grace covers its first use after the restart.
			if iv.Error != 0 || iv.OK == 0 {
				t.Errorf("interval [%v, %v) after the restart: %d ok, %d errors; want only ok", from, to, iv.OK, iv.Error)
			}
		}
	}
	if outageErrors == 0 {
		t.Error("no errors counted while a master was down")
	}
	// About a third of the keys were unreachable, so about a third of the
	// outage's ops failed; a wide band, since workers on a dead key return
	// faster than those on a live one.
	if share := float64(outageErrors) / float64(outageErrors+outageOK); share < 0.1 || share > 0.8 {
		t.Errorf("%.0f%% of the outage's ops failed, want about a third (one master of three)", 100*share)
	}
}
