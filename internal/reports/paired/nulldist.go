package paired

import (
	"math"
	"sync"
)

// nullCache holds the exact null distribution of the signed-rank statistic W+
// without ties, per number of pairs: computing it costs O(n³) and every metric of
// a comparison with the same number of rounds needs the same one.
var nullCache sync.Map // int → []float64

// untiedNull returns P(W+ = w) for w = 0 … n(n+1)/2 when the n absolute ranks
// are 1 … n and each sign is + or − with probability ½ independently (the null
// hypothesis). The slice is shared: callers must not modify it.
func untiedNull(n int) []float64 {
	if v, ok := nullCache.Load(n); ok {
		return v.([]float64)
	}
	ranks := make([]int, n)
	for i := range ranks {
		ranks[i] = i + 1
	}
	p := rankSumNull(ranks)
	nullCache.Store(n, p)
	return p
}

// rankSumNull returns P(S = s) for s = 0 … Σranks, where S is the sum of a
// random subset of ranks, each rank included with probability ½. Ranks are
// integers (mid-ranks are passed doubled). It runs in O(n · Σranks).
func rankSumNull(ranks []int) []float64 {
	total := 0
	for _, r := range ranks {
		total += r
	}
	p := make([]float64, total+1)
	p[0] = 1
	reach := 0
	for _, r := range ranks {
		reach += r
		// In place, from the top down, so each rank is counted once.
		for s := reach; s >= 0; s-- {
			v := p[s] / 2
			if s >= r {
				v += p[s-r] / 2
			}
			p[s] = v
		}
	}
	return p
}

// upperCritical returns the smallest c such that P(W+ ≥ c) ≤ tail under the
// untied null for n pairs, and false when even W+ = n(n+1)/2 (every pair the
// same sign) is more likely than tail: then n pairs cannot reach that level.
func upperCritical(n int, tail float64) (int, bool) {
	if n == 0 {
		return 0, false
	}
	p := untiedNull(n)
	m := len(p) - 1
	acc := 0.0
	c := m + 1
	for w := m; w >= 0; w-- {
		acc += p[w]
		// A relative slack absorbs rounding in the sums, so that a tail equal to
		// α/2 exactly (2^-n for n pairs) counts as reached.
		if acc > tail*(1+1e-9) {
			break
		}
		c = w
	}
	if c > m {
		return 0, false
	}
	return c, true
}

// MinP returns the smallest two-sided p-value the signed-rank test can produce
// with n non-zero pairs, 2^(1−n) (all pairs the same sign); 1 for n = 0. A
// family of m comparisons corrected by Holm needs MinP(n) < alpha/m for any
// metric to be flagged.
func MinP(n int) float64 {
	if n <= 0 {
		return 1
	}
	return math.Min(1, math.Pow(2, float64(1-n)))
}
