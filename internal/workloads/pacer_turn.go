package workloads

import (
	"sync/atomic"
	"time"
)

// turn serialises the open loop's workers on the shared schedule. The worker
// holding it claims the next instant (Arrivals are not safe for concurrent use)
// and, below turnPacingMaxRate, waits for that instant before letting the turn
// go, so one goroutine waits on the clock however many workers the run has.
//
// The token is a one-slot channel rather than a sync.Mutex: workers queued for
// the turn park on the channel, which the runtime's /sync/mutex/wait/total:seconds
// does not count, so the harness's own hand-offs are not reported as the
// target's lock contention (with a mutex they were nearly all of it).
//
// Handing the turn to a parked worker wakes it: about 30 µs of CPU per op here,
// more than the rest of the pacing at kHz rates. So a holder whose next instant
// is far enough away lends the turn instead: it keeps the token while it runs its
// op and takes the turn straight back if it returns in time, with nobody woken.
// Should the op still be running lendLead before the next instant, an alarm
// (a kernel timer, read by one watchdog goroutine) hands the token to a parked
// worker, which then waits for that instant as usual. Exactly one of the lender
// and the watchdog wins the lent token (a compare-and-swap), so it is never lost
// or duplicated.
//
// Arming the alarm is a system call of several µs here (the timer may become
// the processor's next one, and reprogramming that exits to the hypervisor): on
// the way from an instant to its op it was the harness's largest share of every
// op's lag, 4–7 µs at the median and 19 µs at p99 at 5000 ops/s. So the holder
// prepares the lend before it waits for its instant (prepare: it claims the
// next instant and arms the alarm, counting from its own instant) and only
// publishes it once the instant has come (release). Nor is the alarm disarmed
// when its lender takes the turn back: the next prepare re-arms it, and a ring
// that finds nothing lent changes nothing.
type turn struct {
	tok    chan struct{}
	lentBy atomic.Int64 // 1 + the worker that lent the token; 0 when not lent
	alarm  alarm        // nil where there is no precise timer: never lend
	clock  runClock
	done   chan struct{}

	// The next instant, claimed early by a holder that prepared a lend (so it
	// knew when the alarm had to ring). Touched only by the turn's holder.
	pending     time.Duration
	pendingMore bool
	hasPending  bool
	// Whether the holder's release lends the turn, and the run-clock instant
	// (ns) the alarm was armed for; armed says the alarm may still ring for
	// an earlier lend. Touched only by the turn's holder.
	lend   bool
	ringAt int64
	armed  bool
	// lazy is the batch pacer's way to lend: the alarm is armed when a lend is
	// published, not when it is prepared, for lazyWindow from then, and only
	// when the alarm set for an earlier lend would ring within lazyWindow/2;
	// before it sleeps the holder disarms it or sets it past the wake-up
	// (asleep). A batch's ops are
	// already due when they are claimed, so the eager way would make two
	// alarm system calls per op (one to arm, one more because the ring it
	// armed for was already too close). Arming is a timer reprogramming that
	// exits to the hypervisor here: at 200k ops/s, re-arming every
	// lendMinWindow/2 of serving took 0.5–0.6 cores (getrusage) while the
	// machine's own tick accounting saw it idle. With lazyWindow a quarter of
	// the batch interval, a batch costs one arming, one more per
	// lazyWindow/2 it takes to serve, and one disarming; a lender stuck in
	// its op is handed on within lazyWindow, inside the lag the batch accepts
	// anyway. Both set before the workers start.
	lazy       bool
	lazyWindow int64
	// After the alarm had to hand lent turns on twice within lendBackoff
	// releases (the ops are slow), the next lendBackoff releases pass the turn
	// at once: a slow op's lender rarely comes back in time, and the alarm's
	// wake-up plus the parked worker's would leave that worker less time, and
	// one more wake-up, than a hand-off right away. A single hand-on is taken
	// for a stall (the host or the scheduler kept the lender off its
	// processor), not for slow ops: backing off then would put the next 64 ops
	// through hand-offs between parked goroutines, each a wake-up whose tail
	// is the platform's, for nothing. Touched only by the turn's holder.
	eager      int
	sinceSteal int // releases since the last hand-on seen, up to lendBackoff
	seenStolen int64

	passed, kept, stolen atomic.Int64
}

