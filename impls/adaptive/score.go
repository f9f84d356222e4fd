package adaptive

import (
	"math"
	"time"

	"github.com/syncbench/syncbench/impls/backend"
)

// Scores are an adaptive limit's figures against the backend's true capacity
// over the measured window, stored as Result.Extras["adaptive"].
//
// Tracking error is the time-weighted mean of |limit − capacity| / capacity, in
// percent, like a limiter's admitted-rate error: 0 is a limit that was the
// capacity at every instant. A limit above the capacity lets calls queue at the
// backend; below it, calls are shed that the backend could have served. Each
// algorithm's designed standing queue (Vegas's alpha..beta, Gradient's √limit)
// counts as error: the score is against what the backend could take, not
// against what the algorithm aims for.
type Scores struct {
	Algorithm string `json:"algorithm"`
	// Backend is the schedule the backend followed, in its spec syntax.
	Backend          string  `json:"backend"`
	TrackingErrorPct float64 `json:"tracking_error_pct"`
	// LimitBiasPct is the signed mean of (limit − capacity) / capacity: positive
	// when the limit sat above the capacity.
	LimitBiasPct float64 `json:"limit_bias_pct"`
	LimitMean    float64 `json:"limit_mean"`
	CapacityMean float64 `json:"capacity_mean"`
	// The first capacity drop's and rise's figures (see StepScore), absent when
	// the window has no such step or the figure was never reached.
	DropConvergeNs *float64       `json:"drop_converge_ns,omitempty"`
	DropOvershoot  *float64       `json:"drop_overshoot_pct,omitempty"`
	DropSettled    *float64       `json:"drop_settled,omitempty"`
	RiseConvergeNs *float64       `json:"rise_converge_ns,omitempty"`
	RiseOvershoot  *float64       `json:"rise_overshoot_pct,omitempty"`
	RiseSettled    *float64       `json:"rise_settled,omitempty"`
	Steps          []StepScore    `json:"steps"`
	GoodputPerS    float64        `json:"goodput_per_s"`
	ShedPct        float64        `json:"shed_pct"`
	Admitted       int64          `json:"admitted"`
	Shed           int64          `json:"shed"`
	PeakInFlight   int            `json:"peak_in_flight"`
	OverLimit      int64          `json:"over_limit"`
	WindowNs       float64        `json:"window_ns"`
	Timeline       map[string]any `json:"timeline"`
}

// StepScore is how the limit answered one step of the capacity.
//
// ConvergeNs is the time from the step until the limit had covered 90% of it
// (for a drop from 16 to 4, until it was at most 5.2; the step response's rise
// time), or -1 when it never did before the next step or the window's end.
// OvershootPct is how far the limit went past the new capacity, on the far side
// of the step, in percent of it (a drop answered by a limit below the new
// capacity sheds calls the backend could serve). Settled is the limit's mean
// over the second half of the step's stretch.
type StepScore struct {
	AtNs         float64 `json:"at_ns"`
	From         float64 `json:"from"`
	To           float64 `json:"to"`
	ConvergeNs   float64 `json:"converge_ns"`
	OvershootPct float64 `json:"overshoot_pct"`
	Settled      float64 `json:"settled"`
}

// tracker integrates the limit in force, a step function of time, against the
// backend's capacity over the measured window. It is fed every instant the
// limit may have changed; memory is flat (a Timeline and one record per step).
// Not safe for concurrent use: the target calls it under its lock.
type tracker struct {
	sched    backend.Schedule
	opened   time.Time
	closed   time.Time // zero while the window is open
	lastT    time.Time
	lastL    float64
	absErr   float64 // ∫ |L−C|/C dt, ns
	signed   float64
	limitInt float64 // ∫ L dt
	capInt   float64
	covered  float64
	steps    []backend.Step
	stats    []stepState
	tl       *backend.Timeline // limit+ capacity ok#
}

type stepState struct {
	reached   bool
	reachAt   time.Duration
	overshoot float64
}

const (
	seriesLimit = iota
	seriesCapacity
	seriesOK
)

func newTracker(sched backend.Schedule, opened time.Time, limit int) *tracker {
	steps := sched.CapacitySteps()
	return &tracker{
		sched: sched, opened: opened, lastT: opened, lastL: float64(limit),
		steps: steps, stats: make([]stepState, len(steps)),
		tl: backend.NewTimeline(backend.TimelineBin, "limit+", "capacity", "ok#"),
	}
}

