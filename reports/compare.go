package reports

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
)

// MinSamples is the sample size per side below which Compare warns: with fewer
// than 6 values per side the Mann-Whitney U test cannot reach p < 0.05 after even
// a modest multiple-comparison correction, however large the change.
const MinSamples = 6

// CompareOptions tune Compare. Zero fields take the defaults noted.
type CompareOptions struct {
	// Threshold is the smallest relative change that matters in practice, as a
	// fraction (0.05 = 5%, the default). A significant change smaller than this
	// is reported but is not a regression.
	Threshold float64
	// Alpha is the significance level applied to Holm-Bonferroni corrected
	// p-values (default 0.05).
	Alpha float64
	// Confidence is the confidence level of the reported intervals (default 0.95).
	Confidence float64
}

func (o CompareOptions) withDefaults() CompareOptions {
	if o.Threshold == 0 {
		o.Threshold = 0.05
	}
	if o.Alpha == 0 {
		o.Alpha = 0.05
	}
	if o.Confidence == 0 {
		o.Confidence = 0.95
	}
	return o
}

// MetricComparison is the comparison of one metric between base and head.
type MetricComparison struct {
	Key MetricKey
	// Old and New summarise the base and head samples: median and confidence
	// interval (benchmath.AssumeNothing).
	Old, New   benchmath.Summary
	NOld, NNew int
	// P is the Mann-Whitney U p-value; PAdj the Holm-Bonferroni corrected one.
	P, PAdj float64
	// Delta is the relative change of the median, (new − old) / old; NaN when
	// the old median is 0.
	Delta float64
	// Better is +1 when higher is better, −1 when lower is better, 0 if unknown.
	Better int
	// Significant is PAdj < Alpha.
	Significant bool
	// Regression and Improvement are set when the change is significant, beyond
	// the threshold, and in the worse or better direction.
	Regression, Improvement bool
}

// GeomeanRow is the geometric mean of one unit's medians over the metrics both
// sides have (positive values only), benchstat's summary of a whole suite.
type GeomeanRow struct {
	Unit     string
	Old, New float64
	Delta    float64
	N        int // metrics included
}

// Comparison is the outcome of Compare.
type Comparison struct {
	Options  CompareOptions
	Metrics  []MetricComparison
	Geomeans []GeomeanRow
	// OnlyBase and OnlyHead are metrics one side lacks; they are not compared.
	OnlyBase, OnlyHead []MetricKey
	// Warnings are things a reader must know to trust the verdict (small samples,
	// a correction too strict for the sample size).
	Warnings []string
}

// Compare compares every metric base and head share, in base's order. For each it
// summarises both samples (median and confidence interval) and tests them with
// benchmath.AssumeNothing (Mann-Whitney U); p-values are then corrected with the
// Holm-Bonferroni method across all compared metrics, so running many benchmarks
// does not manufacture false regressions. The better direction comes from the
// "better" unit metadata of either side, else from the unit (throughput /s
// higher, time and per-op costs lower).
func Compare(base, head *Samples, opts CompareOptions) *Comparison {
	opts = opts.withDefaults()
	c := &Comparison{Options: opts}
	th := benchmath.DefaultThresholds
	th.CompareAlpha = opts.Alpha
	small := 0
	for _, k := range base.Order {
		newVals, ok := head.Values[k]
		if !ok {
			c.OnlyBase = append(c.OnlyBase, k)
			continue
		}
		oldS := benchmath.NewSample(append([]float64(nil), base.Values[k]...), &th)
		newS := benchmath.NewSample(append([]float64(nil), newVals...), &th)
		m := MetricComparison{Key: k, NOld: len(oldS.Values), NNew: len(newS.Values)}
		m.Old = benchmath.AssumeNothing.Summary(oldS, opts.Confidence)
		m.New = benchmath.AssumeNothing.Summary(newS, opts.Confidence)
		m.P = benchmath.AssumeNothing.Compare(oldS, newS).P
		if math.IsNaN(m.P) {
			m.P = 1
		}
		m.Delta = math.NaN()
		if m.Old.Center != 0 {
			m.Delta = (m.New.Center - m.Old.Center) / math.Abs(m.Old.Center)
		}
		m.Better = betterDirection(k.Unit, base.Units, head.Units)
		if m.NOld < MinSamples || m.NNew < MinSamples {
			small++
		}
		c.Metrics = append(c.Metrics, m)
	}
	for _, k := range head.Order {
		if _, ok := base.Values[k]; !ok {
			c.OnlyHead = append(c.OnlyHead, k)
		}
	}
	holm(c.Metrics)
	for i := range c.Metrics {
		m := &c.Metrics[i]
		m.Significant = m.PAdj < opts.Alpha
		if m.Significant && !math.IsNaN(m.Delta) && math.Abs(m.Delta) > opts.Threshold && m.Better != 0 {
			if float64(m.Better)*m.Delta < 0 {
				m.Regression = true
			} else {
				m.Improvement = true
			}
		}
	}
	c.Geomeans = geomeans(c.Metrics)

	if small > 0 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("%d of %d metrics have fewer than %d samples on a side: the test cannot show a change with so few; run more repetitions (e.g. COUNT=10)", small, len(c.Metrics), MinSamples))
	}
	if n := len(c.Metrics); n > 1 {
		if minP := minAttainableP(c.Metrics); minP*float64(n) >= opts.Alpha {
			c.Warnings = append(c.Warnings, fmt.Sprintf("with these sample sizes the smallest possible p-value is %.2g, which cannot survive the correction for %d comparisons at alpha %g: compare fewer benchmarks or take more samples", minP, n, opts.Alpha))
		}
	}
	if len(c.OnlyBase)+len(c.OnlyHead) > 0 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("%d metrics only in base and %d only in head were not compared", len(c.OnlyBase), len(c.OnlyHead)))
	}
	return c
}

