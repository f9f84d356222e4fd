package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

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

// groupHeading names a ranking group: family, mode and configuration.
func groupHeading(g *configGroup) string {
	h := "**" + g.Family + "**"
	if g.Mode != "" && (g.Family == "limiters" || g.Family == "redis" || g.Family == "semaphores") {
		h += " (" + g.Mode + " mode)"
	}
	return h + " · " + configLabel(g.Workload, g.Params)
}

// Verdicts returns the verdict of each ranking group of results (the cells of
// one family that ran one configuration in one mode), in the report's order:
// the markdown lines report.md opens with.
func Verdicts(results []*result.Result) []string {
	cells := GroupCells(results)
	var families []string
	byFamily := map[string][]*Cell{}
	for _, c := range cells {
		if _, ok := byFamily[c.Family]; !ok {
			families = append(families, c.Family)
		}
		byFamily[c.Family] = append(byFamily[c.Family], c)
	}
	var out []string
	for _, fam := range families {
		for _, g := range groupByConfig(byFamily[fam]) {
			out = append(out, verdict(g))
		}
	}
	return out
}

// verdict is the one-paragraph answer for a ranking group: the best choice
// when the forks separate it from the runner-up (with the ratio, its interval
// and the test), "not separated" or "level" when they do not; then what a
// reader must know before trusting it (machine modes, saturation, ...).
// Every figure carries its between-run interval, or says that none is known.
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
			c.Impl, c.Figure(achieved).Describe(formatRate, " ops/s"), lat.name, cellLatency(c, lat)))
		if n := splitNote(c); n != "" {
			s = append(s, "`"+c.Impl+"` "+n)
		}
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
	if n := groupModesNote(g); n != "" {
		s = append(s, n)
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

// ratioText prints a ratio: "1.92×".
func ratioText(r float64) string { return units.Ratio(r, 1) }

// throughputVerdict names the closed-loop leader by achieved rate, when the
// forks separate it from the runner-up.
func throughputVerdict(g *configGroup) string {
	cells := sortedBy(g.Cells, func(c *Cell) float64 { return -c.Figure(achieved).Median })
	best, second := cells[0], cells[1]
	sep := separate(best, second, achieved, true, false)
	rate := func(c *Cell) string { return cellFigureText(c, achieved, formatRate, " ops/s") }
	var text string
	switch {
	case sep.separated:
		text = fmt.Sprintf("best throughput: **`%s`**, %s, %s runner-up `%s` (%s ops/s; %s)",
			best.Impl, rate(best), ratioText(sep.ratio), second.Impl, formatRate(second.Figure(achieved).Median), sep.evidence(ratioText))
	case !sep.tested:
		text = fmt.Sprintf("throughput: `%s` %s, %s `%s` (%s); %s",
			best.Impl, rate(best), ratioText(sep.ratio), second.Impl, rate(second), sep.why)
	case sep.level(false):
		text = fmt.Sprintf("throughput: `%s` and `%s` level, %s and %s (ratio %s; %s)",
			best.Impl, second.Impl, rate(best), rate(second), ratioText(sep.ratio), sep.evidence(ratioText))
	default:
		text = fmt.Sprintf("throughput: `%s` and `%s` not separated, %s and %s (ratio %s; %s)",
			best.Impl, second.Impl, rate(best), rate(second), ratioText(sep.ratio), sep.evidence(ratioText))
	}
	return text + splitNotes(best, second)
}

// cellFigureText prints c's figure f for a comparison: per machine mode when
// its forks ran under two (the short round trip is the fast mode), else the
// median with its between-run interval. A
// single run prints as its value alone: the comparison says once that no
// between-run uncertainty is known.
func cellFigureText(c *Cell, f func(*result.Result) float64, format func(float64) string, unit string) string {
	if s, ok := cellModes(c); ok {
		// The modes themselves are named once, in the group's note.
		fast, slow := byMode(c, s, f)
		return fmt.Sprintf("%s%s in the fast mode (%d %s), %s in the slow (%d)", format(fast.Median), unit, fast.N, fast.noun(), format(slow.Median), slow.N)
	}
	fig := c.Figure(f)
	if fig.N == 1 && fig.Across != WithinProcess {
		return format(fig.Median) + unit
	}
	return fig.Describe(format, unit)
}

// splitNotes names the split of a leader's or runner-up's per-fork
// throughput (bimodal, or one fork far from the rest), so a median that
// describes neither mode is not taken for either.
func splitNotes(cells ...*Cell) string {
	var parts []string
	for _, c := range cells {
		if n := splitNote(c); n != "" {
			parts = append(parts, "`"+c.Impl+"` "+n)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, "; ")
}

// latencyVerdict names the cell with the lowest ranked latency, when the
// forks separate it from the runner-up, and the slowest only when they
// separate it from the next slowest. Saturated cells (ops left unfinished)
// and cells that starved workers rank last: their percentiles are lower
// bounds of a latency that kept growing, or describe only the workers that
// got through.
func latencyVerdict(g *configGroup, lat rankedLatency, label string) string {
	suspect := func(c *Cell) bool { return cellSaturated(c) || c.MedianRun().Starvation() != "" }
	var fair, doubtful []*Cell
	for _, c := range sortedBy(g.Cells, func(c *Cell) float64 { return c.Figure(lat.get).Median }) {
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
	if len(fair) == 1 {
		return fmt.Sprintf("%s: `%s`, %s %s, the only one ranked%s", label, best.Impl, lat.name, cellLatencyFigure(best, lat), left)
	}
	second := fair[1]
	sep := separate(best, second, lat.get, false, false)
	var text string
	switch {
	case sep.separated:
		text = fmt.Sprintf("%s: **`%s`**, %s %s, %s faster than runner-up `%s` (%s; %s)", label, best.Impl, lat.name,
			cellLatencyFigure(best, lat), ratioText(sep.ratio), second.Impl, cellLatency(second, lat), sep.evidence(ratioText))
	case !sep.tested:
		text = fmt.Sprintf("%s: `%s`, %s %s, %s faster than `%s` (%s); %s", label, best.Impl, lat.name,
			cellLatencyFigure(best, lat), ratioText(sep.ratio), second.Impl, cellLatencyFigure(second, lat), sep.why)
	case sep.level(false):
		text = fmt.Sprintf("%s: `%s` and `%s` level, %s %s and %s (ratio %s; %s)", label, best.Impl, second.Impl, lat.name,
			cellLatencyFigure(best, lat), cellLatencyFigure(second, lat), ratioText(sep.ratio), sep.evidence(ratioText))
	default:
		text = fmt.Sprintf("%s: `%s` and `%s` not separated, %s %s and %s (ratio %s; %s)", label, best.Impl, second.Impl, lat.name,
			cellLatencyFigure(best, lat), cellLatencyFigure(second, lat), ratioText(sep.ratio), sep.evidence(ratioText))
	}
	if len(fair) > 2 {
		worst, next := fair[len(fair)-1], fair[len(fair)-2]
		// Named only when the forks put it behind the next slowest too:
		// otherwise which one is slowest changes from run to run.
		if behind := separate(next, worst, lat.get, false, false); behind.separated {
			text += fmt.Sprintf("; slowest `%s` (%s, %s the fastest; behind `%s` by %s: %s)", worst.Impl, cellLatency(worst, lat),
				units.Ratio(worst.Figure(lat.get).Median, best.Figure(lat.get).Median), next.Impl, ratioText(behind.ratio), behind.evidence(ratioText))
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
	return units.AtLeast(formatNs(c.Figure(lat.get).Median), lb)
}

// cellLatencyFigure is cellLatency with the between-run interval, or per
// machine mode.
func cellLatencyFigure(c *Cell, lat rankedLatency) string {
	lb := false
	if lat.name == "response p99" {
		for _, r := range c.Runs {
			lb = lb || r.Latency.Response.LowerBound
		}
	}
	return units.AtLeast(cellFigureText(c, lat.get, formatNs, ""), lb)
}

// keptUp says whether every open-loop cell achieved the offered rate.
func keptUp(g *configGroup) string {
	var short []string
	for _, c := range g.Cells {
		if m := c.Figure(achieved).Median; m < 0.99*g.Params.Rate || cellSaturated(c) {
			short = append(short, fmt.Sprintf("`%s` (%s)", c.Impl, units.Percent(100*m/g.Params.Rate)))
		}
	}
	if len(short) == 0 {
		return fmt.Sprintf("every implementation kept up with the offered %s ops/s", formatRate(g.Params.Rate))
	}
	return fmt.Sprintf("of the offered %s ops/s, %s finished less than 99%% or left ops unfinished", formatRate(g.Params.Rate), strings.Join(short, ", "))
}

// accuracyVerdict names the limiter closest to its limit (by the absolute
// steady-state rate error its accuracy reports) among those that stayed
// within their own admission bound in every run, when the forks separate it
// from the next closest; limiters within levelDiffPoints of the best are
// level with it. It names the least accurate only when the forks separate it
// from the next least, and lists any that broke their bound.
func accuracyVerdict(g *configGroup) string {
	// A run shorter than two accuracy windows has no steady span: its
	// "error" is its start-up (a sliding log full from the warm-up admits
	// nothing in the half-second after it), so it is not judged.
	var short int
	var shortNs int64
	rateErr := func(r *result.Result) float64 {
		e, ok := extraNumber(r, result.LimiterExtrasKey, result.AdmittedRateErrorKey)
		if !ok {
			return math.NaN()
		}
		if from, ok := extraNumber(r, result.LimiterExtrasKey, "steady_from_ns"); ok && from <= 0 {
			return math.NaN()
		}
		return e
	}
	for _, c := range g.Cells {
		for _, r := range c.Runs {
			if from, ok := extraNumber(r, result.LimiterExtrasKey, "steady_from_ns"); ok && from <= 0 {
				short++
				shortNs = r.DurationNs
			}
		}
	}
	absErr := func(r *result.Result) float64 { return math.Abs(rateErr(r)) }
	type over struct {
		impl   string
		excess float64
	}
	var within []*Cell
	var broke []over
	for _, c := range g.Cells {
		if f := c.Figure(rateErr); f.N == 0 || math.IsNaN(f.Median) {
			continue
		}
		excess := 0.0
		for _, r := range c.Runs {
			x, _ := extraNumber(r, result.LimiterExtrasKey, "excess_over_envelope")
			excess = max(excess, x)
		}
		if excess > 0 {
			broke = append(broke, over{c.Impl, excess})
		} else {
			within = append(within, c)
		}
	}
	if len(within)+len(broke) == 0 {
		if short > 0 {
			return fmt.Sprintf("accuracy not judged: the runs measured %s, shorter than two accuracy windows, so they have no steady span to read a rate from", units.DurationNs(shortNs))
		}
		return ""
	}
	errText := func(c *Cell) string { return c.Figure(rateErr).Describe(units.SignedPercent, "") }
	points := func(d float64) string { return units.Trim(units.Number(d)) + " points" }
	pointsCI := func(d float64) string { return units.Trim(units.Number(d)) }
	var parts []string
	if len(within) > 0 {
		within = sortedBy(within, func(c *Cell) float64 { return c.Figure(absErr).Median })
		best := within[0]
		bestAbs := best.Figure(absErr).Median
		var tied []string
		for _, c := range within {
			if c.Figure(absErr).Median-bestAbs <= levelDiffPoints {
				tied = append(tied, "`"+c.Impl+"`")
			}
		}
		switch {
		case len(within) == 1:
			parts = append(parts, fmt.Sprintf("`%s` alone reports its accuracy: rate error %s, within its admission bound", best.Impl, errText(best)))
		case len(tied) > 1:
			parts = append(parts, fmt.Sprintf("most accurate, level: %s (rate errors within %s of %s, each within its admission bound)",
				strings.Join(tied, ", "), points(levelDiffPoints), units.SignedPercent(best.Figure(rateErr).Median)))
		default:
			second := within[1]
			sep := separate(best, second, absErr, false, true)
			if sep.separated {
				parts = append(parts, fmt.Sprintf("most accurate: **`%s`** (rate error %s, within its admission bound; %s closer to its limit than `%s`: %s)",
					best.Impl, errText(best), points(sep.ratio), second.Impl, sep.evidence(pointsCI)))
			} else {
				parts = append(parts, fmt.Sprintf("most accurate, not separated: `%s` and `%s` (rate errors %s and %s, each within its admission bound; %s)",
					best.Impl, second.Impl, errText(best), errText(second), sep.evidence(pointsCI)))
			}
		}
		if n := len(within); n > 2 {
			worst, next := within[n-1], within[n-2]
			if behind := separate(next, worst, absErr, false, true); behind.separated && !behind.level(true) {
				parts[len(parts)-1] += fmt.Sprintf("; least `%s` (rate error %s; %s further than `%s`: %s)",
					worst.Impl, errText(worst), points(behind.ratio), next.Impl, behind.evidence(pointsCI))
			}
		}
	}
	if len(broke) > 0 {
		var names []string
		for _, a := range broke {
			names = append(names, fmt.Sprintf("`%s` (%s over)", a.impl, units.Number(a.excess)))
		}
		parts = append(parts, "admitted more than its own bound allows in some window: "+strings.Join(names, ", "))
	}
	return strings.Join(parts, "; ")
}

// groupModesNote says when the group's forks ran under different machine
// modes: the comparisons pair the cells of one fork, so they hold, but the
// figures differ by mode, and each cell's are given per mode.
func groupModesNote(g *configGroup) string {
	s, ok := splitModes(roundTrips(g.Cells))
	if !ok {
		return ""
	}
	return fmt.Sprintf("the forks ran under two machine modes: a cache line's round trip between two threads took %s in %s and %s in %s; "+
		"each comparison above pairs the cells of one fork, which shared its mode, but the figures differ by mode and are given per mode",
		formatNs(s.fastNs), forkNames(g.Cells, s.fast), formatNs(s.slowNs), forkNames(g.Cells, s.slow))
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
	var short []string
	for _, c := range g.Cells {
		if n := len(shortOfCores(c)); n > 0 {
			short = append(short, fmt.Sprintf("`%s` in %d of %d runs", c.Impl, n, len(c.Runs)))
		}
	}
	if len(short) > 0 {
		out = append(out, "short of cores (another process held them, so those runs measured a smaller machine): "+strings.Join(short, ", "))
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
