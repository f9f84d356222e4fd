package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/metrics"
)

// whatThisShows is the plain-language reading of one configuration group: which
// implementation led on throughput and on tail latency and by how much, whether
// the lead is within the noise of repetitions, and, for limiters, how close each
// came to its limit. It returns "" for an empty group.
func whatThisShows(g *configGroup, withConfig bool) string {
	if len(g.Cells) == 0 {
		return ""
	}
	head := "**What this shows**"
	if withConfig {
		head += " (" + configLabel(g.Workload, g.Params) + ")"
	}
	head += ": "
	p99 := func(c *Cell) Spread {
		return c.Spread(func(r *metrics.Result) float64 { return float64(r.Latency.Response.P99) })
	}
	if len(g.Cells) == 1 {
		c := g.Cells[0]
		return head + fmt.Sprintf("`%s` alone ran this configuration: %s ops/s, p99 response %s.",
			c.Impl, formatRate(c.Spread(achieved).Median), formatNs(p99(c).Median))
	}

	var sentences []string
	byRate := append([]*Cell(nil), g.Cells...)
	sort.SliceStable(byRate, func(i, j int) bool { return byRate[i].Spread(achieved).Median > byRate[j].Spread(achieved).Median })
	best, second, worst := byRate[0].Spread(achieved), byRate[1].Spread(achieved), byRate[len(byRate)-1].Spread(achieved)
	if g.Params.Rate > 0 {
		// Open loop: throughput is the offered rate unless a target fell behind.
		var short []string
		for _, c := range byRate {
			if m := c.Spread(achieved).Median; m < 0.99*g.Params.Rate {
				short = append(short, fmt.Sprintf("`%s` (%.0f%%)", c.Impl, 100*m/g.Params.Rate))
			}
		}
		if len(short) == 0 {
			sentences = append(sentences, fmt.Sprintf("every implementation kept up with the offered %s ops/s", formatRate(g.Params.Rate)))
		} else {
			sentences = append(sentences, fmt.Sprintf("of the offered %s ops/s, %s achieved less than 99%%", formatRate(g.Params.Rate), strings.Join(short, ", ")))
		}
	} else {
		s := fmt.Sprintf("`%s` led with %s ops/s", byRate[0].Impl, formatRate(best.Median))
		if worst.Median > 0 {
			s += fmt.Sprintf(", %s the slowest, `%s` (%s ops/s)", ratio(best.Median, worst.Median), byRate[len(byRate)-1].Impl, formatRate(worst.Median))
		}
		if len(byRate) > 2 && second.Median > 0 {
			s += fmt.Sprintf("; runner-up `%s` is %.0f%% behind", byRate[1].Impl, 100*(1-second.Median/best.Median))
		}
		if best.N > 1 && second.N > 1 && best.Min <= second.Max {
			s += fmt.Sprintf(" (the lead over `%s` is within the spread across repetitions, so not a clear win)", byRate[1].Impl)
		}
		sentences = append(sentences, s)
	}

	byP99 := append([]*Cell(nil), g.Cells...)
	sort.SliceStable(byP99, func(i, j int) bool { return p99(byP99[i]).Median < p99(byP99[j]).Median })
	lo, hi := byP99[0], byP99[len(byP99)-1]
	if p99(hi).Median > 0 {
		sentences = append(sentences, fmt.Sprintf("lowest p99 response: `%s` (%s) against `%s` (%s, %s higher)",
			lo.Impl, formatNs(p99(lo).Median), hi.Impl, formatNs(p99(hi).Median), ratio(p99(hi).Median, p99(lo).Median)))
	}
	if floor := floorP50(g); floor > 0 {
		if p50 := lo.Spread(func(r *metrics.Result) float64 { return float64(r.Latency.Response.P50) }).Median; p50 < 2*floor {
			sentences = append(sentences, fmt.Sprintf("the fastest p50s are within 2× of the harness floor (%s), so their differences are mostly harness cost", formatNs(floor)))
		}
	}
	if isLimiterFamily(g.Family) {
		if s := limitAccuracy(g); s != "" {
			sentences = append(sentences, s)
		}
	}
	for i := range sentences {
		if i == 0 {
			sentences[i] = strings.ToUpper(sentences[i][:1]) + sentences[i][1:]
		}
	}
	return head + strings.Join(sentences, "; ") + "."
}

// ratio prints a/b as "2.10×", "1.00×" within 1%, "> 1000×" beyond that.
var ratio = units.Ratio

// floorP50 is the median noop response p50 recorded with the group's results, or
// 0 when the floor was not measured.
func floorP50(g *configGroup) float64 {
	var v []float64
	for _, c := range g.Cells {
		for _, r := range c.Runs {
			if r.Floor.ResponseP50 > 0 {
				v = append(v, float64(r.Floor.ResponseP50))
			}
		}
	}
	if len(v) == 0 {
		return 0
	}
	return SpreadOf(v).Median
}

// limitAccuracy compares each limiter's median admitted rate with its configured
// limit and names the closest and the furthest.
func limitAccuracy(g *configGroup) string {
	type dev struct {
		impl string
		pct  float64
	}
	var devs []dev
	limit := 0.0
	for _, c := range g.Cells {
		l, ok := configuredLimit(c.Runs[0])
		if !ok {
			continue
		}
		limit = l
		adm := c.Spread(func(r *metrics.Result) float64 { return r.Rates.Admitted }).Median
		devs = append(devs, dev{c.Impl, 100 * (adm - l) / l})
	}
	if len(devs) == 0 {
		return ""
	}
	sort.SliceStable(devs, func(i, j int) bool { return math.Abs(devs[i].pct) < math.Abs(devs[j].pct) })
	s := fmt.Sprintf("admitted rate against the %s/s limit: closest `%s` (%+.1f%%)", formatRate(limit), devs[0].impl, devs[0].pct)
	if n := len(devs); n > 1 {
		s += fmt.Sprintf(", furthest `%s` (%+.1f%%)", devs[n-1].impl, devs[n-1].pct)
	}
	return s
}

// fairnessLine names the fairest and least fair implementations by Jain's index
// (ImplStats["jain_fairness"], 1 = every worker got the same share), or "".
func fairnessLine(cells []*Cell) string {
	type fair struct {
		impl string
		j    float64
	}
	var fs []fair
	for _, c := range cells {
		var v []float64
		for _, r := range c.Runs {
			if j, ok := r.ImplStats["jain_fairness"]; ok {
				v = append(v, j)
			}
		}
		if len(v) > 0 {
			fs = append(fs, fair{c.Impl, SpreadOf(v).Median})
		}
	}
	if len(fs) < 2 {
		return ""
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].j > fs[j].j })
	return fmt.Sprintf("**Fairness** (Jain's index over per-worker acquisitions, 1 = equal shares): fairest `%s` (%.3f), least fair `%s` (%.3f).",
		fs[0].impl, fs[0].j, fs[len(fs)-1].impl, fs[len(fs)-1].j)
}
