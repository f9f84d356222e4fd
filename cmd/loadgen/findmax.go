package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/syncbench/syncbench/metrics"
)

// maxFindMaxProbes bounds a -find-max search: doubling from the start rate, then
// bisecting, each probe a full run of -duration.
const maxFindMaxProbes = 10

// findMaxResolution ends the bisection once the passing and failing rates are
// this close (relative to the passing rate).
const findMaxResolution = 0.05

// probe is one measured point of a -find-max search.
type probe struct {
	rate   float64
	result *metrics.Result
	pass   bool
	why    string // the failed condition, when !pass
}

// maxRateSearch is the outcome of a -find-max search for one cell.
type maxRateSearch struct {
	impl      string
	condition metrics.Threshold
	probes    []probe
	best      float64 // highest rate that passed; 0 if none did
	firstFail float64 // lowest rate that failed; +Inf if none did
}

// findMax searches, for every cell, the highest offered rate at which the
// condition holds. A probe passes when the condition holds on its result, the
// target completed at least 95% of what was offered, and the pacer kept to its
// schedule: a rate the harness could not offer cleanly is not a rate the target
// was shown to sustain. The search doubles from the start rate until a probe
// fails, then bisects, within maxFindMaxProbes probes per cell.
func (p *plan) findMax(ctx context.Context, floor metrics.Floor, io stdio) ([]*metrics.Result, []maxRateSearch, error) {
	var results []*metrics.Result
	var searches []maxRateSearch
	status := newStatusLine(io.stderr, !p.flags.quiet && isTerminal(io.stderr))
	for _, base := range p.cells {
		s := maxRateSearch{impl: base.impl.Name, condition: *p.findMaxCond, firstFail: math.Inf(1)}
		rate := base.rate
		if rate <= 0 {
			rate = 1000
		}
		for n := 0; n < maxFindMaxProbes && ctx.Err() == nil; n++ {
			c := base
			c.rate = math.Round(rate)
			label := fmt.Sprintf("[find-max probe %d/%d] %s at %s ops/s", n+1, maxFindMaxProbes, c.impl.Name, formatCount(c.rate))
			res, err := p.runCell(ctx, c, 1, floor, status.hook(label))
			status.clear()
			if res == nil {
				return results, append(searches, s), err
			}
			results = append(results, res)
			pr := judgeProbe(s.condition, c.rate, res)
			s.probes = append(s.probes, pr)
			if err != nil {
				return results, append(searches, s), err
			}
			if pr.pass {
				s.best = max(s.best, c.rate)
			} else {
				s.firstFail = min(s.firstFail, c.rate)
			}
			switch {
			case math.IsInf(s.firstFail, 1):
				rate = c.rate * 2
			case s.best == 0:
				rate = c.rate / 2
			default:
				rate = (s.best + s.firstFail) / 2
			}
			if s.best > 0 && !math.IsInf(s.firstFail, 1) && (s.firstFail-s.best)/s.best < findMaxResolution {
				break
			}
			if rate < 1 {
				break
			}
		}
		searches = append(searches, s)
	}
	return results, searches, nil
}

// judgeProbe decides whether one probe passed.
func judgeProbe(cond metrics.Threshold, rate float64, r *metrics.Result) probe {
	pr := probe{rate: rate, result: r, pass: true}
	if ok, _, msg := cond.Check(r); !ok {
		pr.pass, pr.why = false, msg
	} else if r.Rates.Achieved < 0.95*r.Rates.Offered {
		pr.pass, pr.why = false, fmt.Sprintf("completed %s/s of %s/s offered", formatCount(r.Rates.Achieved), formatCount(r.Rates.Offered))
	} else if r.PacerLimited {
		pr.pass, pr.why = false, "the pacer could not keep to the schedule"
	}
	return pr
}

// writeMaxRateSearches prints each search's curve and its answer.
func writeMaxRateSearches(w io.Writer, searches []maxRateSearch) {
	for _, s := range searches {
		fmt.Fprintf(w, "\nfind-max %s for %s: ", s.condition, s.impl)
		switch {
		case s.best == 0:
			fmt.Fprintln(w, "no probed rate passed")
		case math.IsInf(s.firstFail, 1):
			fmt.Fprintf(w, "holds at every probed rate, up to %s ops/s (the search stopped there)\n", formatCount(s.best))
		default:
			fmt.Fprintf(w, "holds up to %s ops/s (fails at %s ops/s)\n", formatCount(s.best), formatCount(s.firstFail))
		}
		for _, pr := range s.probes {
			verdict := "pass"
			if !pr.pass {
				verdict = "fail: " + pr.why
			}
			fmt.Fprintf(w, "  %10s ops/s  achieved %10s/s  p99 %8s  %s\n",
				strconv.FormatFloat(pr.rate, 'f', -1, 64), formatCount(pr.result.Rates.Achieved), formatNs(pr.result.Latency.Response.P99), verdict)
		}
	}
}
