package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"golang.org/x/perf/benchmath"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// significanceAlpha is the p-value below which a lead counts as significant.
const significanceAlpha = 0.05

// minRunsForTest is the fewest repetitions per side with which a Mann-Whitney U
// test can reach p < 0.05 (with 3 against 3 its smallest p-value is 0.1).
const minRunsForTest = 4

// lagDominates reports whether, in the group's open-loop cells, the lag (how
// late the harness started ops) makes up at least half of the response p99 in
// every cell: response time then ranks the pacer's jitter, not the target.
func lagDominates(g *configGroup) bool {
	n := 0
	for _, c := range g.Cells {
		r := c.MedianRun()
		lag, ok := r.Lag()
		if !ok || r.Latency.Response.P99 <= 0 {
			return false
		}
		if float64(lag.P99) < 0.5*float64(r.Latency.Response.P99) {
			return false
		}
		n++
	}
	return n > 0
}

// rankedLatency is the latency a group's cells are ranked by: response p99,
// or service p99 when lag dominates the response.
type rankedLatency struct {
	name string // "response p99" or "service p99"
	why  string // why service time was chosen, or ""
	get  func(*result.Result) float64
}

func latencyRanking(g *configGroup) rankedLatency {
	if lagDominates(g) {
		return rankedLatency{
			name: "service p99",
			why: "ranked by service time (finished − started): in every row at least half of the response p99 is lag, " +
				"the harness starting ops late against their schedule, which says nothing about the target",
			get: func(r *result.Result) float64 { return float64(r.Latency.Service.P99) },
		}
	}
	return rankedLatency{name: "response p99", get: func(r *result.Result) float64 { return float64(r.Latency.Response.P99) }}
}

// significance says whether a's lead over b on f is more than noise: a
// Mann-Whitney U test when both have enough repetitions, else whether their
// ranges overlap, else that one run each cannot tell.
func significance(a, b *Cell, f func(*result.Result) float64) string {
	av, bv := finiteValues(a.Metric(f)), finiteValues(b.Metric(f))
	switch {
	case len(av) >= minRunsForTest && len(bv) >= minRunsForTest:
		th := benchmath.DefaultThresholds
		p := benchmath.AssumeNothing.Compare(benchmath.NewSample(av, &th), benchmath.NewSample(bv, &th)).P
		verdict := "significant"
		if !(p < significanceAlpha) {
			verdict = "not significant"
		}
		return fmt.Sprintf("%s (p=%s, Mann-Whitney U, %d vs %d runs)", verdict, units.Trim(units.Number(p)), len(av), len(bv))
	case len(av) >= 2 && len(bv) >= 2:
		sa, sb := SpreadOf(av), SpreadOf(bv)
		if sa.Min > sb.Max || sa.Max < sb.Min {
			return fmt.Sprintf("the ranges of %d and %d runs do not overlap, too few runs for a test (-count %d)", len(av), len(bv), minRunsForTest)
		}
		return fmt.Sprintf("within the spread of %d and %d runs: not a clear lead", len(av), len(bv))
	}
	return fmt.Sprintf("one run each, not tested (-count %d or more allows a test)", minRunsForTest)
}

func finiteValues(v []float64) []float64 {
	out := v[:0:0]
	for _, x := range v {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			out = append(out, x)
		}
	}
	return out
}

// groupHeading names a ranking group: family, mode and configuration.
func groupHeading(g *configGroup) string {
	h := "**" + g.Family + "**"
	if g.Mode != "" && (g.Family == "limiters" || g.Family == "redis" || g.Family == "semaphores") {
		h += " (" + g.Mode + " mode)"
	}
	return h + " · " + configLabel(g.Workload, g.Params)
}

// verdict is the one-paragraph answer for a ranking group: the best choice, by
// how much over the runner-up, with the spread across repetitions and whether
// the lead is significant; then what a reader must know before trusting it.
func verdict(g *configGroup) string {
	if len(g.Cells) == 0 {
		return ""
	}
	var s []string
	lat := latencyRanking(g)
	open := g.Params.Rate > 0
	limiter := isLimiterFamily(g.Family)
	if len(g.Cells) == 1 {
		c := g.Cells[0]
		s = append(s, fmt.Sprintf("`%s` alone ran this configuration: %s, %s %s",
			c.Impl, c.Spread(achieved).FormatCounted(formatRate, " ops/s"), lat.name, cellLatency(c, lat)))
	} else {
		switch {
		case limiter:
			if acc := accuracyVerdict(g); acc != "" {
				s = append(s, acc)
			}
			s = append(s, latencyVerdict(g, lat, "fastest decision"))
		case open:
			s = append(s, keptUp(g))
			s = append(s, latencyVerdict(g, lat, "lowest "+lat.name))
		default:
			s = append(s, throughputVerdict(g))
			s = append(s, latencyVerdict(g, lat, "lowest "+lat.name))
		}
	}
	if lat.why != "" && len(g.Cells) > 1 {
		s = append(s, lat.why)
	}
	s = append(s, cautions(g)...)
	for i := range s {
		s[i] = capitalize(strings.TrimSpace(s[i]))
	}
	return groupHeading(g) + ": " + strings.Join(nonEmpty(s), ". ") + "."
}

