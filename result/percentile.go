package result

import (
	"math"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// ValueAtQuantile returns the value of h at percentile q (in percent: 50 is
// the median, 100 the maximum), in h's unit. Every percentile in a result
// file, a .hgrm file, a report and a threshold verdict comes from this
// function, so they agree.
//
// It follows HdrHistogram's reference convention (Java's and JavaScript's
// getValueAtPercentile), rounding the rank up: the value is that of the
// ⌈q/100 × count⌉-th smallest recorded value (at least the first), reported as
// the highest value equivalent to it at the histogram's precision. That is the
// smallest recorded value with at least q% of all values at or below it, the
// textbook definition, and the one HdrHistogram's .hgrm rows use.
// hdrhistogram-go's own ValueAtQuantile rounds the rank to the nearest
// instead, which can name a value below which fewer than q% of values lie: of
// 170 values, 168 fast and 2 slow, it gives p99 = fast (rank 168.3 rounds to
// 168) where 99% of 170 is 168.3 values and so needs the 169th, a slow one.
//
// q ≤ 0 (or NaN) gives the lowest value equivalent to the minimum, q ≥ 100 the
// maximum's highest equivalent (h.Max()); an empty or nil histogram gives 0.
// It reads h without changing it; like every hdr.Histogram read it is not
// safe against a concurrent write.
func ValueAtQuantile(h *hdr.Histogram, q float64) int64 {
	if h == nil || h.TotalCount() == 0 {
		return 0
	}
	n := h.TotalCount()
	switch {
	case !(q > 0):
		return h.ValueAtQuantile(0)
	case q >= 100:
		return h.ValueAtQuantile(100)
	}
	return h.ValueAtQuantile(rankPercentile(quantileRank(q, n), n))
}

// quantileRank is the 1-based rank of percentile q (0 < q < 100) among n
// values by the reference convention: q/100 × n rounded up, in [1, n]. Like
// Java's, it first steps q down by one ulp, so a product that is an integer
// in exact arithmetic but lands a hair above it in floating point (0.29 × 100
// = 29.000000000000004) does not round up to the next rank.
func quantileRank(q float64, n int64) int64 {
	rank := int64(math.Ceil(math.Nextafter(q, math.Inf(-1)) / 100 * float64(n)))
	return min(max(rank, 1), n)
}

// rankPercentile is the percentile that hdrhistogram-go's ValueAtQuantile,
// which rounds q/100 × n to the nearest rank, maps back to rank exactly: the
// rank's own percentile, 100 × rank / n, off from it by far less than the half
// rank its rounding forgives. It lets ValueAtQuantile reuse the library's fast
// scan of the counts with the reference rank; TestValueAtQuantileMatchesSortedValues
// holds the two conventions to that.
func rankPercentile(rank, n int64) float64 {
	return 100 * float64(rank) / float64(n)
}

// ValuesAtQuantiles returns ValueAtQuantile(h, q) for each of qs, in qs's order.
func ValuesAtQuantiles(h *hdr.Histogram, qs []float64) []int64 {
	out := make([]int64, len(qs))
	for i, q := range qs {
		out[i] = ValueAtQuantile(h, q)
	}
	return out
}
