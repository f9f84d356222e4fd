package workloads

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncbench/syncbench/result"
)

// batchSim drives the batch pacer the way the open loop's turn holder does,
// on a simulated clock: it claims the n instants of a constant schedule at
// rate in turn, waits for each and "starts" its op at the clock the wait
// returned on, the op taking opCost. Every sleep ends late ns after its
// deadline. It returns each op's intended instant and start, and the clock at
// each wake-up, in order.
func batchSim(t *testing.T, rate float64, n int, interval, late, opCost time.Duration) (intended, started, wakes []int64, p *pacer) {
	t.Helper()
	p = newPacer(PacerBatch, newRunClock(), 1, rate)
	defer p.close()
	p.setBatch(interval)
	p.sim = &simClock{late: func(deadline int64) int64 {
		wakes = append(wakes, deadline+int64(late))
		return int64(late)
	}}
	arrivals := Constant(rate)
	never := func() bool { return false }
	for range n {
		at, more := arrivals.Next()
		if !more {
			t.Fatal("the constant schedule ended")
		}
		if !p.wait(0, int64(at), never, true) {
			t.Fatal("wait gave up without being stopped")
		}
		intended, started = append(intended, int64(at)), append(started, p.sim.t)
		p.sim.t += int64(opCost)
	}
	return intended, started, wakes, p
}

// scheduleSlots returns the first n instants of a constant schedule at rate
// (ns), each within a nanosecond of i/rate (the schedule rounds).
func scheduleSlots(t *testing.T, rate float64, n int) []int64 {
	t.Helper()
	a := Constant(rate)
	slots := make([]int64, n)
	for i := range slots {
		at, _ := a.Next()
		slots[i] = int64(at)
		if exact := float64(i) * float64(time.Second) / rate; float64(slots[i]) < exact-1 || float64(slots[i]) > exact+1 {
			t.Fatalf("slot %d at %d ns, not i/rate = %.0f ns", i, slots[i], exact)
		}
	}
	return slots
}

func TestBatchPacerReleasesExactlyTheOpsDueByEachWake(t *testing.T) {
	t.Parallel()
	const (
		rate     = 5000 // 200 µs apart
		n        = 5000 // a simulated second
		interval = time.Millisecond
		late     = 37 * time.Microsecond
	)
	gap := int64(time.Second / rate)
	intended, started, wakes, p := batchSim(t, rate, n, interval, late, 0)
	slots := scheduleSlots(t, rate, n)
	for i, at := range intended {
		// Each op's intended instant is its slot on the schedule, whenever
		// it started: the batch's lateness is the op's lag.
		if at != slots[i] {
			t.Fatalf("op %d intended at %d ns, its slot is %d ns", i, at, slots[i])
		}
		if started[i] < at {
			t.Fatalf("op %d started %d ns before its instant", i, at-started[i])
		}
		if lag := started[i] - at; lag > int64(interval+late) {
			t.Fatalf("op %d started %v late, more than an interval plus the wake-up's lateness", i, time.Duration(lag))
		}
	}
	// Every wake releases exactly the ops due by it and not yet started: those
	// whose slots fall after the previous wake, up to this one. With ops that
	// take no time nothing else starts them.
	prev := int64(0) // the first op is due at 0: it starts without a sleep
	released := 1
	if started[0] != 0 {
		t.Fatalf("the op due at the start started at %d ns", started[0])
	}
	i := 1
	for k, w := range wakes {
		want := 0
		for j := 1; j < n; j++ {
			if s := slots[j]; s > prev && s <= w {
				want++
			}
		}
		got := 0
		for ; i < n && started[i] == w; i++ {
			got++
		}
		if got != want {
			t.Fatalf("wake %d at %v released %d ops, %d were due by it since the last", k, time.Duration(w), got, want)
		}
		if k > 0 && w-wakes[k-1] < int64(interval) {
			t.Fatalf("wake %d came %v after the last, sooner than the interval", k, time.Duration(w-wakes[k-1]))
		}
		released += got
		prev = w
	}
	if released != n || i != n {
		t.Fatalf("wakes released %d of %d ops", released, n)
	}
	// One wake-up per interval plus its lateness: 5000 ops 200 µs apart span
	// 999.8 ms, the wakes come every 1.037 ms from 1.037 ms on.
	if want := int(int64(n-1)*gap/int64(interval+late)) + 1; len(wakes) != want {
		t.Fatalf("%d wake-ups, want %d", len(wakes), want)
	}
	s := p.stats(result.LatencySummary{}, time.Second)
	if s.Wakes != int64(len(wakes)) || s.SpinNs != 0 || s.BatchNs != int64(interval) {
		t.Fatalf("stats: %d wakes, %d ns spinning, interval %d ns; want %d, 0 and %d", s.Wakes, s.SpinNs, s.BatchNs, len(wakes), int64(interval))
	}
}

