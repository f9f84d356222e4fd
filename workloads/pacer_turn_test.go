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

func TestTurnLentTurnIsTakenStraightBack(t *testing.T) {
	clock := newRunClock()
	tn := newTurn(clock)
	defer tn.close()
	if tn.alarm == nil {
		t.Skip("no precise alarm on this platform: the turn is never lent")
	}
	now := clock.now()
	tn.take(0)
	// The next instant an hour away: the alarm would ring long after this test.
	tn.release(0, gapArrivals(time.Duration(now)+time.Hour, time.Second), now)
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
	clock := newRunClock()
	tn := newTurn(clock)
	defer tn.close()
	if tn.alarm == nil {
		t.Skip("no precise alarm on this platform: the turn is never lent")
	}
	// lendAndLoseIt has worker from lend the turn and worker to get it from
	// the alarm, which rings lendLead before the next instant, 2 ms away.
	lendAndLoseIt := func(from, to int) {
		t.Helper()
		now := clock.now()
		stolen := tn.stolen.Load()
		tn.release(from, gapArrivals(time.Duration(now)+lendLead+2*time.Millisecond, time.Second), now)
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
	tn.release(2, gapArrivals(time.Duration(clock.now())+time.Hour, time.Second), clock.now())
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
	clock := newRunClock()
	tn := newTurn(clock)
	defer tn.close()
	if tn.alarm == nil {
		t.Skip("no precise alarm on this platform: the turn is never lent")
	}
	tn.take(0)
	// A run catching up: the next instant is already past.
	tn.release(0, gapArrivals(time.Duration(clock.now())-time.Millisecond, time.Second), clock.now())
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
					tn.release(w, arrivals, clock.now())
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
