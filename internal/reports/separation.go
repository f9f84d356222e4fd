package reports

import (
	"fmt"
	"math"

	"golang.org/x/perf/benchmath"

	"github.com/syncbench/syncbench/internal/reports/paired"
	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// When the forks separate two implementations. The cells of one fork ran in
// one process, one after the other, so whatever that process's state did to
// them (the machine's mode, where its threads sat) it did to both: the pair
// of their figures is the unit of evidence. A comparison of cell a against
// cell b on a metric takes, in every process that ran both, the log ratio of
// a's figure over b's (oriented so that positive means a is better) and
// tests it with the two-sided Wilcoxon signed-rank test (package paired):
// a is named ahead of b only when p < significanceAlpha and the
// Hodges-Lehmann estimate of the ratio points a's way. The ratio is printed
// with its 95% distribution-free interval, which excludes 1 exactly when the
// test separates the two at that level.
//
// The signed-rank test's smallest two-sided p-value with n pairs is 2^(1−n):
// 0.0625 with 5, 0.031 with 6. So six paired forks are the fewest that can
// separate two implementations, and with six they must agree in every fork.
// Results that record no process (older files) cannot be paired; with
// minRunsForTest runs a side they are compared unpaired (Mann-Whitney U), and
// said to be.

// significanceAlpha is the p-value below which the forks separate two cells.
const significanceAlpha = 0.05

// minPairedForks is the fewest paired forks that can reach p <
// significanceAlpha with the signed-rank test.
const minPairedForks = 6

// minRunsForTest is the fewest repetitions per side with which a Mann-Whitney
// U test can reach p < 0.05 (with 3 against 3 its smallest p-value is 0.1).
const minRunsForTest = 4

// levelWithin is the relative difference below which two cells that the
// forks do not separate are called level rather than just not separated.
const levelWithin = 0.01

// separation is the outcome of comparing cell a with cell b on one metric.
type separation struct {
	// tested is false when the runs could not be tested at all (one run or
	// one process each); why then says so.
	tested bool
	why    string
	// separated: the forks put a ahead of b.
	separated bool
	// ratio is a's advantage (≥ 1: a better), from the Hodges-Lehmann
	// estimate when paired, else the ratio of the medians; lo and hi bound
	// its 95% interval (0 and +Inf when it has none).
	ratio, lo, hi float64
	p             float64
	// pairs is the number of paired forks the paired test used (0 unpaired).
	pairs int
	// test names the test and its sample: "Wilcoxon signed-rank test on 6
	// paired forks".
	test string
}

// separate compares a with b on f; higherBetter says which way is better.
// diff makes the comparison additive (for figures near zero, such as a
// limiter's rate error in points) instead of a ratio: ratio, lo and hi are
// then a's advantage in f's units.
func separate(a, b *Cell, f func(*result.Result) float64, higherBetter, diff bool) separation {
	ua, ub := a.units(), b.units()
	fa, fb := a.Figure(f), b.Figure(f)
	orient := func(va, vb float64) (float64, bool) {
		if diff {
			if higherBetter {
				return va - vb, true
			}
			return vb - va, true
		}
		if !(va > 0 && vb > 0) {
			return 0, false
		}
		if higherBetter {
			return math.Log(va / vb), true
		}
		return math.Log(vb / va), true
	}
	back := func(d float64) float64 {
		if diff {
			return d
		}
		return math.Exp(d)
	}
	// Paired: the processes that ran both.
	byKey := map[string]unit{}
	for _, u := range ub {
		byKey[u.key] = u
	}
	var d []float64
	known := true
	for _, u := range ua {
		if v, ok := byKey[u.key]; ok {
			if x, ok := orient(u.value(f), v.value(f)); ok {
				d = append(d, x)
			}
		}
		known = known && u.runs[0].Env.PID > 0
	}
	if known && len(d) >= 2 {
		sr := paired.SignedRank(d)
		est := paired.Shift(d, 0.95)
		s := separation{tested: true, p: sr.P, ratio: back(est.Center), lo: back(est.Lo), hi: back(est.Hi), pairs: len(d),
			test: fmt.Sprintf("Wilcoxon signed-rank test on %d paired forks", len(d))}
		s.separated = sr.P < significanceAlpha && est.Center > 0
		if len(d) < minPairedForks {
			s.why = fmt.Sprintf("%d paired forks cannot separate two implementations at p < %s (the fewest is %d)", len(d), units.Trim(units.Number(significanceAlpha)), minPairedForks)
		}
		return s
	}
	switch {
	case fa.Across == WithinProcess || fb.Across == WithinProcess:
		return separation{why: "one process: its repetitions share the process's state, so they cannot separate two implementations (run -forks 6 or more)",
			ratio: back(mustOrient(orient, fa.Median, fb.Median))}
	case fa.N < minRunsForTest || fb.N < minRunsForTest:
		what := "one run each"
		if fa.N > 1 || fb.N > 1 {
			what = fmt.Sprintf("%d and %d runs", fa.N, fb.N)
		}
		return separation{why: what + ": no between-run uncertainty known, not tested (-forks 6 or more allows a verdict)",
			ratio: back(mustOrient(orient, fa.Median, fb.Median))}
	}
	// Unpaired: runs that record no process.
	av, bv := finiteValues(perUnit(a, f)), finiteValues(perUnit(b, f))
	th := benchmath.DefaultThresholds
	p := benchmath.AssumeNothing.Compare(benchmath.NewSample(av, &th), benchmath.NewSample(bv, &th)).P
	r := back(mustOrient(orient, fa.Median, fb.Median))
	return separation{tested: true, p: p, ratio: r, lo: math.NaN(), hi: math.NaN(),
		separated: p < significanceAlpha && ((diff && r > 0) || (!diff && r > 1)),
		test:      fmt.Sprintf("Mann-Whitney U test on %d and %d runs, unpaired: their processes are not recorded", len(av), len(bv))}
}

// mustOrient is orient's value, NaN when it has none.
func mustOrient(orient func(a, b float64) (float64, bool), a, b float64) float64 {
	if d, ok := orient(a, b); ok {
		return d
	}
	return math.NaN()
}

// level reports whether a and b, not separated, are also within levelWithin
// of each other.
func (s separation) level(diff bool) bool {
	if diff {
		return math.Abs(s.ratio) <= levelDiffPoints
	}
	return math.Abs(s.ratio-1) < levelWithin
}

// levelDiffPoints is levelWithin for a difference in percentage points (a
// limiter's rate error): two limiters within 0.05 points admitted the same to
// about one event in 2000.
const levelDiffPoints = 0.05

// evidence prints the test behind a comparison: "95% CI 1.71–2.10×; Wilcoxon
// signed-rank test on 6 paired forks, p=0.031", or why there was none. unit
// prints the ratio or difference.
func (s separation) evidence(unit func(float64) string) string {
	if !s.tested {
		return s.why
	}
	t := ""
	if !math.IsNaN(s.lo) && !math.IsInf(s.lo, 0) && !math.IsInf(s.hi, 0) {
		t = fmt.Sprintf("95%% CI %s–%s; ", unit(s.lo), unit(s.hi))
	}
	t += fmt.Sprintf("%s, p=%s", s.test, units.Trim(units.Number(s.p)))
	if s.why != "" {
		t += "; " + s.why
	}
	return t
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
