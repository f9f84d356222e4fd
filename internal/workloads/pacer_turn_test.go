package workloads

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// gapArrivals is a schedule of instants gap apart from start.
func gapArrivals(start, gap time.Duration) Arrivals {
	next := start
	return ArrivalsFunc(func() (time.Duration, bool) {
		at := next
		next += gap
		return at, true
	})
}

// newLendingTurn is a turn on the platform's alarm, closed when the test ends;
// the test is skipped where there is none (the turn is never lent there).
func newLendingTurn(t *testing.T) (*turn, runClock) {
	t.Helper()
	clock := newRunClock()
	tn := newTurn(clock)
	t.Cleanup(tn.close)
	if tn.alarm == nil {
		t.Skip("no precise alarm on this platform: the turn is never lent")
	}
	return tn, clock
}

func TestTurnLentTurnIsTakenStraightBack(t *testing.T) {
	tn, clock := newLendingTurn(t)
	now := clock.now()
	tn.take(0)
	// The next instant an hour away: the alarm would ring long after this test.
	tn.prepare(gapArrivals(time.Duration(now)+time.Hour, time.Second), now)
	tn.release(0, 0)
	if got := tn.lentBy.Load(); got != 1 {
		t.Fatalf("lentBy = %d after worker 0 lent the turn, want 1", got)
	}
	tn.take(0)
	if tn.kept.Load() != 1 || tn.passed.Load() != 0 || len(tn.tok) != 0 {
		t.Fatalf("kept %d, passed %d, %d tokens free: the lender should hold the turn again without a hand-off",
			tn.kept.Load(), tn.passed.Load(), len(tn.tok))
	}
	if at, more := tn.next(nil); !more || at != time.Duration(now)+time.Hour {
		t.Fatalf("next = %v, %v; want the instant claimed early", at, more)
	}
	tn.pass()
}

func TestTurnAlarmHandsOnATurnWhoseLenderIsBusy(t *testing.T) {
	tn, clock := newLendingTurn(t)
	// lendAndLoseIt has worker from lend the turn and worker to get it from
	// the alarm, which rings lendLead before the next instant, 2 ms away.
	lendAndLoseIt := func(from, to int) {
		t.Helper()
		now := clock.now()
		stolen := tn.stolen.Load()
		tn.prepare(gapArrivals(time.Duration(now)+lendLead+2*time.Millisecond, time.Second), now)
		tn.release(from, 0)
		if tn.lentBy.Load() != int64(from)+1 {
			t.Fatalf("lentBy = %d, want worker %d to have lent the turn", tn.lentBy.Load(), from)
		}
		got := make(chan struct{})
		go func() { tn.take(to); close(got) }()
		<-got // worker to can only get here by the alarm handing the token on
		if tn.stolen.Load() != stolen+1 || tn.lentBy.Load() != 0 {
			t.Fatalf("stolen %d, lentBy %d: want the lent token handed on once", tn.stolen.Load()-stolen, tn.lentBy.Load())
		}
		// Worker to holds the turn now, so nobody else may get it.
		select {
		case <-tn.tok:
			t.Fatal("a second token appeared")
		default:
		}
		tn.next(nil) // worker to takes the instant worker from claimed
	}
	tn.take(0)
	lendAndLoseIt(0, 1)
	// One hand-on is a stall, not slow ops: worker 1 lends the turn again,
	// and loses it too.
	lendAndLoseIt(1, 2)
	// Twice within lendBackoff releases: ops that slow are not worth lending
	// for, so worker 2 passes the turn at once, however far away its next
	// instant.
	tn.prepare(gapArrivals(time.Duration(clock.now())+time.Hour, time.Second), clock.now())
	tn.release(2, 0)
	if tn.lentBy.Load() != 0 || len(tn.tok) != 1 {
		t.Fatalf("lentBy %d, %d tokens free: after two hand-ons the turn should be passed, not lent", tn.lentBy.Load(), len(tn.tok))
	}
	tn.take(0)
	if tn.kept.Load() != 0 {
		t.Fatal("a lender took back a turn the alarm had handed on")
	}
	tn.pass()
}

