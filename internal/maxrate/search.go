// Package maxrate searches for the highest offered rate at which a condition
// holds on a run's result: loadgen's -find-max. It decides which rates to probe
// and judges each probe; running a probe is the caller's (a ProbeFunc), and so is
// printing the outcome.
package maxrate

import (
	"context"
	"math"

	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
)

// MaxProbes bounds a search: doubling from the start rate, then bisecting, each
// probe a full run.
const MaxProbes = 10

// Resolution ends the bisection once the passing and failing rates are this
// close, relative to the passing rate.
const Resolution = 0.05

// DefaultStart is the first rate probed (ops/s) when the caller gives none.
const DefaultStart = 1000

// minCompleted is the share of the offered ops a probe must complete to pass:
// a target that falls behind its offered rate does not sustain it, whatever its
// latency says.
const minCompleted = 0.95

// Verdict is how one probe was judged.
type Verdict int

const (
	// Pass: the condition held, the target kept up and the pacer kept its schedule.
	Pass Verdict = iota
	// FailCondition: the condition did not hold (Probe.Msg says how).
	FailCondition
	// FailBehind: the target completed less than 95% of the ops offered.
	FailBehind
	// FailPacer: the pacer could not keep to its schedule, so the rate was not
	// offered cleanly.
	FailPacer
)

// Probe is one measured point of a search.
type Probe struct {
	Rate    float64 // offered rate, ops/s (a whole number)
	Result  *result.Result
	Verdict Verdict
	Msg     string // the failed condition's explanation, for FailCondition
}

// Pass reports whether the probe passed.
func (p Probe) Pass() bool { return p.Verdict == Pass }

// Search is the outcome of one search.
type Search struct {
	Condition metrics.Threshold
	Probes    []Probe // in the order probed
	Best      float64 // highest rate that passed; 0 if none did
	FirstFail float64 // lowest rate that failed; +Inf if none did
}

// ProbeFunc runs one probe: a run at rate ops/s, the n-th (0-based) of the
// search. A nil result with an error ends the search without a probe; a result
// with an error (the run failed an invariant) is judged, then ends the search.
type ProbeFunc func(ctx context.Context, n int, rate float64) (*result.Result, error)

// Find searches for the highest offered rate at which cond holds, starting at
// start ops/s (DefaultStart when start <= 0). A probe passes when cond holds on
// its result, the target completed at least 95% of what was offered, and the
// pacer kept to its schedule: a rate the harness could not offer cleanly is not a
// rate the target was shown to sustain. The search doubles from the start rate
// until a probe fails, then bisects, within MaxProbes probes; it stops early when
// ctx is cancelled. The returned Search holds every probe made, also with an
// error.
func Find(ctx context.Context, cond metrics.Threshold, start float64, probe ProbeFunc) (Search, error) {
	s := Search{Condition: cond, FirstFail: math.Inf(1)}
	rate := start
	if rate <= 0 {
		rate = DefaultStart
	}
	for n := 0; n < MaxProbes && ctx.Err() == nil; n++ {
		r := math.Round(rate)
		res, err := probe(ctx, n, r)
		if res == nil {
			return s, err
		}
		pr := Judge(cond, r, res)
		s.Probes = append(s.Probes, pr)
		if err != nil {
			return s, err
		}
		if pr.Pass() {
			s.Best = max(s.Best, r)
		} else {
			s.FirstFail = min(s.FirstFail, r)
		}
		switch {
		case math.IsInf(s.FirstFail, 1):
			rate = r * 2
		case s.Best == 0:
			rate = r / 2
		default:
			rate = (s.Best + s.FirstFail) / 2
		}
		if s.Best > 0 && !math.IsInf(s.FirstFail, 1) && (s.FirstFail-s.Best)/s.Best < Resolution {
			break
		}
		if rate < 1 {
			break
		}
	}
	return s, nil
}

// Judge decides whether one probe at rate ops/s, with result r, passed.
func Judge(cond metrics.Threshold, rate float64, r *result.Result) Probe {
	pr := Probe{Rate: rate, Result: r, Verdict: Pass}
	if ok, _, msg := cond.Check(r); !ok {
		pr.Verdict, pr.Msg = FailCondition, msg
	} else if r.Rates.Achieved < minCompleted*r.Rates.Offered {
		pr.Verdict = FailBehind
	} else if r.PacerLimited {
		pr.Verdict = FailPacer
	}
	return pr
}
