package breakers

import (
	"math"
	"time"

	"github.com/syncbench/syncbench/impls/backend"
)

// Scores are a breaker's figures against the backend's true failure rate over
// the measured window, stored as Result.Extras["breaker"]. The backend is
// failing while its scheduled failure rate is at least backend.FailingLine (half
// the calls fail), healthy otherwise.
//
//   - OpenAfterNs: from the start of the first failing stretch to the breaker's
//     first opening inside it (0 when it was already open); absent when it
//     never opened there.
//   - CloseAfterNs: from the first recovery (the end of a failing stretch) to
//     the breaker's closing (0 when it was closed then); absent when it did not
//     close before the next failing stretch or the window's end.
//   - FailingAdmitted: calls let through to the failing backend, probes
//     included: what a breaker exists to keep low.
//   - HealthyShed: calls shed while the backend was healthy: what it costs.
//   - GoodputPerS: calls that ended OK per second of the window.
type Scores struct {
	OpenAfterNs *float64 `json:"open_after_ns,omitempty"`
	// Backend is the schedule the backend followed, in its spec syntax.
	Backend         string           `json:"backend"`
	CloseAfterNs    *float64         `json:"close_after_ns,omitempty"`
	FailingAdmitted int64            `json:"failing_admitted"`
	HealthyShed     int64            `json:"healthy_shed"`
	FailingShed     int64            `json:"failing_shed"`
	Probes          int64            `json:"probes"`
	Transitions     int64            `json:"transitions"`
	GoodputPerS     float64          `json:"goodput_per_s"`
	Admitted        int64            `json:"admitted"`
	Shed            int64            `json:"shed"`
	OpenAdmitted    int64            `json:"open_admitted"`
	IllegalMoves    int64            `json:"illegal_transitions"`
	WindowNs        float64          `json:"window_ns"`
	Spans           []SpanScore      `json:"spans"`
	Log             []TransitionNote `json:"transitions_log"`
	LogDropped      int64            `json:"transitions_log_dropped,omitempty"`
	Timeline        map[string]any   `json:"timeline"`
}

// SpanScore is how the breaker answered one failing stretch [FromNs, ToNs) of
// the window: its opening after the start and its closing after the end, -1
// when it did not.
type SpanScore struct {
	FromNs       float64 `json:"from_ns"`
	ToNs         float64 `json:"to_ns"`
	OpenAfterNs  float64 `json:"open_after_ns"`
	CloseAfterNs float64 `json:"close_after_ns"`
}

// TransitionNote is one recorded state change, at an offset into the window.
type TransitionNote struct {
	AtNs float64 `json:"at_ns"`
	From string  `json:"from"`
	To   string  `json:"to"`
}

// maxLog bounds the transitions a result keeps; scores never depend on it.
const maxLog = 1000

// scorer follows the breaker's state and the admissions against the schedule.
// Every event arrives in the order the breaker made it (see Target), so the
// state between two events is known exactly. Not safe for concurrent use.
type scorer struct {
	sched  backend.Schedule
	opened time.Time
	closed time.Time
	spans  []backend.Span
	state  State
	lastT  time.Time
	span   []spanState
	s      Scores
	tl     *backend.Timeline // open, half_open, ok#
}

type spanState struct {
	started, recovered bool
	openAfter          time.Duration
	closeAfter         time.Duration
}

const (
	seriesOpen = iota
	seriesHalfOpen
	seriesOK
)

func newScorer(sched backend.Schedule, opened time.Time, state State) *scorer {
	k := &scorer{sched: sched, opened: opened, lastT: opened, state: state,
		tl: backend.NewTimeline(backend.TimelineBin, "open", "half_open", "ok#")}
	for _, sp := range sched.FailingSpans() {
		sp.From = max(sp.From, 0)
		if sp.To > sp.From {
			k.spans = append(k.spans, sp)
			k.span = append(k.span, spanState{openAfter: -1, closeAfter: -1})
		}
	}
	return k
}

func (k *scorer) offset(t time.Time) time.Duration { return t.Sub(k.opened) }

// inWindow reports whether t is inside the measured window.
func (k *scorer) inWindow(t time.Time) bool {
	return !t.Before(k.opened) && (k.closed.IsZero() || t.Before(k.closed))
}