// TestBatchPacerKeepsToItsGridWhileServing: ops that take time are served back
// to back after a wake, and the next wake is the next point of the interval's
// grid, not an interval after the holder caught up; a grid point closer than
// minSleep is spun for rather than slept for.
func TestBatchPacerKeepsToItsGridWhileServing(t *testing.T) {
	t.Parallel()
	const (
		rate     = 200000 // 5 µs apart
		n        = 20000  // 100 ms
		interval = time.Millisecond
		opCost   = 2 * time.Microsecond
	)
	gap := int64(time.Second / rate)
	intended, started, wakes, _ := batchSim(t, rate, n, interval, 0, opCost)
	slots := scheduleSlots(t, rate, n)
	for k, w := range wakes {
		if (w-wakes[0])%int64(interval) != 0 {
			t.Fatalf("wake %d at %v is off the grid of %v from %v", k, time.Duration(w), interval, time.Duration(wakes[0]))
		}
	}
	// 100 ms of schedule, a wake-up per millisecond: the holder serves each
	// batch of 200 ops in 400 µs, so it never finds the next grid point
	// closer than minSleep.
	if len(wakes) != n*int(gap)/int(interval) {
		t.Fatalf("%d wake-ups over %v, want one per %v", len(wakes), time.Duration(int64(n)*gap), interval)
	}
	for i, at := range intended {
		if at != slots[i] || started[i] < at {
			t.Fatalf("op %d: intended %d, started %d, its slot is %d", i, at, started[i], slots[i])
		}
		if lag := started[i] - at; lag > int64(interval)+200*int64(opCost) {
			t.Fatalf("op %d started %v late: more than an interval and a batch's serving", i, time.Duration(lag))
		}
	}
}

func TestBatchDeadlineSpinsForAGridPointTooCloseToSleep(t *testing.T) {
	t.Parallel()
	p := newPacer(PacerBatch, newRunClock(), 1, 0)
	defer p.close()
	p.setBatch(time.Millisecond)
	ms := int64(time.Millisecond)
	p.lastWake.Store(10 * ms)
	for _, c := range []struct {
		at, now, deadline int64
		sleep             bool
	}{
		{at: 10*ms + 5000, now: 10*ms + 1000, deadline: 11 * ms, sleep: true},               // due before the next grid point: wait for it
		{at: 12*ms + 5000, now: 10*ms + 1000, deadline: 12*ms + 5000, sleep: true},          // due after it: sleep until the op
		{at: 11*ms + 5000, now: 11*ms + 1000, deadline: 12 * ms, sleep: true},               // past a grid point: the next one
		{at: 11*ms + 999_990, now: 11*ms + 980_000, deadline: 12 * ms, sleep: false},        // 20 µs to it: spin
		{at: 13*ms + 100, now: 12*ms + 999_000, deadline: 13*ms + 100, sleep: false},        // the op itself is 1.1 µs away
		{at: 10*ms + 100, now: 10*ms + 50, deadline: 11 * ms, sleep: true},                  // just woke: the full interval
		{at: 14*ms + 600_000, now: 14*ms + 100_000, deadline: 15 * ms, sleep: true},         // far past: the grid goes on
		{at: 15*ms + 100_000, now: 14*ms + 990_000, deadline: 15*ms + 100_000, sleep: true}, // op beyond the near grid point
	} {
		deadline, sleep := p.batchDeadline(c.at, c.now)
		if deadline != c.deadline || sleep != c.sleep {
			t.Errorf("at %d, now %d: deadline %d, sleep %v; want %d, %v", c.at, c.now, deadline, sleep, c.deadline, c.sleep)
		}
	}
}

