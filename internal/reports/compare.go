package reports

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/syncbench/syncbench/internal/reports/paired"
	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
)

// MinSamples is the sample size per side below which Compare warns: with fewer
// than 6 values per side the Mann-Whitney U test cannot reach p < 0.05 after even
// a modest multiple-comparison correction, however large the change.
const MinSamples = 6

// ResolutionPower is the share of runs in which a change the size of a metric's
// stated resolution would be flagged: "no change ≥ 6%" means a 6% slowdown
// would have been caught in 80% of runs like this one.
const ResolutionPower = 0.8

// PrimaryUnits are the candidates for the primary family's unit, in order: the
// first both sides have is primary. Time per op comes in two kinds: the
// process's CPU time per op ("cpu-ns/op", which the repository's benchmarks
// report) first, because on a shared machine the wall clock also counts the
// time other processes held the cores (measured: 35-65% spread between the two
// runs of a pair, against 5-8% for CPU time at GOMAXPROCS 1); then wall time per
// op (ns/op). Only the primary family gates the verdict; every other unit is a
// secondary family, corrected on its own and reported without failing the
// check.
var PrimaryUnits = []string{"cpu-sec/op", "sec/op"}

// CompareOptions tune Compare. Zero fields take the defaults noted.
type CompareOptions struct {
	// Threshold is the smallest relative change that matters in practice, as a
	// fraction (0.05 = 5%, the default). A significant change smaller than this
	// is reported but is not a regression.
	Threshold float64
	// Alpha is the significance level applied to corrected p-values (default
	// 0.05): Holm within the primary family (so at most Alpha of runs without a
	// change fail the check), Benjamini-Hochberg within each secondary one.
	Alpha float64
	// Confidence is the confidence level of the reported intervals (default 0.95).
	Confidence float64
	// Target is the resolution the check must reach for each primary metric:
	// the slowdown it must be able to detect (in ResolutionPower of runs), as a
	// fraction. Default twice the threshold (10% at the default 5%). A primary
	// metric whose resolution is coarser is "unresolved", and the verdict says
	// so instead of passing silently.
	Target float64
	// PrimaryOnly compares the primary family alone, skipping the others: all a
	// caller needs to decide the verdict or the unresolved benchmarks, at a
	// fraction of the cost.
	PrimaryOnly bool
	// FamilySize, when larger than the number of primary metrics compared,
	// corrects the primary family as if it had that many members (the missing
	// ones with p = 1): a caller comparing a subset of a suite keeps the whole
	// suite's correction and resolution.
	FamilySize int
	// Primary names the unit of the primary family, in benchfmt's tidy form
	// ("sec/op" for ns/op). Default: the first of PrimaryUnits both sides have,
	// else the first unit base has.
	Primary string
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
	if o.Target == 0 {
		o.Target = 2 * o.Threshold
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
	// Pairs is the number of rounds compared as pairs; 0 when the inputs carry
	// no round labels and the samples were compared as independent.
	Pairs int
	// P is the test's p-value: the Wilcoxon signed-rank test on the per-round
	// log ratios when paired, Mann-Whitney U otherwise. PAdj is P corrected
	// within the metric's family (Holm for the primary, Benjamini-Hochberg for a
	// secondary one).
	P, PAdj float64
	// Delta is the relative change, head/base − 1: the Hodges-Lehmann estimate
	// of the per-round ratio when paired, the change of the medians otherwise;
	// NaN when undefined (a zero base median). DeltaLo and DeltaHi bound its
	// confidence interval (paired only; NaN otherwise, ±Inf with too few pairs).
	Delta, DeltaLo, DeltaHi float64
	// Resolution is the smallest change in the worse direction this run could
	// have detected, as a fraction (0.06 = 6%; a drop for higher-is-better
	// units): flagged in ResolutionPower of runs with this run's paired noise,
	// this family's correction and the threshold. +Inf when the rounds are too
	// few to reach the corrected level at all; NaN when unknown (unpaired input,
	// or no better direction).
	Resolution float64
	// Better is +1 when higher is better, −1 when lower is better, 0 if unknown.
	Better int
	// Primary reports whether the metric is in the primary family, the one that
	// decides the verdict.
	Primary bool
	// Significant is PAdj < Alpha.
	Significant bool
	// Regression and Improvement are set when the change is significant, beyond
	// the threshold, and in the worse or better direction.
	Regression, Improvement bool
}

// Resolved reports whether the metric's resolution reaches target.
func (m MetricComparison) Resolved(target float64) bool {
	return m.Resolution <= target // false for NaN and +Inf
}

// GeomeanRow is the geometric mean of one unit's medians over the metrics both
// sides have (positive values only), benchstat's summary of a whole suite.
type GeomeanRow struct {
	Unit     string
	Old, New float64
	Delta    float64
	N        int // metrics included
}

// Family is one unit's set of metrics, corrected for multiple comparisons on
// its own.
type Family struct {
	Unit string
	// Primary is set for the family that decides the verdict.
	Primary bool
	// Correction names the method: "Holm" or "Benjamini-Hochberg".
	Correction string
	// Size is the number of metrics in the family.
	Size int
	// Split is the number of families that share Alpha (Bonferroni): 1, or, when
	// no unit is primary and every family decides, the number of families.
	Split int
}

// Comparison is the outcome of Compare.
type Comparison struct {
	Options CompareOptions
	// Metrics are in base's order; Families in order of first appearance, the
	// primary first.
	Metrics  []MetricComparison
	Families []Family
	Geomeans []GeomeanRow
	// OnlyBase and OnlyHead are metrics one side lacks; they are not compared.
	OnlyBase, OnlyHead []MetricKey
	// Warnings are things a reader must know to trust the verdict (small samples,
	// a correction too strict for the sample size, unpaired input).
	Warnings []string
}

// Compare compares every metric base and head share, in base's order.
//
// When both sides carry round labels (see RoundKey), the measurements of one
// round are compared as a pair: per round the log ratio ln(head/base), the
// Wilcoxon signed-rank test on those ratios, and the Hodges-Lehmann estimate of
// the change with its confidence interval (package paired). Pairing removes the
// drift between rounds, which an unpaired test counts as noise. Without labels
// the samples are independent and are tested with benchmath's Mann-Whitney U.
// Either way benchmath summarises each side (median and interval).
//
// Metrics are grouped into families by unit. The primary family (time/op) is
// corrected with Holm's method, which bounds the chance that an unchanged suite
// fails the check at Alpha whatever the dependence between benchmarks; only it
// decides the verdict. Each other unit (p50, p99, throughput, …) is a secondary
// family corrected on its own with Benjamini-Hochberg, which bounds the share of
// false alarms among what it flags: they are reported, as leads, without
// failing the check, so noisy tail metrics neither dilute time/op's correction
// nor turn into false failures.
//
// For every paired metric, Compare states its resolution (see
// MetricComparison.Resolution), computed from the run's own paired spread
// with a resampling seeded from the metric's name, so the same input gives the
// same report. The better direction comes from the "better" unit metadata of
// either side, else from the unit (throughput /s higher, time and per-op costs
// lower).
func Compare(base, head *Samples, opts CompareOptions) *Comparison {
	opts = opts.withDefaults()
	c := &Comparison{Options: opts}
	th := benchmath.DefaultThresholds
	th.CompareAlpha = opts.Alpha
	primary := opts.Primary
	if primary == "" {
		primary = choosePrimary(base, head)
	}
	var logRatios [][]float64 // per metric, nil when unpaired
	small, unpaired, dropped := 0, 0, 0
	for _, k := range base.Order {
		newVals, ok := head.Values[k]
		if !ok {
			c.OnlyBase = append(c.OnlyBase, k)
			continue
		}
		if opts.PrimaryOnly && primary != "" && k.Unit != primary {
			continue
		}
		oldS := benchmath.NewSample(append([]float64(nil), base.Values[k]...), &th)
		newS := benchmath.NewSample(append([]float64(nil), newVals...), &th)
		m := MetricComparison{Key: k, NOld: len(oldS.Values), NNew: len(newS.Values), Primary: primary == "" || k.Unit == primary,
			DeltaLo: math.NaN(), DeltaHi: math.NaN(), Resolution: math.NaN()}
		m.Old = benchmath.AssumeNothing.Summary(oldS, opts.Confidence)
		m.New = benchmath.AssumeNothing.Summary(newS, opts.Confidence)
		m.Better = betterDirection(k.Unit, base.Units, head.Units)
		var d []float64
		if b, h, drop, ok := pairByRound(base, head, k); ok && len(b) >= 2 {
			if r, ok := paired.LogRatios(b, h); ok {
				d = r
				dropped += drop
			}
		}
		if d != nil {
			m.Pairs = len(d)
			m.P = paired.SignedRank(d).P
			e := paired.Shift(d, opts.Confidence)
			m.Delta, m.DeltaLo, m.DeltaHi = math.Expm1(e.Center), math.Expm1(e.Lo), math.Expm1(e.Hi)
			if m.Pairs < MinSamples {
				small++
			}
		} else {
			unpaired++
			m.P = benchmath.AssumeNothing.Compare(oldS, newS).P
			if math.IsNaN(m.P) {
				m.P = 1
			}
			m.Delta = math.NaN()
			if m.Old.Center != 0 {
				m.Delta = (m.New.Center - m.Old.Center) / math.Abs(m.Old.Center)
			}
			if m.NOld < MinSamples || m.NNew < MinSamples {
				small++
			}
		}
		logRatios = append(logRatios, d)
		c.Metrics = append(c.Metrics, m)
	}
	for _, k := range head.Order {
		if _, ok := base.Values[k]; !ok {
			c.OnlyHead = append(c.OnlyHead, k)
		}
	}
	c.correct(primary)
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
		if logRatios[i] != nil && m.Better != 0 {
			m.Resolution = resolution(logRatios[i], m.Better, c.familySize(m.Key.Unit), opts, m.Key)
		}
	}
	c.Geomeans = geomeans(c.Metrics)
	c.warn(small, unpaired, dropped)
	return c
}

