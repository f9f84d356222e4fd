package trend

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Change is the size of a change point: how far the segment after it moved
// from the segment before it.
type Change struct {
	// Before and After are the medians of the two segments, in the series'
	// unit.
	Before, After float64
	// Ratio is After/Before − 1 (0.10 is +10%); Lo and Hi bound it: the 2.5th
	// and 97.5th percentiles of the ratio over bootstrap resamples of both
	// segments (a 95% percentile interval). NaN when Before is 0.
	Ratio, Lo, Hi float64
}

// bootstrapResamples is how many resamples an interval is built from: enough
// for the 2.5% tails to rest on 25 values each.
const bootstrapResamples = 1000

// measure returns the change between before and after, both non-empty.
func measure(before, after []float64, rng *rand.Rand) Change {
	c := Change{Before: median(before), After: median(after)}
	c.Ratio = c.After/c.Before - 1
	ratios := make([]float64, bootstrapResamples)
	bs, as := make([]float64, len(before)), make([]float64, len(after))
	for i := range ratios {
		for j := range bs {
			bs[j] = before[rng.IntN(len(before))]
		}
		for j := range as {
			as[j] = after[rng.IntN(len(after))]
		}
		ratios[i] = median(as)/median(bs) - 1
	}
	slices.Sort(ratios)
	c.Lo, c.Hi = quantile(ratios, 0.025), quantile(ratios, 0.975)
	if c.Before == 0 {
		c.Ratio, c.Lo, c.Hi = math.NaN(), math.NaN(), math.NaN()
	}
	return c
}

// median returns the median of v (non-empty), leaving v as it was.
func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return quantile(s, 0.5)
}

// quantile returns the q-quantile of sorted s by linear interpolation.
func quantile(s []float64, q float64) float64 {
	if len(s) == 1 {
		return s[0]
	}
	pos := q * float64(len(s)-1)
	i := int(pos)
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[i] + (pos-float64(i))*(s[i+1]-s[i])
}