// open restarts the scores at the window's opening; the limit carries over.
func (k *tracker) open(t time.Time) {
	*k = *newTracker(k.sched, t, int(k.lastL))
}

// observe records that the limit in force is limit from t on.
func (k *tracker) observe(t time.Time, limit int) {
	if !k.closed.IsZero() && t.After(k.closed) {
		t = k.closed
	}
	if t.After(k.lastT) {
		k.integrate(k.lastT, t, k.lastL)
		k.lastT = t
	}
	k.lastL = float64(limit)
}

// ok counts a call that ended OK at t.
func (k *tracker) ok(t time.Time) { k.tl.Count(seriesOK, t.Sub(k.opened)) }

func (k *tracker) integrate(from, to time.Time, l float64) {
	x, end := from.Sub(k.opened), to.Sub(k.opened)
	x = max(x, 0)
	for x < end {
		c := float64(k.sched.CapacityAt(x))
		next := min(end, k.sched.Capacity.NextIntChange(x))
		d := float64(next - x)
		k.absErr += math.Abs(l-c) / c * d
		k.signed += (l - c) / c * d
		k.limitInt += l * d
		k.capInt += c * d
		k.covered += d
		k.tl.Add(x, next, l, c)
		for i, st := range k.steps {
			if x < st.At || i+1 < len(k.steps) && x >= k.steps[i+1].At {
				continue
			}
			s := &k.stats[i]
			target := st.To + 0.1*(st.From-st.To) // 90% of the way
			if st.To < st.From {
				if !s.reached && l <= target {
					s.reached, s.reachAt = true, x-st.At
				}
				if l < st.To {
					s.overshoot = math.Max(s.overshoot, (st.To-l)/st.To)
				}
			} else {
				if !s.reached && l >= target {
					s.reached, s.reachAt = true, x-st.At
				}
				if l > st.To {
					s.overshoot = math.Max(s.overshoot, (l-st.To)/st.To)
				}
			}
		}
		x = next
	}
}

// close ends the window at t: the limit in force since the last change is
// integrated up to it, and nothing after it counts.
func (k *tracker) close(t time.Time) {
	k.observe(t, int(k.lastL))
	k.closed = t
}

// scores returns the figures; end is the window's end (the close instant, or
// the last observation when the window was never closed).
func (k *tracker) scores() Scores {
	end := k.closed
	if end.IsZero() {
		end = k.lastT
	}
	span := end.Sub(k.opened)
	var s Scores
	if k.covered > 0 {
		s.TrackingErrorPct = 100 * k.absErr / k.covered
		s.LimitBiasPct = 100 * k.signed / k.covered
		s.LimitMean = k.limitInt / k.covered
		s.CapacityMean = k.capInt / k.covered
	}
	s.WindowNs = float64(span)
	if span > 0 {
		s.GoodputPerS = k.tl.Sum(seriesOK, 0, k.tl.Bin(span-1)+1) / span.Seconds()
	}
	for i, st := range k.steps {
		if st.At >= span {
			break
		}
		segEnd := span
		if i+1 < len(k.steps) {
			segEnd = min(segEnd, k.steps[i+1].At)
		}
		mid := st.At + (segEnd-st.At)/2
		settled, _ := k.tl.Mean(seriesLimit, k.tl.Bin(mid), k.tl.Bin(segEnd-1)+1)
		score := StepScore{AtNs: float64(st.At), From: st.From, To: st.To, ConvergeNs: -1,
			OvershootPct: 100 * k.stats[i].overshoot, Settled: math.Round(settled*100) / 100}
		if k.stats[i].reached {
			score.ConvergeNs = float64(k.stats[i].reachAt)
		}
		s.Steps = append(s.Steps, score)
		conv, over, settle := &s.RiseConvergeNs, &s.RiseOvershoot, &s.RiseSettled
		if st.To < st.From {
			conv, over, settle = &s.DropConvergeNs, &s.DropOvershoot, &s.DropSettled
		}
		if *over == nil { // the first drop and the first rise only
			*over, *settle = new(score.OvershootPct), new(score.Settled)
			if score.ConvergeNs >= 0 {
				*conv = new(score.ConvergeNs)
			}
		}
	}
	s.Timeline = k.tl.Export()
	s.Backend = k.sched.String()
	return s
}