// choosePrimary picks the primary family's unit: the first of PrimaryUnits
// both sides have, else "" (no time per op: every family decides).
func choosePrimary(base, head *Samples) string {
	common := map[string]bool{}
	for _, k := range base.Order {
		if _, ok := head.Values[k]; ok {
			common[k.Unit] = true
		}
	}
	for _, u := range PrimaryUnits {
		if common[u] {
			return u
		}
	}
	return ""
}

// correct groups the metrics into families by unit and sets PAdj: Holm for the
// primary family, Benjamini-Hochberg for each secondary one. With no primary
// unit (result files: throughput and latency percentiles, no time per op) every
// family decides the verdict, each Holm-corrected at Alpha divided by the number
// of families (folded into PAdj), so the chance of any false failure stays at
// Alpha.
func (c *Comparison) correct(primary string) {
	byUnit := map[string][]int{}
	var units []string
	for i, m := range c.Metrics {
		if _, ok := byUnit[m.Key.Unit]; !ok {
			units = append(units, m.Key.Unit)
		}
		byUnit[m.Key.Unit] = append(byUnit[m.Key.Unit], i)
	}
	if _, ok := byUnit[primary]; ok {
		// The primary family first, the others in order of appearance.
		rest := []string{primary}
		for _, u := range units {
			if u != primary {
				rest = append(rest, u)
			}
		}
		units = rest
	}
	split := 1.0 // Bonferroni factor across gating families
	if primary == "" {
		split = float64(len(units))
	}
	for _, u := range units {
		idx := byUnit[u]
		p := make([]float64, len(idx))
		for j, i := range idx {
			p[j] = c.Metrics[i].P
		}
		f := Family{Unit: u, Primary: primary == "" || u == primary, Size: len(idx), Split: int(split)}
		var adj []float64
		if f.Primary {
			for f.Size < c.Options.FamilySize {
				p = append(p, 1) // the members not compared here
				f.Size++
			}
			f.Correction, adj = "Holm", paired.Holm(p)
		} else {
			f.Correction, adj = "Benjamini-Hochberg", paired.BenjaminiHochberg(p)
			f.Split = 1
		}
		for j, i := range idx {
			c.Metrics[i].PAdj = math.Min(1, adj[j]*float64(f.Split))
		}
		c.Families = append(c.Families, f)
	}
}

