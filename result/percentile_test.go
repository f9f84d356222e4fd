package result

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// highestEquivalent is the highest value h's geometry treats as equal to v:
// what a percentile reports for a rank held by v (the max of a histogram
// holding v alone).
func highestEquivalent(v int64) int64 {
	h := NewHistogram()
	_ = h.RecordValue(v)
	return h.Max()
}

func TestValueAtQuantileMatchesSortedValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	qs := []float64{0.1, 1, 25, 29, 50, 75, 90, 95, 99, 99.5, 99.9, 99.99, 99.999}
	for _, n := range []int{1, 2, 3, 7, 10, 99, 100, 101, 170, 999, 1000, 1001, 12345, 100_003} {
		h := NewHistogram()
		values := make([]int64, n)
		for i := range values {
			// A heavy tail over six decades, as latencies have.
			values[i] = int64(math.Exp(rng.Float64()*14)) + 1
			_ = h.RecordValue(values[i])
		}
		slices.Sort(values)
		for _, q := range qs {
			// The reference rank, in exact arithmetic on q's decimal
			// spelling: ⌈q × n / 100⌉, computed on integers scaled by 1000.
			milli := int64(math.Round(q * 1000))
			rank := (milli*int64(n) + 100_000 - 1) / 100_000
			rank = max(rank, 1)
			want := highestEquivalent(values[rank-1])
			if got := ValueAtQuantile(h, q); got != want {
				t.Errorf("n=%d p%v: got %d, want %d (the %d-th smallest, %d)", n, q, got, want, rank, values[rank-1])
			}
		}
		if got, want := ValueAtQuantile(h, 100), h.Max(); got != want {
			t.Errorf("n=%d p100 = %d, want the max %d", n, got, want)
		}
	}
}

func TestValueAtQuantileRoundsTheRankUpWhereTheLibraryRoundsToNearest(t *testing.T) {
	// 170 values: 168 of 100 ns and 2 of 20 µs. 99% of 170 is 168.3 values, so
	// p99 needs the 169th: a slow one. Rounding to the nearest rank (168)
	// would say p99 is 100 ns, with only 98.8% of values at or below it.
	h := NewHistogram()
	_ = h.RecordValues(100, 168)
	_ = h.RecordValues(20_000, 2)
	if got := ValueAtQuantile(h, 99); !h.ValuesAreEquivalent(got, 20_000) {
		t.Errorf("p99 = %d, want 20000 (the 169th of 170)", got)
	}
	if lib := h.ValueAtQuantile(99); !h.ValuesAreEquivalent(lib, 100) {
		t.Fatalf("hdrhistogram-go's ValueAtQuantile(99) = %d; this test documents that it rounds to 100", lib)
	}
	if got := ValueAtQuantile(h, 98.8); !h.ValuesAreEquivalent(got, 100) {
		t.Errorf("p98.8 = %d, want 100 (167.96 rounds up to the 168th)", got)
	}
}

func TestValueAtQuantileEdges(t *testing.T) {
	if got := ValueAtQuantile(nil, 50); got != 0 {
		t.Errorf("nil histogram: %d, want 0", got)
	}
	h := NewHistogram()
	if got := ValueAtQuantile(h, 50); got != 0 {
		t.Errorf("empty histogram: %d, want 0", got)
	}
	_ = h.RecordValues(5000, 3)
	_ = h.RecordValue(7)
	for _, q := range []float64{0, -1, math.NaN()} {
		if got := ValueAtQuantile(h, q); got != 7 {
			t.Errorf("p%v = %d, want the minimum 7", q, got)
		}
	}
	for _, q := range []float64{100, 150, math.Inf(1)} {
		if got := ValueAtQuantile(h, q); got != h.Max() {
			t.Errorf("p%v = %d, want the max %d", q, got, h.Max())
		}
	}
	if got := ValuesAtQuantiles(h, []float64{100, 0, 25}); !slices.Equal(got, []int64{h.Max(), 7, 7}) {
		t.Errorf("ValuesAtQuantiles = %v, want [max 7 7] in the order asked", got)
	}
}

func TestTheHgrmRowsUseTheSameConvention(t *testing.T) {
	// HdrHistogram's percentile iterator, which writes .hgrm rows in every
	// implementation, stops at the first bucket whose cumulative count reaches
	// q% of the total: the rounded-up rank. Every row above 0% must say what
	// ValueAtQuantile says.
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{5, 170, 1003, 50_000} {
		h := NewHistogram()
		for range n {
			_ = h.RecordValue(int64(math.Exp(rng.Float64()*12)) + 1)
		}
		for _, b := range h.CumulativeDistributionWithTicks(5) {
			if b.Quantile == 0 {
				continue
			}
			if got := ValueAtQuantile(h, b.Quantile); got != b.ValueAt {
				t.Errorf("n=%d: .hgrm row p%v says %d, ValueAtQuantile %d", n, b.Quantile, b.ValueAt, got)
			}
		}
	}
}