// holm sets PAdj by the Holm-Bonferroni step-down method: the i-th smallest of m
// p-values is multiplied by (m − i), and adjusted values are made monotone.
func holm(ms []MetricComparison) {
	idx := make([]int, len(ms))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return ms[idx[a]].P < ms[idx[b]].P })
	m := len(ms)
	running := 0.0
	for rank, i := range idx {
		adj := math.Min(1, float64(m-rank)*ms[i].P)
		running = math.Max(running, adj)
		ms[i].PAdj = running
	}
}

// minAttainableP is the smallest two-sided Mann-Whitney p-value the smallest
// compared pair of samples could produce: 2 / C(n1+n2, n1).
func minAttainableP(ms []MetricComparison) float64 {
	best := 1.0
	for _, m := range ms {
		if m.NOld == 0 || m.NNew == 0 {
			continue
		}
		p := 2 / binomial(m.NOld+m.NNew, m.NOld)
		best = math.Min(best, p)
	}
	return best
}

func binomial(n, k int) float64 {
	r := 1.0
	for i := 1; i <= k; i++ {
		r = r * float64(n-k+i) / float64(i)
	}
	return r
}

// betterDirection returns +1 if higher values of unit are better, −1 if lower,
// from the sides' metadata first, then from the unit's shape.
func betterDirection(unit string, maps ...benchfmt.UnitMetadataMap) int {
	for _, m := range maps {
		if m != nil {
			if b := m.GetBetter(unit); b != 0 {
				return b
			}
		}
	}
	switch {
	case strings.HasSuffix(unit, "/s"):
		return +1
	case strings.Contains(unit, "sec"), strings.HasSuffix(unit, "/op"):
		return -1
	}
	return 0
}

// geomeans computes one GeomeanRow per unit, in order of first appearance.
func geomeans(ms []MetricComparison) []GeomeanRow {
	type acc struct {
		lo, ln float64
		n      int
	}
	var order []string
	accs := map[string]*acc{}
	for _, m := range ms {
		if !(m.Old.Center > 0 && m.New.Center > 0) {
			continue
		}
		a, ok := accs[m.Key.Unit]
		if !ok {
			a = &acc{}
			accs[m.Key.Unit] = a
			order = append(order, m.Key.Unit)
		}
		a.lo += math.Log(m.Old.Center)
		a.ln += math.Log(m.New.Center)
		a.n++
	}
	var rows []GeomeanRow
	for _, u := range order {
		a := accs[u]
		o, n := math.Exp(a.lo/float64(a.n)), math.Exp(a.ln/float64(a.n))
		rows = append(rows, GeomeanRow{Unit: u, Old: o, New: n, Delta: n/o - 1, N: a.n})
	}
	return rows
}

// Regressions returns the metrics that regressed.
func (c *Comparison) Regressions() []MetricComparison {
	var out []MetricComparison
	for _, m := range c.Metrics {
		if m.Regression {
			out = append(out, m)
		}
	}
	return out
}

// Verdict is a one-line summary fit for a commit status or a PR comment title.
func (c *Comparison) Verdict() string {
	reg := c.Regressions()
	imp := 0
	for _, m := range c.Metrics {
		if m.Improvement {
			imp++
		}
	}
	th := fmt.Sprintf("%g%%", 100*c.Options.Threshold)
	switch {
	case len(c.Metrics) == 0:
		return "No common metrics to compare."
	case len(reg) > 0:
		worst := reg[0]
		for _, m := range reg {
			if math.Abs(m.Delta) > math.Abs(worst.Delta) {
				worst = m
			}
		}
		return fmt.Sprintf("REGRESSION: %d of %d metrics got significantly worse by more than %s (worst: %s %s %+.1f%%); %d improved.",
			len(reg), len(c.Metrics), th, displayName(worst.Key.Name, packages(c.Metrics)), displayUnit(worst.Key.Unit), 100*worst.Delta, imp)
	case imp > 0:
		return fmt.Sprintf("No regression: %d of %d metrics improved significantly by more than %s, none got worse.", imp, len(c.Metrics), th)
	}
	return fmt.Sprintf("No regression: no significant change beyond %s in %d metrics.", th, len(c.Metrics))
}