// familySize returns the number of comparisons unit's metrics are corrected
// for: its family's size times the families sharing Alpha.
func (c *Comparison) familySize(unit string) int {
	for _, f := range c.Families {
		if f.Unit == unit {
			return f.Size * max(f.Split, 1)
		}
	}
	return 1
}

// resolution states a paired metric's resolution as a relative change in its
// worse direction. A single changed metric among m is flagged when its p-value
// is below alpha/m (the first step of Holm, and of Benjamini-Hochberg alike),
// and when its estimate is beyond the threshold.
func resolution(d []float64, better, familySize int, opts CompareOptions, k MetricKey) float64 {
	worse := d
	minShift := math.Log1p(opts.Threshold)
	if better > 0 { // a drop is worse: measure the shift of −d
		worse = make([]float64, len(d))
		for i, v := range d {
			worse[i] = -v
		}
		minShift = -math.Log1p(-opts.Threshold)
	}
	h := fnv.New64a()
	h.Write([]byte(k.Name + "\x00" + k.Unit))
	rng := rand.New(rand.NewPCG(h.Sum64(), 0x5eed))
	r := paired.Resolution(worse, paired.ResolutionRule{Alpha: opts.Alpha / float64(familySize), MinShift: minShift, Power: ResolutionPower}, rng)
	if better > 0 {
		return -math.Expm1(-r) // a drop of 1 − e^−r
	}
	return math.Expm1(r)
}

