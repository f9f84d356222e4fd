package fleet_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/fleet"
	"github.com/syncbench/syncbench/internal/redistest"
	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/internal/workloads"
	"github.com/syncbench/syncbench/result"
)

func client(t *testing.T, addrs ...string) goredis.UniversalClient {
	t.Helper()
	c := goredis.NewUniversalClient(&goredis.UniversalOptions{Addrs: addrs})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// warmup is the members' warm-up. It is also their slack: a member whose wait
// for the warm-up's start overshoots by more than the warm-up misses the start
// and fails, and on a loaded test machine a sleeping goroutine can wake tens of
// ms late.
const warmup = 300 * time.Millisecond

// measure runs the noop target for a short window opening at w.Start, as a
// fleet member's loadgen would, and stamps the result. It is called from the
// members' goroutines, so it returns its error rather than ending the test.
func measure(w *fleet.Window, seed int64) (*result.Result, error) {
	impl, _ := impls.Lookup(impls.NoopName)
	spec := workloads.DefaultSpec()
	spec.Concurrency, spec.Duration, spec.Warmup, spec.Interval = 1, w.Duration, warmup, 100*time.Millisecond
	spec.Seed, spec.StartAt = seed, w.Start
	res, err := workloads.Execute(context.Background(), workloads.Job{Impl: impl, Spec: spec, Workload: "fleet-test"})
	if err != nil {
		return nil, err
	}
	w.Stamp(res)
	return res, nil
}

func TestMembersStartedASecondApartShareOneWindow(t *testing.T) {
	srv := redistest.Start(t)
	const size = 3
	f := fleet.Fleet{Name: "apart", Size: size}
	opts := fleet.Options{ArriveWithin: 10 * time.Second, Lead: 500 * time.Millisecond}
	windows := make([]*fleet.Window, size)
	results := make([]*result.Result, size)
	errs := make([]error, size)
	arrived := make([]time.Time, size)
	waits := make([][]int, size) // what OnWait told each member
	var wg sync.WaitGroup
	for i := range size {
		wg.Go(func() {
			time.Sleep(time.Duration(i) * time.Second) // members a second apart
			opts := opts
			opts.Describe = fmt.Sprintf("member-%d", i)
			opts.OnWait = func(_, arrived, _ int) { waits[i] = append(waits[i], arrived) }
			m := fleet.NewMember(client(t, srv.Addr()), f, opts)
			arrived[i] = time.Now()
			w, err := m.Gather(context.Background(), "noop closed c=1", warmup, 200*time.Millisecond)
			if errs[i] = err; err == nil {
				windows[i] = w
				results[i], errs[i] = measure(w, int64(i+1))
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("member %d: %v", i, err)
		}
	}
	last := arrived[size-1]
	members := map[int]bool{}
	for i, w := range windows {
		t.Logf("member %d: #%d start %s (offset %v ± %v), result start %s", i, w.Member, w.Start.Format("15:04:05.000000"), w.ClockOffset, w.ClockError, results[i].Start.Format("15:04:05.000000"))
		if w.ID != windows[0].ID || !w.ServerStart.Equal(windows[0].ServerStart) {
			t.Errorf("member %d agreed on gathering %s at %v, member 0 on %s at %v", i, w.ID, w.ServerStart, windows[0].ID, windows[0].ServerStart)
		}
		members[w.Member] = true
		// The start is Lead + warm-up after the last arrival, not before it.
		if w.Start.Before(last.Add(opts.Lead + warmup)) {
			t.Errorf("member %d starts %v after the last arrival, want at least Lead + warm-up (%v)", i, w.Start.Sub(last), opts.Lead+warmup)
		}
		// On one host the members' clocks are one clock: their windows open
		// within a few ms (the offset measurement's error, the spin's wake-up).
		if d := results[i].Start.Sub(results[0].Start).Abs(); d > 3*time.Millisecond {
			t.Errorf("member %d's window opened %v from member 0's", i, d)
		}
	}
	// The first member waited for the second and then the third: it was told
	// 1, then 2 arrived; the last one never waited.
	if got := fmt.Sprint(waits[0], waits[size-1]); got != "[1 2] []" {
		t.Errorf("OnWait told the first and last members %s, want [1 2] []", got)
	}
	if len(members) != size {
		t.Errorf("arrival indices %v, want 1..%d once each", members, size)
	}

	merged, err := reports.Merge(results, false)
	if err != nil {
		t.Fatal(err)
	}
	var sum result.Counts
	for _, r := range results {
		sum.Completed += r.Counts.Completed
		sum.OK += r.Counts.OK
	}
	if merged.Counts.Completed != sum.Completed || merged.Counts.OK != sum.OK || sum.Completed == 0 {
		t.Errorf("merged counts %+v, want the members' sums (completed %d, ok %d)", merged.Counts, sum.Completed, sum.OK)
	}
	fw, ok, err := result.FleetWindowOf(merged)
	if !ok || err != nil || fw.Members != size || fw.Member != 0 || fw.ID != windows[0].ID {
		t.Errorf("merged fleet window %+v (%v, %v), want gathering %s with %d members", fw, ok, err, windows[0].ID, size)
	}
	// Two results claiming one member's place are not a fleet of two.
	impostor := *results[1]
	impostor.Extras = maps.Clone(results[1].Extras)
	fw1 := windows[1].Record()
	fw1.Member = windows[0].Member
	impostor.Extras[result.FleetExtrasKey] = fw1.Map()
	if _, err := reports.Merge([]*result.Result{results[0], &impostor}, false); !isFleetMismatch(err) {
		t.Errorf("merging two results of member %d: %v, want a *FleetMismatchError", windows[0].Member, err)
	}
}

func isFleetMismatch(err error) bool {
	var fm *reports.FleetMismatchError
	return errors.As(err, &fm)
}

func TestRoundsAreSeparateWindowsThatDoNotMerge(t *testing.T) {
	srv := redistest.Start(t)
	f := fleet.Fleet{Name: "rounds", Size: 2}
	opts := fleet.Options{ArriveWithin: 5 * time.Second, Lead: 500 * time.Millisecond}
	var results [2][2]*result.Result // [round][member]
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			m := fleet.NewMember(client(t, srv.Addr()), f, opts)
			for round := range 2 {
				w, err := m.Gather(context.Background(), "noop", warmup, 100*time.Millisecond)
				if err != nil {
					t.Errorf("member %d round %d: %v", i, round+1, err)
					return
				}
				if w.Round != round+1 {
					t.Errorf("round %d numbered %d", round+1, w.Round)
				}
				if results[round][i], err = measure(w, int64(i+1)); err != nil {
					t.Errorf("member %d round %d: %v", i, round+1, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for round := range 2 {
		if _, err := reports.Merge(results[round][:], false); err != nil {
			t.Errorf("round %d: %v", round+1, err)
		}
	}
	_, err := reports.Merge([]*result.Result{results[0][0], results[1][1]}, false)
	if !isFleetMismatch(err) || !strings.Contains(err.Error(), "round 2") {
		t.Errorf("merging rounds 1 and 2: %v, want a *FleetMismatchError naming the rounds", err)
	}
}

func TestAMemberMissingAtTheDeadlineFailsTheFleet(t *testing.T) {
	srv := redistest.Start(t)
	f := fleet.Fleet{Name: "short", Size: 3}
	opts := fleet.Options{ArriveWithin: 400 * time.Millisecond}
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			o := opts
			o.Describe = fmt.Sprintf("m%d", i)
			_, errs[i] = fleet.NewMember(client(t, srv.Addr()), f, o).Gather(context.Background(), "noop", 0, time.Second)
		})
	}
	wg.Wait()
	for i, err := range errs {
		var fe *fleet.Error
		if !errors.As(err, &fe) {
			t.Fatalf("member %d: %v, want a *fleet.Error", i, err)
		}
		if !strings.Contains(err.Error(), "only 2 of 3 members arrived") || len(fe.Arrived) != 2 {
			t.Errorf("member %d: %q, want it to say 2 of 3 arrived and name them", i, err)
		}
	}
	// Once every member has been told, a new gathering under the same name can
	// start at once: the failure is kept only a few seconds.
}

func TestAMemberArrivingAfterTheStartIsRefused(t *testing.T) {
	srv := redistest.Start(t)
	f := fleet.Fleet{Name: "late", Size: 2}
	opts := fleet.Options{ArriveWithin: 5 * time.Second, Lead: 50 * time.Millisecond}
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if _, err := fleet.NewMember(client(t, srv.Addr()), f, opts).Gather(context.Background(), "noop", 0, 10*time.Second); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	_, err := fleet.NewMember(client(t, srv.Addr()), f, opts).Gather(context.Background(), "noop", 0, 10*time.Second)
	var fe *fleet.Error
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "after the others had started") {
		t.Fatalf("late member: %v, want a *fleet.Error saying it came after the start", err)
	}
}

func TestMembersAboutToMeasureDifferentCellsFail(t *testing.T) {
	srv := redistest.Start(t)
	f := fleet.Fleet{Name: "mixed", Size: 2}
	opts := fleet.Options{ArriveWithin: 5 * time.Second}
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, cell := range []string{"redis-gcra c=4", "redis-gcra c=8"} {
		wg.Go(func() {
			time.Sleep(time.Duration(i) * 100 * time.Millisecond)
			_, errs[i] = fleet.NewMember(client(t, srv.Addr()), f, opts).Gather(context.Background(), cell, 0, time.Second)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "is about to measure redis-gcra c=8, the others redis-gcra c=4") {
			t.Errorf("member %d: %v, want both told the cells differ", i, err)
		}
	}
}

func TestAFleetGathersOnACluster(t *testing.T) {
	cluster := redistest.StartCluster(t, 3, 0)
	f := fleet.Fleet{Name: "clustered", Size: 2}
	windows := make([]*fleet.Window, 2)
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			w, err := fleet.NewMember(client(t, cluster.Addrs()...), f, fleet.Options{Lead: 100 * time.Millisecond}).Gather(context.Background(), "noop", 0, time.Second)
			if err != nil {
				t.Error(err)
			}
			windows[i] = w
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	if windows[0].ID != windows[1].ID || !windows[0].ServerStart.Equal(windows[1].ServerStart) {
		t.Fatalf("windows %+v and %+v differ", windows[0], windows[1])
	}
}

func TestAMemberThatLeavesFailsTheOthersAtOnce(t *testing.T) {
	srv := redistest.Start(t)
	f := fleet.Fleet{Name: "leaver", Size: 3}
	opts := fleet.Options{ArriveWithin: time.Minute, Describe: "quitter"}
	ctx, cancel := context.WithCancel(context.Background())
	quit := make(chan error, 1)
	quitterIn := make(chan struct{})
	go func() {
		o := opts
		o.OnWait = arrivedOnce(quitterIn)
		_, err := fleet.NewMember(client(t, srv.Addr()), f, o).Gather(ctx, "noop", 0, time.Second)
		quit <- err
	}()
	<-quitterIn
	stayed := make(chan error, 1)
	stayerIn := make(chan struct{})
	go func() {
		o := opts
		o.Describe, o.OnWait = "stayer", arrivedOnce(stayerIn)
		_, err := fleet.NewMember(client(t, srv.Addr()), f, o).Gather(context.Background(), "noop", 0, time.Second)
		stayed <- err
	}()
	<-stayerIn
	cancel()
	if err := <-quit; !errors.Is(err, context.Canceled) {
		t.Fatalf("the interrupted member: %v, want context.Canceled", err)
	}
	select {
	case err := <-stayed:
		if err == nil || !strings.Contains(err.Error(), "quitter left before the start") {
			t.Fatalf("the member left waiting: %v, want told that the quitter left", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the member left waiting was not told within 5s (the deadline is a minute away)")
	}
}

// arrivedOnce is an Options.OnWait that closes in at the member's first
// report, which Gather makes once it has joined.
func arrivedOnce(in chan struct{}) func(round, arrived, size int) {
	var once sync.Once
	return func(int, int, int) { once.Do(func() { close(in) }) }
}
