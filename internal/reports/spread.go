package reports

import (
	"math"
	"sort"
)

// Spread summarises one metric across the repetitions of a cell: its median and
// range. A single value has Min == Median == Max; an empty set has N == 0 and NaN
// fields.
type Spread struct {
	Median, Min, Max float64
	N                int
}

// SpreadOf computes the Spread of values, which it does not modify. NaN values are
// ignored.
func SpreadOf(values []float64) Spread {
	v := make([]float64, 0, len(values))
	for _, x := range values {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return Spread{Median: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	}
	sort.Float64s(v)
	n := len(v)
	med := v[n/2]
	if n%2 == 0 {
		med = (v[n/2-1] + v[n/2]) / 2
	}
	return Spread{Median: med, Min: v[0], Max: v[n-1], N: n}
}

// RelRange is the spread's range as a fraction of its median (0 for one value or a
// zero median), the "±" a reader needs to judge whether two medians differ.
func (s Spread) RelRange() float64 {
	if s.N < 2 || s.Median == 0 {
		return 0
	}
	return (s.Max - s.Min) / 2 / math.Abs(s.Median)
}