// warn adds the warnings a reader needs to trust the verdict.
func (c *Comparison) warn(small, unpaired, dropped int) {
	opts := c.Options
	if small > 0 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("%d of %d metrics have fewer than %d samples on a side: the test cannot show a change with so few; run more rounds (e.g. COUNT=10)", small, len(c.Metrics), MinSamples))
	}
	if unpaired > 0 && unpaired < len(c.Metrics) {
		c.Warnings = append(c.Warnings, fmt.Sprintf("%d of %d metrics carry no round labels on both sides and were compared as independent samples (Mann-Whitney U), without a resolution", unpaired, len(c.Metrics)))
	} else if unpaired > 0 {
		c.Warnings = append(c.Warnings, "the inputs carry no round labels, so base and head were compared as independent samples (Mann-Whitney U) and no resolution can be stated; scripts/regress.sh records paired rounds")
	}
	if dropped > 0 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("%d measurements had no partner from the same round on the other side (a benchmark that failed or was skipped there) and were left out of the pairs", dropped))
	}
	for _, f := range c.Families {
		if !f.Primary || f.Size == 0 {
			continue
		}
		level := opts.Alpha / float64(f.Size*max(f.Split, 1))
		minPairs, minP := 0, 1.0
		for _, m := range c.Metrics {
			if m.Primary && m.Pairs > 0 && (minPairs == 0 || m.Pairs < minPairs) {
				minPairs = m.Pairs
			}
		}
		if minPairs > 0 {
			minP = paired.MinP(minPairs)
		} else if n := len(c.Metrics); n > 0 {
			minP = minAttainableP(c.Metrics)
		}
		if minP >= level {
			need := 1 + int(math.Ceil(math.Log2(1/level)))
			c.Warnings = append(c.Warnings, fmt.Sprintf("with these sample sizes the smallest possible p-value is %.2g, which cannot pass the correction for %d %s metrics at alpha %g: no benchmark can be flagged; take at least %d rounds", minP, f.Size, displayUnit(f.Unit), opts.Alpha, need))
		}
	}
	if len(c.OnlyBase)+len(c.OnlyHead) > 0 {
		c.Warnings = append(c.Warnings, fmt.Sprintf("%d metrics only in base and %d only in head were not compared", len(c.OnlyBase), len(c.OnlyHead)))
	}
}

// minAttainableP is the smallest two-sided Mann-Whitney p-value the smallest
// compared pair of unpaired samples could produce: 2 / C(n1+n2, n1).
func minAttainableP(ms []MetricComparison) float64 {
	best := 1.0
	for _, m := range ms {
		if m.NOld == 0 || m.NNew == 0 || m.Pairs > 0 {
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

// Regressions returns the primary metrics that regressed: the ones that fail
// the check.
func (c *Comparison) Regressions() []MetricComparison {
	return c.filter(func(m MetricComparison) bool { return m.Primary && m.Regression })
}

// SecondaryRegressions returns the secondary metrics that got significantly
// worse beyond the threshold; they are reported but do not fail the check.
func (c *Comparison) SecondaryRegressions() []MetricComparison {
	return c.filter(func(m MetricComparison) bool { return !m.Primary && m.Regression })
}

// Unresolved returns the primary metrics with a better direction whose
// resolution is coarser than the target (or unknown): the ones a run needs more
// rounds of before "no regression" means "no change ≥ target".
func (c *Comparison) Unresolved() []MetricComparison {
	return c.filter(func(m MetricComparison) bool {
		return m.Primary && m.Better != 0 && !m.Resolved(c.Options.Target)
	})
}

// UnresolvedBenchmarks returns the Go benchmark names ("BenchmarkX/a=1") of
// the Unresolved metrics, without package and GOMAXPROCS suffix and without
// repeats, in order: what scripts/regress.sh runs more rounds of.
func (c *Comparison) UnresolvedBenchmarks() []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range c.Unresolved() {
		name := m.Key.Name
		if _, rest, ok := strings.Cut(name, " "); ok {
			name = rest // drop the package
		}
		base, parts := benchfmt.Name(name).Parts()
		var b strings.Builder
		b.WriteString("Benchmark")
		b.Write(base)
		for _, p := range parts {
			if len(p) > 0 && p[0] == '-' {
				continue // the GOMAXPROCS suffix
			}
			b.Write(p)
		}
		if n := b.String(); !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

func (c *Comparison) filter(keep func(MetricComparison) bool) []MetricComparison {
	var out []MetricComparison
	for _, m := range c.Metrics {
		if keep(m) {
			out = append(out, m)
		}
	}
	return out
}