// WriteMarkdown writes the comparison as markdown fit for a pull-request comment:
// the verdict, warnings, and one benchstat-like table per unit (old and new
// medians with their confidence intervals, the delta with its corrected p-value
// or "~" when not significant, and a geomean row).
func (c *Comparison) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	mark := "✅"
	if len(c.Regressions()) > 0 {
		mark = "❌"
	}
	fmt.Fprintf(&b, "### %s %s\n\n", mark, c.Verdict())
	for _, warn := range c.Warnings {
		fmt.Fprintf(&b, "> ⚠ %s\n", warn)
	}
	if len(c.Warnings) > 0 {
		b.WriteString("\n")
	}
	pkgs := packages(c.Metrics)
	var units []string
	byUnit := map[string][]MetricComparison{}
	for _, m := range c.Metrics {
		if _, ok := byUnit[m.Key.Unit]; !ok {
			units = append(units, m.Key.Unit)
		}
		byUnit[m.Key.Unit] = append(byUnit[m.Key.Unit], m)
	}
	for _, u := range units {
		dir := map[int]string{+1: " (higher is better)", -1: " (lower is better)"}[byUnit[u][0].Better]
		fmt.Fprintf(&b, "| %s%s | old | new | delta |\n|---|--:|--:|--:|\n", displayUnit(u), dir)
		for _, m := range byUnit[u] {
			delta := "~"
			if m.Significant {
				delta = fmt.Sprintf("%+.2f%%", 100*m.Delta)
				if m.Regression {
					delta = "**" + delta + "** ❌"
				} else if m.Improvement {
					delta += " ✅"
				}
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s (%s n=%d+%d) |\n", mdCell(displayName(m.Key.Name, pkgs)),
				summaryText(u, m.Old), summaryText(u, m.New), delta, formatP(m.PAdj), m.NOld, m.NNew)
		}
		for _, g := range c.Geomeans {
			if g.Unit == u && g.N > 1 {
				fmt.Fprintf(&b, "| **geomean** | %s | %s | %+.2f%% |\n", formatUnitValue(u, g.Old), formatUnitValue(u, g.New), 100*g.Delta)
			}
		}
		b.WriteString("\n")
	}
	pkgNote := ""
	if len(pkgs) == 1 && pkgs[0] != "" {
		pkgNote = "Package " + pkgs[0] + ". "
	}
	fmt.Fprintf(&b, "_%sMedians ± their %.0f%% confidence interval; Mann-Whitney U test, p-values Holm-Bonferroni corrected across %d metrics; alpha %g; practical threshold %g%%. \"~\" means no significant difference._\n",
		pkgNote, 100*c.Options.Confidence, len(c.Metrics), c.Options.Alpha, 100*c.Options.Threshold)
	_, err := io.WriteString(w, b.String())
	return err
}

// summaryText prints a median and its confidence interval as ±%, like benchstat.
func summaryText(unit string, s benchmath.Summary) string {
	v := formatUnitValue(unit, s.Center)
	if math.IsInf(s.Lo, 0) || math.IsInf(s.Hi, 0) || math.IsNaN(s.Lo) {
		return v + " ± ∞"
	}
	return v + " ± " + s.PctRangeString()
}

// formatUnitValue prints v in unit: seconds as ns/µs/ms/s, others with an SI
// prefix.
func formatUnitValue(unit string, v float64) string {
	if strings.Contains(unit, "sec") {
		return formatNs(v * 1e9)
	}
	return formatRate(v)
}

// displayUnit names a tidy unit for a table header ("sec/op" is shown as time/op).
func displayUnit(u string) string {
	return strings.ReplaceAll(u, "sec", "time")
}

func formatP(p float64) string {
	if p < 0.001 {
		return "p<0.001"
	}
	return fmt.Sprintf("p=%.3f", p)
}

// packages returns the distinct packages metric names carry ("<pkg> <name>").
func packages(ms []MetricComparison) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range ms {
		pkg, _, ok := strings.Cut(m.Key.Name, " ")
		if !ok {
			pkg = ""
		}
		if !seen[pkg] {
			seen[pkg] = true
			out = append(out, pkg)
		}
	}
	return out
}

// displayName drops the package from a metric name when every metric shares it
// (the footnote names it), as benchstat does.
func displayName(name string, pkgs []string) string {
	if pkg, rest, ok := strings.Cut(name, " "); ok {
		if len(pkgs) == 1 {
			return rest
		}
		return pkg + "." + rest
	}
	return name
}