// lendLead is how long before the next instant a lent turn is handed on if its
// lender has not come back: the alarm's wake-up (tens of µs, p99 near 100 µs
// on the project's quiet VMs) plus waking a parked worker, so that worker can
// still start the op on time. lendMinWindow is the least time a lender is given
// to come back when the next instant is closer than lendLead (or already due,
// after a stall): a short op returns within it and nobody is woken. It is as
// long as lendLead because handing on sooner than a parked worker can be awake
// gains nothing, and a shorter window (20 µs was tried) made the alarm hand the
// turn round the parked workers whenever the machine was briefly busy — at the
// interval collector's boundary the turn went to three workers in turn, each
// woken milliseconds late. The alarm is armed before the lender's op starts,
// so the window counts from the lender's instant plus lendLateness, the lag
// the pacer aims to keep; an op started so late that less than half the
// window is left re-arms it from its start (a system call on an op already
// over 100 µs late). lendBackoff is how many releases the turn is passed at
// once after hand-ons show the ops are slow.
const (
	lendLead      = 100 * time.Microsecond
	lendMinWindow = lendLead
	lendLateness  = 50 * time.Microsecond
	lendBackoff   = 64
)

// alarm is a timer a watchdog goroutine waits on while other goroutines arm and
// disarm it.
type alarm interface {
	arm(deadline int64) // ring at deadline (ns on the run clock), replacing any earlier arming
	disarm()
	wait() bool // block until it rings; false once closed
	close()
}

// newTurn returns a turn whose token is free. It starts the watchdog when the
// platform has a precise alarm; close stops it.
func newTurn(clock runClock) *turn { return newTurnOn(clock, newAlarm(clock)) }

// newTurnOn is newTurn with the alarm given: nil, the turn is never lent.
func newTurnOn(clock runClock, a alarm) *turn {
	t := &turn{tok: make(chan struct{}, 1), alarm: a, clock: clock, done: make(chan struct{}), sinceSteal: lendBackoff}
	t.tok <- struct{}{}
	if t.alarm == nil {
		close(t.done)
		return t
	}
	go func() {
		defer close(t.done)
		for t.alarm.wait() {
			if v := t.lentBy.Load(); v != 0 && t.lentBy.CompareAndSwap(v, 0) {
				t.stolen.Add(1)
				t.tok <- struct{}{} // never blocks: the token was lent, not in the channel
			}
		}
	}()
	return t
}

// take blocks until worker w holds the turn: at once if w lent it and it was
// not handed on meanwhile (the alarm stays armed; see turn).
func (t *turn) take(w int) {
	if t.lentBy.Load() == int64(w)+1 && t.lentBy.CompareAndSwap(int64(w)+1, 0) {
		t.kept.Add(1)
		return
	}
	// At high rates the turn is held for a claim's ~100 ns: try for it a
	// little before parking, as a sync.Mutex would, since parking and being
	// woken again cost microseconds.
	for range takeSpins {
		select {
		case <-t.tok:
			return
		default:
		}
	}
	<-t.tok
}

// takeSpins is how many times take tries for a busy turn before parking:
// about a microsecond.
const takeSpins = 50

// next returns the next instant of the schedule, or the one claimed early.
// Only the holder may call it.
func (t *turn) next(arrivals Arrivals) (time.Duration, bool) {
	if t.hasPending {
		t.hasPending = false
		return t.pending, t.pendingMore
	}
	return arrivals.Next()
}

// pass hands the turn to the next worker. Only the holder may call it.
func (t *turn) pass() {
	t.passed.Add(1)
	t.tok <- struct{}{}
}

