package paired

import (
	"math"
	"sort"
)

// ExactLimit is the largest number of non-zero pairs for which [SignedRank]
// computes the exact p-value; above it the normal approximation (with tie and
// continuity corrections) is within 1e-3 of the exact value and far cheaper.
const ExactLimit = 60

// SignedRankResult is the outcome of a Wilcoxon signed-rank test.
type SignedRankResult struct {
	// N is the number of non-zero differences the test used; zeros carry no sign
	// and are dropped (Wilcoxon's convention).
	N int
	// WPlus is the sum of the (mid-)ranks of |d| over the positive differences.
	WPlus float64
	// P is the two-sided p-value of "the differences are symmetric about 0"; 1
	// when N is 0.
	P float64
	// Exact reports whether P is exact (N ≤ ExactLimit) or approximate.
	Exact bool
}

// SignedRank runs the two-sided Wilcoxon signed-rank test on the differences d
// (here: per-round log ratios), which it does not modify. NaN values are
// ignored. Ties in |d| get mid-ranks, and the exact p-value is then computed for
// those mid-ranks (conditional on the observed |d|), not from the untied table.
func SignedRank(d []float64) SignedRankResult {
	abs := make([]float64, 0, len(d))
	neg := make([]bool, 0, len(d))
	for _, x := range d {
		if x == 0 || math.IsNaN(x) {
			continue
		}
		abs = append(abs, math.Abs(x))
		neg = append(neg, x < 0)
	}
	n := len(abs)
	res := SignedRankResult{N: n, P: 1}
	if n == 0 {
		return res
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return abs[idx[a]] < abs[idx[b]] })
	// Doubled mid-ranks are integers: a tie group at sorted positions i..j−1
	// (0-based) gets rank (i+1+j)/2, doubled i+1+j.
	rank2 := make([]int, n)
	tieCorr := 0.0 // Σ (t³ − t) over tie groups, for the normal approximation
	ties := false
	for i := 0; i < n; {
		j := i + 1
		for j < n && abs[idx[j]] == abs[idx[i]] {
			j++
		}
		for k := i; k < j; k++ {
			rank2[idx[k]] = i + 1 + j
		}
		if t := float64(j - i); t > 1 {
			ties = true
			tieCorr += t*t*t - t
		}
		i = j
	}
	w2 := 0 // doubled W+
	for i := range rank2 {
		if !neg[i] {
			w2 += rank2[i]
		}
	}
	res.WPlus = float64(w2) / 2
	if n <= ExactLimit {
		var p []float64
		if ties {
			p = rankSumNull(rank2)
		} else {
			// Without ties the doubled ranks are 2, 4, …: use the untied
			// distribution of W+ directly.
			p = untiedNull(n)
			w2 /= 2
		}
		lower, upper := 0.0, 0.0
		for s, ps := range p {
			if s <= w2 {
				lower += ps
			}
			if s >= w2 {
				upper += ps
			}
		}
		res.P = math.Min(1, 2*math.Min(lower, upper))
		res.Exact = true
		return res
	}
	fn := float64(n)
	mean := fn * (fn + 1) / 4
	variance := fn*(fn+1)*(2*fn+1)/24 - tieCorr/48
	if variance <= 0 {
		return res
	}
	z := math.Abs(res.WPlus-mean) - 0.5 // continuity correction
	if z < 0 {
		z = 0
	}
	res.P = math.Min(1, math.Erfc(z/math.Sqrt(variance)/math.Sqrt2))
	return res
}