// advance brings the scorer to t: the state held since the last event is
// integrated, and the stretches that started or ended meanwhile learn the
// state in force at their start or end.
func (k *scorer) advance(t time.Time) {
	if !k.closed.IsZero() && t.After(k.closed) {
		t = k.closed
	}
	if t.After(k.lastT) {
		open, half := 0.0, 0.0
		switch k.state {
		case Open:
			open = 1
		case HalfOpen:
			half = 1
		}
		k.tl.Add(k.offset(k.lastT), k.offset(t), open, half)
		k.lastT = t
	}
	x := k.offset(t)
	for i, sp := range k.spans {
		st := &k.span[i]
		if !st.started && sp.From <= x {
			st.started = true
			if k.state == Open {
				st.openAfter = 0
			}
		}
		if !st.recovered && sp.To <= x {
			st.recovered = true
			if k.state == Closed {
				st.closeAfter = 0
			}
		}
	}
}

// transition records a state change at t.
func (k *scorer) transition(t time.Time, to State) {
	k.advance(t)
	x := k.offset(t)
	for i, sp := range k.spans {
		st := &k.span[i]
		if to == Open && st.openAfter < 0 && sp.From <= x && x < sp.To {
			st.openAfter = x - sp.From
		}
		nextFrom := backend.Forever
		if i+1 < len(k.spans) {
			nextFrom = k.spans[i+1].From
		}
		if to == Closed && st.closeAfter < 0 && sp.To <= x && x < nextFrom {
			st.closeAfter = x - sp.To
		}
	}
	k.state = to
}

// failing reports whether the backend is failing at t.
func (k *scorer) failing(t time.Time) bool {
	return k.sched.At(k.offset(t)).Failing()
}

// admit and shed count one call at t against the truth; ok counts one that
// ended OK.
func (k *scorer) admit(t time.Time, probe bool) {
	k.advance(t)
	if !k.inWindow(t) {
		return
	}
	k.s.Admitted++
	if k.failing(t) {
		k.s.FailingAdmitted++
	}
	if probe {
		k.s.Probes++
	}
}

func (k *scorer) shed(t time.Time) {
	k.advance(t)
	if !k.inWindow(t) {
		return
	}
	k.s.Shed++
	if k.failing(t) {
		k.s.FailingShed++
	} else {
		k.s.HealthyShed++
	}
}

func (k *scorer) ok(t time.Time) {
	if k.inWindow(t) {
		k.tl.Count(seriesOK, k.offset(t))
	}
}

// close ends the window at t.
func (k *scorer) close(t time.Time) {
	k.advance(t)
	k.closed = t
}

// scores returns the figures, with the failure rate at each bin's middle added
// to the timeline for the plot.
func (k *scorer) scores() Scores {
	s := k.s
	end := k.closed
	if end.IsZero() {
		end = k.lastT
	}
	span := end.Sub(k.opened)
	s.WindowNs = float64(span)
	if span > 0 {
		s.GoodputPerS = k.tl.Sum(seriesOK, 0, k.tl.Bin(span-1)+1) / span.Seconds()
	}
	for i, sp := range k.spans {
		if sp.From >= span {
			break
		}
		st := k.span[i]
		to := float64(sp.To)
		if sp.To == backend.Forever {
			to = -1
		}
		s.Spans = append(s.Spans, SpanScore{FromNs: float64(sp.From), ToNs: to, OpenAfterNs: float64(st.openAfter), CloseAfterNs: float64(st.closeAfter)})
		if i == 0 {
			if st.openAfter >= 0 {
				s.OpenAfterNs = new(float64(st.openAfter))
			}
			if st.closeAfter >= 0 && sp.To < span {
				s.CloseAfterNs = new(float64(st.closeAfter))
			}
		}
	}
	tl := k.tl.Export()
	if means, ok := tl["open"].([]float64); ok {
		failure := make([]float64, len(means))
		w := k.tl.Width()
		for b := range failure {
			failure[b] = math.Round(k.sched.At(time.Duration(b)*w+w/2).Failure*1000) / 1000
		}
		tl["failure"] = failure
	}
	s.Timeline = tl
	s.Backend = k.sched.String()
	return s
}