func TestTurnIsLentEvenWhenTheNextInstantIsDue(t *testing.T) {
	tn, clock := newLendingTurn(t)
	tn.take(0)
	// A run catching up: the next instant is already past.
	tn.prepare(gapArrivals(time.Duration(clock.now())-time.Millisecond, time.Second), clock.now()-2*int64(time.Millisecond))
	tn.release(0, 0)
	if tn.lentBy.Load() != 1 {
		t.Fatalf("lentBy = %d, want the turn lent by worker 0", tn.lentBy.Load())
	}
	// Either the lender is back within lendMinWindow and keeps it, or the
	// alarm handed it on; both leave exactly one holder.
	tn.take(0)
	if tn.kept.Load()+tn.stolen.Load() != 1 {
		t.Fatalf("kept %d, stolen %d: want the lent turn to have ended one way", tn.kept.Load(), tn.stolen.Load())
	}
	tn.pass()
}

// TestTurnIsHeldByOneWorkerAtATime has many workers take, lend and pass the turn
// on a fast schedule, some of them slow to come back, and checks no two ever
// hold it at once (and, by finishing, that the token is never lost).
func TestTurnIsHeldByOneWorkerAtATime(t *testing.T) {
	clock := newRunClock()
	tn := newTurn(clock)
	// Every instant 300 µs after it is claimed: far enough to lend the turn.
	arrivals := ArrivalsFunc(func() (time.Duration, bool) { return time.Duration(clock.now()) + 300*time.Microsecond, true })
	var holders, overlaps atomic.Int64
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 300 {
				tn.take(w)
				if holders.Add(1) != 1 {
					overlaps.Add(1)
				}
				tn.next(arrivals)
				holders.Add(-1)
				if i%2 == 0 {
					tn.prepare(arrivals, clock.now())
					tn.release(w, 0)
				} else {
					tn.pass()
				}
				if i%7 == 0 {
					time.Sleep(2 * time.Millisecond) // a slow op: the alarm hands on
				}
			}
		})
	}
	wg.Wait()
	tn.close()
	if n := overlaps.Load(); n > 0 {
		t.Fatalf("%d times two workers held the turn at once", n)
	}
	if tn.alarm != nil && (tn.kept.Load() == 0 || tn.stolen.Load() == 0) {
		t.Fatalf("kept %d, stolen %d: both ways a lent turn ends should have happened", tn.kept.Load(), tn.stolen.Load())
	}
}

// recordingAlarm is an alarm that never rings and records how it was set.
type recordingAlarm struct {
	arms     []int64 // deadlines, in order
	disarms  int
	shutdown chan struct{}
}

func (a *recordingAlarm) arm(deadline int64) { a.arms = append(a.arms, deadline) }
func (a *recordingAlarm) disarm()            { a.disarms++ }
func (a *recordingAlarm) wait() bool         { <-a.shutdown; return false }
func (a *recordingAlarm) close()             { close(a.shutdown) }

// newRecordedTurn is a turn on a recordingAlarm, closed when the test ends.
func newRecordedTurn(t *testing.T) (*turn, *recordingAlarm) {
	a := &recordingAlarm{shutdown: make(chan struct{})}
	tn := newTurnOn(newRunClock(), a)
	t.Cleanup(tn.close)
	return tn, a
}

