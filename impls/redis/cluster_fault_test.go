package redis

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/redistest"
	"github.com/syncbench/syncbench/internal/workloads"
	"github.com/syncbench/syncbench/result"
)

// bucketed wraps a target and counts its outcomes per slice of wall-clock time
// since start, by each op's finish instant: the phases of a fault are then
// told apart exactly, whatever the harness's interval collector does on a
// loaded machine.
type bucketed struct {
	impls.Target
	start time.Time
	width time.Duration
	ok    []atomic.Int64
	err   []atomic.Int64
}

func newBucketed(t impls.Target, width, span time.Duration) *bucketed {
	n := int(span/width) + 2
	return &bucketed{Target: t, start: time.Now(), width: width, ok: make([]atomic.Int64, n), err: make([]atomic.Int64, n)}
}

func (b *bucketed) Do(ctx context.Context, op impls.Op) impls.Outcome {
	o := b.Target.Do(ctx, op)
	i := min(int(time.Since(b.start)/b.width), len(b.ok)-1)
	switch o {
	case impls.OK:
		b.ok[i].Add(1)
	case impls.Error:
		b.err[i].Add(1)
	}
	return o
}

// TestAClusterMasterKilledMidRun kills one of three masters (no replicas)
// 0.75 s into a 6 s run and restarts it 0.75 s later. What a cluster without
// replicas promises, and so what is checked: the run finishes; errors are
// counted per interval (in the run's series) during the outage and only then;
// the keys on the two surviving masters keep being admitted throughout (the
// masters left serve their slots: cluster-require-full-coverage is off, see
// redistest); and once the master is back its slots are served again (with
// their limits reset: a master restarted without persistence has lost its
// keys).
func TestAClusterMasterKilledMidRun(t *testing.T) {
	t.Parallel() // its own cluster; mostly waiting
	cluster := redistest.StartCluster(t, 3, 0)
	const keys = 30
	inner := newTarget(t, NameGCRA, impls.Config{
		Workers: 4, Keys: keys, RedisAddr: cluster.Seeds(), RedisKey: "fault",
		Limit: 1e6, Burst: 1e6, // admit everything: every op that reaches its master is OK
		Timeout: 2 * time.Second, // a dead master refuses at once: no need to cut ops short
	})
	// The master of key 0 is the one to kill; it serves about a third of the keys.
	victim := cluster.MasterOf("fault:0")

	const width = 250 * time.Millisecond
	// minOutageSliceOps is how many ops must finish in an outage slice before
	// the slice is judged: about a third fail, so 20 with none admitted is a
	// chance of (1/3)^20 for healthy survivors.
	const minOutageSliceOps = 20
	spec := workloads.DefaultSpec()
	spec.Concurrency, spec.Keys = 4, keys
	spec.Duration, spec.Warmup, spec.Interval = 6*time.Second, 0, width

	var mu sync.Mutex
	var series []result.Interval
	var killedAt, servingAt time.Duration // since target.start
	target := newBucketed(inner, width, spec.Duration)
	go func() {
		time.Sleep(750 * time.Millisecond)
		mu.Lock()
		killedAt = time.Since(target.start)
		mu.Unlock()
		victim.Kill()
		time.Sleep(750 * time.Millisecond)
		victim.Restart() // returns once the node answers PING
		// A restarted master reports cluster_state:fail for a rejoin delay
		// (about cluster-node-timeout) before it serves its slots again.
		cluster.WaitServing(victim)
		mu.Lock()
		servingAt = time.Since(target.start)
		mu.Unlock()
	}()
	hooks := workloads.Hooks{OnInterval: func(iv result.Interval) {
		mu.Lock()
		series = append(series, iv)
		mu.Unlock()
	}}
	run, err := workloads.Drive(context.Background(), target, spec, hooks)
	if err != nil {
		t.Fatal(err)
	}
	if run.Interrupted {
		t.Fatal("the run did not finish")
	}
	mu.Lock()
	defer mu.Unlock()
	if servingAt == 0 {
		t.Fatal("the victim was not serving again within the run")
	}
	t.Logf("killed at %v, serving again at %v", killedAt, servingAt)
	var outageErrors, outageOK, beforeOK int64
	for i := range target.ok {
		from, to := time.Duration(i)*width, time.Duration(i+1)*width
		ok, errs := target.ok[i].Load(), target.err[i].Load()
		t.Logf("[%5v, %5v) ok %6d error %5d", from, to, ok, errs)
		switch {
		case to <= killedAt:
			// No error before the kill; a slice may be empty (on a loaded
			// machine the first ops can wait out a whole slice for their
			// connections), so ops are required over the span, below.
			beforeOK += ok
			if errs != 0 {
				t.Errorf("[%v, %v) before the kill: %d ok, %d errors; want only ok", from, to, ok, errs)
			}
		case from >= killedAt && to <= servingAt:
			outageErrors += errs
			outageOK += ok
			// A slice in which hardly any op finished says nothing about the
			// survivors: all four workers can be waiting on the dead master at
			// once (a dial, the restarted node loading), or the machine stalled.
			// Where ops did finish, some must have reached a surviving master.
			if ok == 0 && ok+errs >= minOutageSliceOps {
				t.Errorf("[%v, %v) of the outage: %d ops finished and none was admitted: the surviving masters' keys stopped too", from, to, errs)
			}
		case from >= servingAt+width && to <= spec.Duration:
			// A worker may still hold a connection that broke with the kill;
			// one slice's grace covers its first use after the restart.
			if errs != 0 || ok == 0 {
				t.Errorf("[%v, %v) after the restart: %d ok, %d errors; want only ok", from, to, ok, errs)
			}
		}
	}
	if beforeOK == 0 {
		t.Error("nothing was admitted before the kill")
	}
	if outageErrors == 0 {
		t.Error("no errors while a master was down")
	}
	if outageOK == 0 {
		t.Error("nothing was admitted while a master was down: the surviving masters' keys stopped too")
	}
	// About a third of the keys were unreachable, so about a third of the
	// outage's ops failed; a wide band, since workers on a dead key return
	// faster than those on a live one.
	if share := float64(outageErrors) / float64(outageErrors+outageOK); share < 0.1 || share > 0.8 {
		t.Errorf("%.0f%% of the outage's ops failed, want about a third (one master of three)", 100*share)
	}
	// The run's own series counts the errors per interval: they show as a spike.
	var seriesErrors, spikes int64
	for _, iv := range series {
		seriesErrors += iv.Error
		if iv.Error > 0 {
			spikes++
		}
	}
	if seriesErrors == 0 || spikes == int64(len(series)) {
		t.Errorf("series: %d errors in %d of %d intervals, want errors in the outage's intervals only", seriesErrors, spikes, len(series))
	}
}