func TestChoosePacerTakesTheCheapestMeasuredModeWithinTheBudget(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		rate   float64
		maxLag time.Duration
		mode   string
		batch  time.Duration
	}{
		{5000, 2 * time.Millisecond, PacerBatch, 1100 * time.Microsecond}, // 1.16 ms at 0.039 cores, the default interval's 0.044
		{5000, 1100 * time.Microsecond, PacerBatch, time.Millisecond},     // 1.07 ms: the wider interval's 1.16 ms is over
		{5000, time.Millisecond, PacerSleep, 0},                           // both batches are over; sleep (0.202) beats hybrid (0.203)
		{5000, 50 * time.Microsecond, PacerHybrid, 0},                     // sleep's 50.7 µs is over
		{5000, 10 * time.Microsecond, PacerSpin, 0},
		{5000, time.Microsecond, PacerSpin, 0},                             // nothing fits: the lowest lag
		{200000, 2 * time.Millisecond, PacerBatch, time.Millisecond},       // 1.00 ms at 0.067 cores
		{200000, 900 * time.Microsecond, PacerBatch, FastPacerBatch},       // 522 µs at 0.102 cores
		{150000, 900 * time.Microsecond, PacerBatch, FastPacerBatch},       // nearest measured rate: 200k
		{200000, 30 * time.Microsecond, PacerSpin, 0},                      // 29.6 µs at 1.69 cores, against the hybrid's 1.71
		{200000, 29 * time.Microsecond, PacerHybrid, 0},                    // only the hybrid fits
		{20000, 2 * time.Millisecond, PacerBatch, 1100 * time.Microsecond}, // 1.14 ms at 0.035 cores against 0.038
		{20000, time.Millisecond, PacerSleep, 0},                           // both batches are over: sleep at 0.352
		{1000, 2 * time.Millisecond, PacerSleep, 0},                        // sleep, hybrid and the wider batch all at 0.032: the lowest lag
		{1500, 500 * time.Microsecond, PacerSleep, 0},                      // nearest: 1000; 158 µs at 0.032
		{3000, 2 * time.Millisecond, PacerBatch, 1100 * time.Microsecond},  // nearest: 5000
		{0, 2 * time.Millisecond, PacerBatch, 1100 * time.Microsecond},     // unknown rate: as 5000
	} {
		got := ChoosePacer(c.rate, c.maxLag)
		if got.Mode != c.mode || got.Batch != c.batch || got.Reason == "" {
			t.Errorf("ChoosePacer(%g, %v) = %+v; want %s with interval %v and a reason", c.rate, c.maxLag, got, c.mode, c.batch)
		}
	}
	if r := ChoosePacer(5000, time.Microsecond).Reason; !strings.Contains(r, "no measured pacer") {
		t.Errorf("a budget nothing meets gave the reason %q", r)
	}
	if r := ChoosePacer(5000, 1100*time.Microsecond).Reason; !strings.Contains(r, "batch 1.10ms") || !strings.Contains(r, "over it") {
		t.Errorf("the reason %q does not name the cheaper point it passed over", r)
	}
}

func TestAMaxLagRunRunsTheChoiceAndIsJudgedAgainstIt(t *testing.T) {
	t.Parallel()
	spec := testSpec()
	spec.Rate, spec.Concurrency, spec.Pacer, spec.MaxLag = 5000, 4, "", 5*time.Millisecond
	run, err := Drive(context.Background(), &counter{}, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if run.Pacer == nil || run.Pacer.Mode != PacerBatch || run.Pacer.BatchNs != int64(1100*time.Microsecond) || !strings.Contains(run.Pacer.Choice, "cheapest") {
		t.Fatalf("pacer %+v; want the batch mode chosen, with its reason", run.Pacer)
	}
	// A budget no pacer meets: the lowest-lag mode runs, and the run is
	// pacer-limited against the budget.
	spec.MaxLag = time.Nanosecond
	run, err = Drive(context.Background(), &counter{}, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if run.Pacer.Mode != PacerSpin || !run.PacerLimited || !strings.Contains(run.PacerLimitedReason, "-max-lag budget of 1ns") {
		t.Fatalf("mode %s, pacer-limited %v (%q); want spin, judged against the 1ns budget", run.Pacer.Mode, run.PacerLimited, run.PacerLimitedReason)
	}
}