// The alarm's system call is made before the lender waits for its instant,
// not between the instant and its op: an op on time makes none, and only one
// already later than its window allows re-arms it from its start.
func TestTurnArmsItsAlarmBeforeTheWait(t *testing.T) {
	t.Run("an op on time makes no system call after its instant", func(t *testing.T) {
		tn, a := newRecordedTurn(t)
		intended := tn.clock.now() + int64(time.Hour)
		tn.take(0)
		// The next instant 200 µs after this one, as at 5000 ops/s: the
		// alarm rings lendLateness + lendMinWindow after the instant, not
		// lendLead before the next one.
		tn.prepare(gapArrivals(time.Duration(intended)+200*time.Microsecond, time.Second), intended)
		if want := intended + int64(lendLateness+lendMinWindow); len(a.arms) != 1 || a.arms[0] != want {
			t.Fatalf("prepare armed %v, want once for %d (150µs after the instant)", a.arms, want)
		}
		tn.release(0, 0)
		if len(a.arms) != 1 || a.disarms != 0 {
			t.Fatalf("release armed %d times more and disarmed %d: an op on time should make no system call", len(a.arms)-1, a.disarms)
		}
		// Its lender takes it back with no system call either, and the next
		// prepare re-arms it.
		tn.take(0)
		if a.disarms != 0 || tn.kept.Load() != 1 {
			t.Fatalf("take back: disarms %d, kept %d; want 0 and 1", a.disarms, tn.kept.Load())
		}
		next, _ := tn.next(nil)
		tn.prepare(gapArrivals(next+10*time.Millisecond, time.Second), int64(next))
		if len(a.arms) != 2 || a.arms[1] != int64(next)+10*int64(time.Millisecond)-int64(lendLead) {
			t.Fatalf("second prepare armed %v, want lendLead before the instant 10 ms on", a.arms)
		}
	})
	t.Run("an op later than its window re-arms the alarm from its start", func(t *testing.T) {
		tn, a := newRecordedTurn(t)
		intended := tn.clock.now() - int64(time.Second)
		tn.take(0)
		tn.prepare(gapArrivals(time.Duration(intended)+200*time.Microsecond, time.Second), intended)
		before := tn.clock.now()
		tn.release(0, 0)
		if len(a.arms) != 2 || a.arms[1] < before+int64(lendMinWindow) {
			t.Fatalf("arms %v: a lend a second late should re-arm for at least %d (lendMinWindow from its start)", a.arms, before+int64(lendMinWindow))
		}
	})
	t.Run("a holder that passes the turn quiets an alarm set for an earlier lend", func(t *testing.T) {
		tn, a := newRecordedTurn(t)
		intended := tn.clock.now() + int64(time.Hour)
		tn.take(0)
		tn.prepare(gapArrivals(time.Duration(intended)+time.Millisecond, time.Second), intended)
		tn.release(0, 0)
		tn.take(0)
		tn.next(nil)
		tn.prepare(ArrivalsFunc(func() (time.Duration, bool) { return 0, false }), intended+int64(time.Millisecond))
		if a.disarms != 1 {
			t.Fatalf("disarms = %d, want 1 when the turn is passed with the alarm still set", a.disarms)
		}
		tn.release(0, 0)
		if len(tn.tok) != 1 || tn.lentBy.Load() != 0 {
			t.Fatal("the turn should have been passed, not lent")
		}
	})
}

// An alarm armed before the wait can ring before its lend is published (the
// lender woke that late) and find nothing to hand on; the lend must still be
// handed on if its lender never comes back.
func TestTurnHandsOnALendWhoseAlarmRangBeforeIt(t *testing.T) {
	tn, clock := newLendingTurn(t)
	tn.take(0)
	intended := clock.now()
	tn.prepare(gapArrivals(time.Duration(intended)+200*time.Microsecond, time.Second), intended)
	time.Sleep(5 * time.Millisecond) // the alarm rings meanwhile, with nothing lent
	tn.release(0, 0)                 // and worker 0 never comes back
	got := make(chan struct{})
	go func() { tn.take(1); close(got) }()
	select {
	case <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("worker 1 never got a turn whose lender was gone: the alarm rang before the lend and was not re-armed")
	}
	if tn.stolen.Load() != 1 {
		t.Fatalf("stolen = %d, want the lend handed on once", tn.stolen.Load())
	}
	tn.pass()
}

// Before a batch's sleep a lazy turn's alarm is set once, lazyWindow past the
// wake-up, so the first lend after it needs no arming; with a window under
// twice lendLead it is disarmed instead.
func TestTurnAsleepSetsTheLazyAlarmPastTheWakeUp(t *testing.T) {
	t.Parallel()
	tn, a := newRecordedTurn(t)
	tn.lazy, tn.lazyWindow = true, int64(250*time.Microsecond)
	deadline := tn.clock.now() + int64(time.Hour)
	tn.asleep(deadline)
	if want := deadline + tn.lazyWindow; len(a.arms) != 1 || a.arms[0] != want || a.disarms != 0 {
		t.Fatalf("asleep: arms %v, disarms %d; want one arming for %d and no disarming", a.arms, a.disarms, want)
	}
	// Woken on time, the batch's first op is due: its lend finds the alarm
	// armed far enough ahead and makes no system call.
	tn.take(0)
	tn.prepare(gapArrivals(time.Duration(deadline)-time.Millisecond, time.Microsecond), deadline-int64(time.Millisecond))
	tn.release(0, deadline)
	if len(a.arms) != 1 {
		t.Fatalf("the wake-up's first lend armed again: %v", a.arms)
	}

	short, b := newRecordedTurn(t)
	short.lazy, short.lazyWindow = true, int64(125*time.Microsecond)
	short.armed = true
	short.asleep(deadline)
	if len(b.arms) != 0 || b.disarms != 1 {
		t.Fatalf("a 125µs window: arms %v, disarms %d; want the alarm disarmed", b.arms, b.disarms)
	}
}
