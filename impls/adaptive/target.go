package adaptive

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/backend"
)

// ExtrasKey is the Result.Extras group an adaptive limit's scores are stored
// under.
const ExtrasKey = "adaptive"

// Target puts a Limiter in front of another target (a scheduled backend): each
// op asks the limiter, is shed (Denied) when the limit is reached, and otherwise
// calls through and tells the limiter how the call ended. It checks the family's
// invariant, never more calls in flight than the limit in force when each was
// admitted, and, when the target behind it is backend.Truthful, scores the limit
// against the true capacity (Scores).
//
// Every TryAcquire, Limit and done of the limiter is called under the target's
// lock, so the in-flight count and the limit it is checked against are read in
// the same order the limiter saw them: the check cannot blame a limiter for a
// race of the harness's making. Safe for concurrent use.
type Target struct {
	name  string
	lim   Limiter
	next  impls.Target
	clock backend.Clock

	mu        sync.Mutex
	inflight  int
	peak      int
	admitted  int64
	shed      int64
	overLimit int64
	firstOver string
	track     *tracker // nil when next is not Truthful
}

// NewTarget returns lim in front of next; name labels invariant errors ("" when
// the harness should name it). When next is backend.Truthful, the limit is scored
// against its schedule on its clock; otherwise on the real clock, unscored.
func NewTarget(name string, lim Limiter, next impls.Target) *Target {
	t := &Target{name: name, lim: lim, next: next, clock: backend.RealClock{}}
	if truth, ok := next.(backend.Truthful); ok {
		t.clock = truth.Clock()
		t.track = newTracker(truth.Schedule(), truth.Origin(), lim.Limit())
	}
	return t
}

// Do asks the limiter; a shed call returns Denied, an admitted one the outcome of
// the call behind it.
func (t *Target) Do(ctx context.Context, op impls.Op) impls.Outcome {
	t.mu.Lock()
	done, ok := t.lim.TryAcquire()
	limit := t.lim.Limit()
	now := t.clock.Now()
	if t.track != nil {
		t.track.observe(now, limit)
	}
	if !ok {
		t.shed++
		t.mu.Unlock()
		return impls.Denied
	}
	t.admitted++
	t.inflight++
	t.peak = max(t.peak, t.inflight)
	if t.inflight > limit {
		if t.overLimit == 0 {
			t.firstOver = fmt.Sprintf("a call was admitted with %d in flight against a limit of %d", t.inflight, limit)
		}
		t.overLimit++
	}
	t.mu.Unlock()

	out := t.next.Do(ctx, op)

	t.mu.Lock()
	t.inflight--
	done(out == impls.Timeout)
	if t.track != nil {
		now := t.clock.Now()
		t.track.observe(now, t.lim.Limit())
		if out == impls.OK {
			t.track.ok(now)
		}
	}
	t.mu.Unlock()
	return out
}

// WindowOpened forwards to the target behind and restarts the scores.
func (t *Target) WindowOpened(at time.Time) {
	if w, ok := t.next.(impls.WindowObserver); ok {
		w.WindowOpened(at)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.track != nil {
		t.track.open(at)
	}
}

// WindowClosed forwards to the target behind and ends the scores' window.
func (t *Target) WindowClosed(at time.Time) {
	if w, ok := t.next.(impls.WindowObserver); ok {
		w.WindowClosed(at)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.track != nil {
		t.track.close(at)
	}
}

// Verify fails when a call was admitted beyond the limit in force, then checks
// the target behind.
func (t *Target) Verify() error {
	t.mu.Lock()
	over, first := t.overLimit, t.firstOver
	t.mu.Unlock()
	if over > 0 {
		return &impls.InvariantError{Impl: t.name, Detail: fmt.Sprintf("%s (%d admissions over the limit in all)", first, over)}
	}
	return t.next.Verify()
}

// Close closes the target behind.
func (t *Target) Close() error { return t.next.Close() }

// Stats reports admissions and sheds, and the target behind's own figures.
func (t *Target) Stats() map[string]float64 {
	out := map[string]float64{}
	if sr, ok := t.next.(impls.StatsReporter); ok {
		maps.Copy(out, sr.Stats())
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	out["admitted"], out["shed"], out["peak_in_flight"] = float64(t.admitted), float64(t.shed), float64(t.peak)
	return out
}

// Scores returns the limit's figures against the true capacity; ok is false when
// the target behind is not Truthful.
func (t *Target) Scores() (Scores, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.track == nil {
		return Scores{}, false
	}
	s := t.track.scores()
	if r, ok := t.lim.(interface{ Rule() Rule }); ok {
		s.Algorithm = r.Rule().Name()
	} else if n, ok := t.lim.(interface{ Name() string }); ok {
		s.Algorithm = n.Name()
	}
	s.Admitted, s.Shed, s.PeakInFlight, s.OverLimit = t.admitted, t.shed, t.peak, t.overLimit
	if total := t.admitted + t.shed; total > 0 {
		s.ShedPct = 100 * float64(t.shed) / float64(total)
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
