package cli

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/syncbench/syncbench/internal/maxrate"
	"github.com/syncbench/syncbench/result"
)

// implSearch is one cell's -find-max search, with the implementation searched.
type implSearch struct {
	impl string
	maxrate.Search
}

// findMax searches, for every cell, the highest offered rate at which the
// -find-max condition holds (package maxrate), each probe a run of the cell at
// the probed rate. It returns every probe's result beside the searches.
func (p *plan) findMax(ctx context.Context, floor result.Floor, std stdio) ([]*result.Result, []implSearch, error) {
	var results []*result.Result
	var searches []implSearch
	status := newStatusLine(std.stderr, !p.flags.quiet && isTerminal(std.stderr))
	for _, base := range p.cells {
		probe := func(ctx context.Context, n int, rate float64) (*result.Result, error) {
			c := base
			c.rate = rate
			label := fmt.Sprintf("[find-max probe %d/%d] %s at %s ops/s", n+1, maxrate.MaxProbes, c.impl.Name, formatCount(c.rate))
			res, err := p.runCell(ctx, c, 1, floor, status.hook(label))
			status.clear()
			return res, err
		}
		s, err := maxrate.Find(ctx, *p.findMaxCond, base.rate, probe)
		for _, pr := range s.Probes {
			results = append(results, pr.Result)
		}
		searches = append(searches, implSearch{impl: base.impl.Name, Search: s})
		if err != nil {
			return results, searches, err
		}
	}
	return results, searches, nil
}

// probeVerdict says why a probe passed or failed.
func probeVerdict(pr maxrate.Probe) string {
	switch pr.Verdict {
	case maxrate.Pass:
		return "pass"
	case maxrate.FailCondition:
		return "fail: " + pr.Msg
	case maxrate.FailBehind:
		r := pr.Result
		return fmt.Sprintf("fail: completed %s/s of %s/s offered", formatCount(r.Rates.Achieved), formatCount(r.Rates.Offered))
	default:
		return "fail: the pacer could not keep to the schedule"
	}
}

// writeMaxRateSearches prints each search's curve and its answer.
func writeMaxRateSearches(w io.Writer, searches []implSearch) {
	for _, s := range searches {
		fmt.Fprintf(w, "\nfind-max %s for %s: ", s.Condition, s.impl)
		switch {
		case s.Best == 0:
			fmt.Fprintln(w, "no probed rate passed")
		case math.IsInf(s.FirstFail, 1):
			fmt.Fprintf(w, "holds at every probed rate, up to %s ops/s (the search stopped there)\n", formatCount(s.Best))
		default:
			fmt.Fprintf(w, "holds up to %s ops/s (fails at %s ops/s)\n", formatCount(s.Best), formatCount(s.FirstFail))
		}
		for _, pr := range s.Probes {
			fmt.Fprintf(w, "  %10s ops/s  achieved %10s/s  p99 %8s  %s\n",
				strconv.FormatFloat(pr.Rate, 'f', -1, 64), formatCount(pr.Result.Rates.Achieved), formatNs(pr.Result.Latency.Response.P99), probeVerdict(pr))
		}
	}
}
