package paired

import (
	"math"
	"slices"
)

// Estimate is a change estimated from paired log ratios, in log units: exp(Center)
// is the estimated ratio head/base, and [exp(Lo), exp(Hi)] its confidence
// interval.
type Estimate struct {
	// Center is the Hodges-Lehmann estimate, the median of the Walsh averages.
	Center float64
	// Lo and Hi bound the distribution-free confidence interval; they are −Inf
	// and +Inf when too few pairs exist to reach the confidence level.
	Lo, Hi float64
	// Confidence is the interval's nominal level, e.g. 0.95; the actual coverage
	// is at least this (the rank statistic is discrete).
	Confidence float64
	// N is the number of log ratios used (NaN dropped).
	N int
}

// Shift estimates the centre of the log ratios d and its confidence interval at
// level confidence in (0, 1), from the Walsh averages (d_i + d_j)/2, i ≤ j: the
// interval runs between the k-th smallest and k-th largest of them, with k from
// the exact signed-rank distribution for n pairs. An empty d gives NaN centre and
// an infinite interval.
func Shift(d []float64, confidence float64) Estimate {
	x := finite(d)
	e := Estimate{Center: math.NaN(), Lo: math.Inf(-1), Hi: math.Inf(1), Confidence: confidence, N: len(x)}
	if len(x) == 0 {
		return e
	}
	w := walsh(x, nil)
	slices.Sort(w)
	e.Center = median(w)
	if c, ok := upperCritical(len(x), (1-confidence)/2); ok {
		// W+ ≥ c rejects a zero shift; the interval is the set of shifts s for
		// which W+(d − s) stays below c, i.e. between the (M−c+1)-th largest and
		// the (M−c+1)-th smallest Walsh average (1-based).
		k := len(w) - c // 0-based index of the (M−c+1)-th smallest
		e.Lo, e.Hi = w[k], w[len(w)-1-k]
	}
	return e
}

// walsh appends the n(n+1)/2 Walsh averages of x to buf and returns it.
func walsh(x, buf []float64) []float64 {
	buf = buf[:0]
	for i := range x {
		for j := i; j < len(x); j++ {
			buf = append(buf, (x[i]+x[j])/2)
		}
	}
	return buf
}

// median of sorted, non-empty s.
func median(s []float64) float64 {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// finite returns the values of d that are not NaN or infinite, in a new slice.
func finite(d []float64) []float64 {
	out := make([]float64, 0, len(d))
	for _, v := range d {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			out = append(out, v)
		}
	}
	return out
}

// LogRatios returns ln(head[i]/base[i]) for each pair. A pair with a value ≤ 0
// has no ratio: it is reported through ok = false (and skipped), except that a
// pair of two zeros is "unchanged" (0), as a metric like B/op often is.
func LogRatios(base, head []float64) (d []float64, ok bool) {
	ok = true
	n := min(len(base), len(head))
	d = make([]float64, 0, n)
	for i := range n {
		b, h := base[i], head[i]
		switch {
		case b > 0 && h > 0:
			d = append(d, math.Log(h/b))
		case b == 0 && h == 0:
			d = append(d, 0)
		default:
			ok = false
		}
	}
	return d, ok
}
