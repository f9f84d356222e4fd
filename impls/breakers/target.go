package breakers

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/backend"
)

// ExtrasKey is the Result.Extras group a breaker's scores are stored under.
const ExtrasKey = "breaker"

// Target puts a Breaker in front of another target (a scheduled backend): each
// op asks the breaker, is shed (Denied) when it refuses, and otherwise calls
// through and reports whether the call succeeded (an OK outcome). It checks the
// family's invariant, that the breaker's state changes are legal (closed → open
// → half-open → closed or open) and that no call is admitted while it is open
// (probes are admitted while half-open), and, when the target behind is
// backend.Truthful, scores the breaker against the true failure rate (Scores).
//
// A breaker reports its state changes by calling Transition from its state-change
// hook. Allow and done are called under the target's lock, and changes reported
// during them are applied before the admission or outcome they came with, so the
// check sees events in the order the breaker made them, provided the breaker
// changes state only inside Allow and done (gobreaker and failsafe-go do). A
// breaker without a hook is still measured; only its states are unknown (closed
// throughout). Safe for concurrent use.
type Target struct {
	name  string
	br    Breaker
	next  impls.Target
	clock backend.Clock

	pmu     sync.Mutex // guards pending: Transition may come from any goroutine
	pending []transition

	mu           sync.Mutex
	state        State
	admitted     int64
	shed         int64
	openAdmitted int64
	illegal      int64
	firstBad     string
	log          []transition
	logDropped   int64
	score        *scorer // nil when next is not Truthful
}

type transition struct {
	at       time.Time
	from, to State
}

// NewTarget returns br in front of next; name labels invariant errors ("" when
// the harness should name it). When next is backend.Truthful the breaker is
// scored against its schedule and read on its clock; otherwise on the real
// clock, unscored. The breaker's state-change hook must call the returned
// target's Transition.
func NewTarget(name string, br Breaker, next impls.Target) *Target {
	t := &Target{name: name, br: br, next: next, clock: backend.RealClock{}}
	if truth, ok := next.(backend.Truthful); ok {
		t.clock = truth.Clock()
		t.score = newScorer(truth.Schedule(), truth.Origin(), Closed)
	}
	return t
}

// SetBreaker sets the breaker, for breakers that must be built with the target's
// Transition as their hook (NewTarget(name, nil, next), then SetBreaker). It must
// be called before the first Do.
func (t *Target) SetBreaker(br Breaker) { t.br = br }

// Clock returns the clock the target reads: a breaker with a clock of its own
// should read this one.
func (t *Target) Clock() backend.Clock { return t.clock }

// Transition records that the breaker went from one state to another, now. It is
// meant for the breaker's state-change hook and is safe to call from any
// goroutine, while the target's lock is held or not.
func (t *Target) Transition(from, to State) {
	now := t.clock.Now()
	t.pmu.Lock()
	t.pending = append(t.pending, transition{at: now, from: from, to: to})
	t.pmu.Unlock()
}

// drain applies the transitions reported so far, in order; t.mu is held.
func (t *Target) drain() {
	t.pmu.Lock()
	pending := t.pending
	t.pending = nil
	t.pmu.Unlock()
	for _, tr := range pending {
		if tr.from != t.state || !legal(tr.from, tr.to) {
			if t.illegal == 0 && t.openAdmitted == 0 {
				t.firstBad = fmt.Sprintf("the breaker went %s → %s while the target had it %s (allowed: closed → open → half-open → closed or open)", tr.from, tr.to, t.state)
			}
			t.illegal++
		}
		t.state = tr.to
		if len(t.log) < maxLog {
			t.log = append(t.log, tr)
		} else {
			t.logDropped++
		}
		if t.score != nil {
			t.score.transition(tr.at, tr.to)
		}
	}
}

// Do asks the breaker; a shed call returns Denied, an admitted one the outcome of
// the call behind it.
func (t *Target) Do(ctx context.Context, op impls.Op) impls.Outcome {
	t.mu.Lock()
	done, ok := t.br.Allow()
	t.drain()
	now := t.clock.Now()
	if !ok {
		t.shed++
		if t.score != nil {
			t.score.shed(now)
		}
		t.mu.Unlock()
		return impls.Denied
	}
	t.admitted++
	if t.state == Open {
		if t.illegal == 0 && t.openAdmitted == 0 {
			t.firstBad = "a call was admitted while the breaker was open (allowed: probes while half-open only)"
		}
		t.openAdmitted++
	}
	if t.score != nil {
		t.score.admit(now, t.state == HalfOpen)
	}
	t.mu.Unlock()

	out := t.next.Do(ctx, op)

	t.mu.Lock()
	done(out == impls.OK)
	t.drain()
	if t.score != nil && out == impls.OK {
		t.score.ok(t.clock.Now())
	}
	t.mu.Unlock()
	return out
}

// WindowOpened forwards to the target behind and restarts the scores; the
// breaker's state carries over.
func (t *Target) WindowOpened(at time.Time) {
	if w, ok := t.next.(impls.WindowObserver); ok {
		w.WindowOpened(at)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.drain()
	t.log, t.logDropped = nil, 0
	if t.score != nil {
		t.score = newScorer(t.score.sched, at, t.state)
	}
}

// WindowClosed forwards to the target behind and ends the scores' window.
func (t *Target) WindowClosed(at time.Time) {
	if w, ok := t.next.(impls.WindowObserver); ok {
		w.WindowClosed(at)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.drain()
	if t.score != nil {
		t.score.close(at)
	}
}

// Verify fails on an illegal state change or a call admitted while open, then
// checks the target behind.
func (t *Target) Verify() error {
	t.mu.Lock()
	t.drain()
	bad, first := t.illegal+t.openAdmitted, t.firstBad
	t.mu.Unlock()
	if bad > 0 {
		return &impls.InvariantError{Impl: t.name, Detail: fmt.Sprintf("%s (%d violations in all)", first, bad)}
	}
	return t.next.Verify()
}

// Close closes the target behind.
func (t *Target) Close() error { return t.next.Close() }

// State returns the breaker's state as its transitions reported it.
func (t *Target) State() State {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.drain()
	return t.state
}

// Stats reports admissions and sheds, and the target behind's own figures.
func (t *Target) Stats() map[string]float64 {
	out := map[string]float64{}
	if sr, ok := t.next.(impls.StatsReporter); ok {
		maps.Copy(out, sr.Stats())
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	out["admitted"], out["shed"] = float64(t.admitted), float64(t.shed)
	return out
}

// Scores returns the breaker's figures against the true failure rate; ok is
// false when the target behind is not Truthful.
func (t *Target) Scores() (Scores, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.drain()
	if t.score == nil {
		return Scores{}, false
	}
	s := t.score.scores()
	s.OpenAdmitted, s.IllegalMoves = t.openAdmitted, t.illegal
	s.Transitions = int64(len(t.log)) + t.logDropped
	s.LogDropped = t.logDropped
	for _, tr := range t.log {
		s.Log = append(s.Log, TransitionNote{AtNs: float64(tr.at.Sub(t.score.opened)), From: tr.from.String(), To: tr.to.String()})
	}
	return s, true
}

// Extras returns the scores as Result.Extras[ExtrasKey].
func (t *Target) Extras() map[string]any {
	s, ok := t.Scores()
	if !ok {
		return nil
	}
	return map[string]any{ExtrasKey: s}
}

var (
	_ impls.Target         = (*Target)(nil)
	_ impls.WindowObserver = (*Target)(nil)
	_ impls.ExtrasReporter = (*Target)(nil)
	_ impls.StatsReporter  = (*Target)(nil)
)
