package paired

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestSelectKAgreesWithSorting(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(15, 16))
	for range 500 {
		n := 1 + rng.IntN(60)
		a := make([]float64, n)
		for i := range a {
			a[i] = float64(rng.IntN(10)) // many ties
		}
		sorted := slices.Clone(a)
		slices.Sort(sorted)
		k := rng.IntN(n)
		if got := selectK(slices.Clone(a), k); got != sorted[k] {
			t.Fatalf("selectK(%v, %d) = %v, want %v", a, k, got, sorted[k])
		}
		if got := medianSelect(slices.Clone(a)); got != median(sorted) {
			t.Fatalf("medianSelect(%v) = %v, want %v", a, got, median(sorted))
		}
	}
}
