package paired

import (
	"math"
	"sort"
)

// Holm returns the Holm-Bonferroni adjusted p-values of p, in p's order: the
// i-th smallest of m values is multiplied by m − i (0-based) and the results
// are made non-decreasing. Rejecting where the adjusted value is below alpha
// keeps the family-wise error rate — the chance of flagging any metric that did
// not change — at alpha under any dependence between the tests. NaN counts as 1.
func Holm(p []float64) []float64 {
	m := len(p)
	idx := order(p)
	adj := make([]float64, m)
	running := 0.0
	for rank, i := range idx {
		running = math.Max(running, math.Min(1, float64(m-rank)*clean(p[i])))
		adj[i] = running
	}
	return adj
}

// BenjaminiHochberg returns the Benjamini-Hochberg adjusted p-values (q-values)
// of p, in p's order: the i-th smallest of m values (1-based) is multiplied by
// m / i and the results are made non-decreasing from the largest down.
// Rejecting where q is below alpha keeps the expected share of false discoveries
// among the flagged metrics at alpha (for independent or positively dependent
// tests). NaN counts as 1.
func BenjaminiHochberg(p []float64) []float64 {
	m := len(p)
	idx := order(p)
	adj := make([]float64, m)
	running := 1.0
	for rank := m - 1; rank >= 0; rank-- {
		i := idx[rank]
		running = math.Min(running, math.Min(1, clean(p[i])*float64(m)/float64(rank+1)))
		adj[i] = running
	}
	return adj
}

// order returns the indices of p sorted by value, NaN last, stable.
func order(p []float64) []int {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return clean(p[idx[a]]) < clean(p[idx[b]]) })
	return idx
}

func clean(p float64) float64 {
	if math.IsNaN(p) {
		return 1
	}
	return p
}