// throughputVerdict names the closed-loop leader by achieved rate.
func throughputVerdict(g *configGroup) string {
	cells := sortedBy(g.Cells, func(c *Cell) float64 { return -c.Spread(achieved).Median })
	best, second := cells[0], cells[1]
	bs, ss := best.Spread(achieved), second.Spread(achieved)
	return fmt.Sprintf("best throughput: **`%s`**, %s, %s runner-up `%s` (%s ops/s); %s",
		best.Impl, bs.FormatCounted(formatRate, " ops/s"), units.Ratio(bs.Median, ss.Median), second.Impl, formatRate(ss.Median),
		significance(best, second, achieved))
}

// latencyVerdict names the cell with the lowest ranked latency. Saturated
// cells (ops left unfinished) and cells that starved workers rank last: their
// percentiles are lower bounds of a latency that kept growing, or describe only
// the workers that got through.
func latencyVerdict(g *configGroup, lat rankedLatency, label string) string {
	suspect := func(c *Cell) bool { return cellSaturated(c) || c.MedianRun().Starvation() != "" }
	var fair, doubtful []*Cell
	for _, c := range sortedBy(g.Cells, func(c *Cell) float64 { return c.Spread(lat.get).Median }) {
		if suspect(c) {
			doubtful = append(doubtful, c)
		} else {
			fair = append(fair, c)
		}
	}
	var names []string
	for _, c := range doubtful {
		names = append(names, fmt.Sprintf("`%s` (%s)", c.Impl, cellLatency(c, lat)))
	}
	left := ""
	if len(names) > 0 {
		left = "; not ranked, because their ops were cut off unfinished or their workers starved: " + strings.Join(names, ", ")
	}
	if len(fair) == 0 {
		return label + ": none ranked" + left
	}
	best := fair[0]
	bs := best.Spread(lat.get)
	text := fmt.Sprintf("%s: **`%s`**, %s %s", label, best.Impl, lat.name, bs.FormatCounted(formatNs, ""))
	if len(fair) > 1 {
		second, worst := fair[1], fair[len(fair)-1]
		ss, ws := second.Spread(lat.get), worst.Spread(lat.get)
		lead := units.Ratio(ss.Median, bs.Median) + " faster than"
		if math.Abs(ss.Median/bs.Median-1) < 0.01 {
			lead = "level with" // within 1%: no lead to speak of
		}
		text += fmt.Sprintf(", %s runner-up `%s` (%s); %s", lead, second.Impl, cellLatency(second, lat),
			significance(second, best, lat.get))
		if len(fair) > 2 {
			text += fmt.Sprintf("; slowest `%s` (%s, %s)", worst.Impl, cellLatency(worst, lat), units.Ratio(ws.Median, bs.Median))
		}
	}
	return text + left
}

// cellLatency prints a cell's ranked latency with its lower-bound mark.
func cellLatency(c *Cell, lat rankedLatency) string {
	lb := false
	if lat.name == "response p99" {
		for _, r := range c.Runs {
			lb = lb || r.Latency.Response.LowerBound
		}
	}
	return units.AtLeast(formatNs(c.Spread(lat.get).Median), lb)
}

// keptUp says whether every open-loop cell achieved the offered rate.
func keptUp(g *configGroup) string {
	var short []string
	for _, c := range g.Cells {
		if m := c.Spread(achieved).Median; m < 0.99*g.Params.Rate || cellSaturated(c) {
			short = append(short, fmt.Sprintf("`%s` (%s)", c.Impl, units.Percent(100*m/g.Params.Rate)))
		}
	}
	if len(short) == 0 {
		return fmt.Sprintf("every implementation kept up with the offered %s ops/s", formatRate(g.Params.Rate))
	}
	return fmt.Sprintf("of the offered %s ops/s, %s finished less than 99%% or left ops unfinished", formatRate(g.Params.Rate), strings.Join(short, ", "))
}

