package paired

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Replays is the number of resampled runs [Resolution] replays. 500 puts the
// 80th percentile it reads within about ±2 percentage points of power.
const Replays = 500

// ResolutionRule is the decision rule whose sensitivity [Resolution] measures:
// a change is flagged when the two-sided signed-rank p-value is below Alpha and
// the Hodges-Lehmann estimate exceeds MinShift (both in log units, in the
// direction being tested).
type ResolutionRule struct {
	// Alpha is the significance level the metric must reach on its own, i.e.
	// after the family's correction: alpha/m for the first step of Holm over m
	// metrics (a single changed metric among m).
	Alpha float64
	// MinShift is the practical threshold in log units, ln(1.05) for "more than
	// 5% slower"; 0 for none.
	MinShift float64
	// Power is the fraction of replays that must flag the change, e.g. 0.8.
	Power float64
}

// Resolution returns the smallest positive shift s (in log units) such that, if
// every log ratio of d were s larger, rule would flag the metric in at least
// rule.Power of the runs that look like this one. It is the "smallest change
// this run could have detected", measured rather than modelled:
//
//  1. the residuals d − Shift(d).Center, scaled by √(n/(n−1)) to undo the
//     resample's shrinkage, stand for the run's paired noise;
//  2. each of [Replays] replays draws n residuals with replacement; the smallest
//     shift it flags is the larger of the shift that makes its signed-rank
//     statistic reach the critical value (read off its Walsh averages, for which
//     W+ counts the positive ones) and the shift that lifts its estimate above
//     MinShift;
//  3. the result is the Power-quantile of those per-replay shifts.
//
// The answer is +Inf when n pairs cannot reach Alpha at all (MinP(n) > Alpha)
// and NaN for fewer than 2 log ratios. rng supplies the resampling, so a fixed
// seed gives a fixed answer; it is used only by this call.
func Resolution(d []float64, rule ResolutionRule, rng *rand.Rand) float64 {
	x := finite(d)
	n := len(x)
	if n < 2 {
		return math.NaN()
	}
	c, ok := upperCritical(n, rule.Alpha/2)
	if !ok {
		return math.Inf(1)
	}
	w := walsh(x, nil)
	slices.Sort(w)
	center := median(w)
	scale := math.Sqrt(float64(n) / float64(n-1))
	resid := make([]float64, n)
	for i, v := range x {
		resid[i] = (v - center) * scale
	}
	m := n * (n + 1) / 2
	k := m - c // 0-based index of the (M−c+1)-th smallest Walsh average
	star := make([]float64, n)
	shifts := make([]float64, Replays)
	for b := range shifts {
		for i := range star {
			star[i] = resid[rng.IntN(n)]
		}
		w = walsh(star, w)
		// W+(star + s) = #{Walsh averages > −s} ≥ c  ⇔  s > −w[k] (w sorted).
		sig := -selectK(w, k)
		est := rule.MinShift - medianSelect(w)
		shifts[b] = math.Max(0, math.Max(sig, est))
	}
	slices.Sort(shifts)
	q := int(math.Ceil(rule.Power*float64(Replays))) - 1
	q = min(max(q, 0), Replays-1)
	return shifts[q]
}