// prepare readies the release of the turn its holder has just claimed the
// instant intended (run-clock ns) with, before the holder waits for it: it
// decides whether to lend or pass the turn and, to lend, claims the next
// instant early and arms the alarm to ring lendLead before it, but no sooner
// than lendMinWindow after intended plus lendLateness. Only the holder may call
// it, once before each release.
//
// The turn is lent even when the next instant is close or already due (a run
// catching up after a stall): the lender's short op returns within
// lendMinWindow, and the one goroutine that is already awake serves the
// backlog instead of each due op waking a parked worker — each such wake-up
// risks the platform's tail, which is how one stall used to make a run of late
// ops.
func (t *turn) prepare(arrivals Arrivals, intended int64) {
	t.lend = false
	if t.alarm == nil {
		return
	}
	if stolen := t.stolen.Load(); stolen != t.seenStolen {
		if t.sinceSteal < lendBackoff {
			t.eager = lendBackoff
		}
		t.seenStolen, t.sinceSteal = stolen, 0
	} else if t.sinceSteal < lendBackoff {
		t.sinceSteal++
	}
	if t.eager > 0 {
		t.eager--
		t.quiet()
		return
	}
	t.pending, t.pendingMore = arrivals.Next()
	t.hasPending = true
	if !t.pendingMore {
		t.quiet()
		return
	}
	t.lend = true
	if t.lazy {
		return // armed by release, if need be
	}
	t.ringAt = min(max(int64(t.pending)-int64(lendLead), intended+int64(lendLateness+lendMinWindow)), intended+int64(maxSleepChunk))
	t.alarm.arm(t.ringAt)
	t.armed = true
}

// quiet disarms an alarm that may still ring for an earlier lend, so that a
// holder that will pass the turn costs the watchdog no wake-up.
func (t *turn) quiet() {
	if t.armed {
		t.alarm.disarm()
		t.armed = false
	}
}

// asleep readies the lazy lend's alarm before its holder sleeps until
// deadline. With a lazyWindow of at least twice lendLead (a batch interval of
// 800 µs or more) it is set to ring lazyWindow after the deadline: the
// wake-up's first lend then finds it armed far enough ahead (unless the
// wake-up was over lazyWindow/2 late, past the wake-ups' p99 on a quiet VM
// here) and a stuck lend is still handed on within lazyWindow, for one system
// call a batch where disarming before the sleep and arming at that lend took
// two (each a timer reprogramming that exits to the hypervisor here): at 5000
// ops/s, with the CPU samples cut to batchCPUSamplesPerSecond, 0.008 cores
// less in each of 4 interleaved pairs. With a shorter window most wake-ups
// came too late for it (one arming more, or a ring with nothing lent: at 200k
// ops/s and 500 µs, 0.01-0.05 cores more), so the alarm is disarmed (quiet).
// Only the holder may call it.
func (t *turn) asleep(deadline int64) {
	if t.alarm == nil {
		return
	}
	if t.lazyWindow < 2*int64(lendLead) {
		t.quiet()
		return
	}
	t.ringAt = deadline + t.lazyWindow
	t.alarm.arm(t.ringAt)
	t.armed = true
}

// release lets the turn go once worker w's instant has come, as prepare
// decided: it lends the turn or passes it. now is a recent clock reading,
// used by a lazy lend only. It returns the clock read after a lend was
// published, 0 if it read none. Only the holder may call it.
func (t *turn) release(w int, now int64) int64 {
	if !t.lend {
		t.pass()
		return 0
	}
	t.lend = false
	if t.lazy && (!t.armed || t.ringAt-now < t.lazyWindow/2) {
		// Ring lendLead before the next instant, or lazyWindow from now if
		// that is later (it is already due): unless the alarm is armed for
		// at least lazyWindow/2 from now, which is soon enough for the
		// watchdog to hand on a stuck lend and late enough for a short op
		// to come back.
		t.ringAt = max(int64(t.pending)-int64(lendLead), now+t.lazyWindow)
		t.alarm.arm(t.ringAt)
		t.armed = true
	}
	ring := t.ringAt
	// From here on the turn may be someone else's: its fields are no longer
	// this worker's to read. The alarm cannot have rung for this lend before
	// the clock passed ring, so a read before ring, taken after publishing,
	// means it will find the lend. Otherwise it may have rung and found
	// nothing, and an op that late needs its window again anyway: re-arm from
	// now. (Should this worker be kept off its processor between publishing
	// and re-arming for as long as the watchdog, a parked worker's wake-up
	// and that worker's prepare take, the re-arm replaces that worker's
	// arming: its lend is handed on early or late, never lost or doubled.)
	t.lentBy.Store(int64(w) + 1)
	after := t.clock.now()
	if ring-after < int64(lendMinWindow)/2 {
		t.alarm.arm(after + int64(lendMinWindow))
	}
	return after
}

// close stops the watchdog once every worker is done.
func (t *turn) close() {
	if t.alarm != nil {
		t.alarm.close()
	}
	<-t.done
}