// accuracyVerdict names the limiter closest to its limit (by the absolute
// steady-state rate error its accuracy reports) among those that stayed within
// their own admission bound, and any that broke it.
func accuracyVerdict(g *configGroup) string {
	type acc struct {
		impl   string
		errPct float64
		excess float64
	}
	var within, over []acc
	for _, c := range g.Cells {
		r := c.MedianRun()
		e, ok := extraNumber(r, result.LimiterExtrasKey, result.AdmittedRateErrorKey)
		if !ok {
			continue
		}
		x, _ := extraNumber(r, result.LimiterExtrasKey, "excess_over_envelope")
		a := acc{c.Impl, e, x}
		if x > 0 {
			over = append(over, a)
		} else {
			within = append(within, a)
		}
	}
	if len(within)+len(over) == 0 {
		return ""
	}
	var parts []string
	if len(within) > 0 {
		sort.SliceStable(within, func(i, j int) bool { return math.Abs(within[i].errPct) < math.Abs(within[j].errPct) })
		// Limiters whose errors are within 0.05 points of the best tie with it.
		var best []string
		for _, a := range within {
			if math.Abs(a.errPct)-math.Abs(within[0].errPct) <= 0.05 {
				best = append(best, "**`"+a.impl+"`**")
			}
		}
		p := fmt.Sprintf("most accurate: %s (rate error %s, within its admission bound)", strings.Join(best, ", "), units.SignedPercent(within[0].errPct))
		if len(best) > 1 {
			p = fmt.Sprintf("most accurate, tied: %s (rate errors within 0.05 points of %s, each within its admission bound)", strings.Join(best, ", "), units.SignedPercent(within[0].errPct))
		}
		if n := len(within); n > 1 {
			p += fmt.Sprintf(", least `%s` (%s)", within[n-1].impl, units.SignedPercent(within[n-1].errPct))
		}
		parts = append(parts, p)
	}
	if len(over) > 0 {
		var names []string
		for _, a := range over {
			names = append(names, fmt.Sprintf("`%s` (%s over)", a.impl, units.Number(a.excess)))
		}
		parts = append(parts, "admitted more than its own bound allows in some window: "+strings.Join(names, ", "))
	}
	return strings.Join(parts, "; ")
}

// cautions are what a reader must know before trusting the group's figures:
// saturation, starvation, scheduler time slices and the harness floor.
func cautions(g *configGroup) []string {
	var out []string
	var sat, starved []string
	for _, c := range g.Cells {
		if cellSaturated(c) {
			var u int64
			for _, r := range c.Runs {
				u += r.UnfinishedOps()
			}
			sat = append(sat, fmt.Sprintf("`%s` (%s unfinished)", c.Impl, formatCount(float64(u))))
		}
		if s := c.MedianRun().Starvation(); s != "" {
			starved = append(starved, "`"+c.Impl+"`")
		}
	}
	if len(sat) > 0 {
		out = append(out, "saturated (ops still unfinished when the run ended, so its percentiles are lower bounds, marked ≥): "+strings.Join(sat, ", "))
	}
	if len(starved) > 0 {
		out = append(out, "starved workers in "+strings.Join(starved, ", ")+": their percentiles describe only the workers that got through (see the table)")
	}
	if n := schedulerNote(g); n != "" {
		out = append(out, n)
	}
	if floor := floorP50(g); floor > 0 {
		lo := sortedBy(g.Cells, func(c *Cell) float64 {
			return c.Spread(func(r *result.Result) float64 { return float64(r.Latency.Response.P50) }).Median
		})[0]
		if p50 := lo.Spread(func(r *result.Result) float64 { return float64(r.Latency.Response.P50) }).Median; p50 < 2*floor {
			out = append(out, fmt.Sprintf("the fastest p50s are within 2× of the harness floor (%s), so their differences are mostly harness cost", formatNs(floor)))
		}
	}
	return out
}

// schedulerNote warns, for closed loops with more workers than GOMAXPROCS, that
// tails include scheduler time slices, with the scheduling latency measured.
func schedulerNote(g *configGroup) string {
	if len(g.Cells) == 0 || !workersOverProcs(g.Cells[0].Runs[0]) {
		return ""
	}
	r := g.Cells[0].Runs[0]
	procs := r.Params.GOMAXPROCS
	if procs == 0 {
		procs = r.Env.GOMAXPROCS
	}
	var lat []float64
	for _, c := range g.Cells {
		for _, r := range c.Runs {
			if v, ok := schedLatencyP99(r); ok {
				lat = append(lat, v)
			}
		}
	}
	s := fmt.Sprintf("%d workers on %d Ps: tails above p99.9 include scheduler time slices (a worker descheduled between its two clock reads)", r.Params.Concurrency, procs)
	if len(lat) > 0 {
		sp := SpreadOf(lat)
		s += fmt.Sprintf("; runnable goroutines waited for a P %s at p99 (up to %s)", formatNs(sp.Median), formatNs(sp.Max))
	}
	return s
}

// cellSaturated reports whether any repetition of c left ops unfinished.
func cellSaturated(c *Cell) bool {
	for _, r := range c.Runs {
		if r.IsSaturated() {
			return true
		}
	}
	return false
}

func sortedBy(cells []*Cell, key func(*Cell) float64) []*Cell {
	out := append([]*Cell(nil), cells...)
	sort.SliceStable(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out
}

func nonEmpty(s []string) []string {
	out := s[:0:0]
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

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
