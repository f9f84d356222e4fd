package reports

import (
	"fmt"
	"math"
	"sort"

	"github.com/syncbench/syncbench/internal/units"
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

// Format prints the spread's median and, when its values differ, their range:
// "12.3µs (11.9µs–12.8µs)", each figure printed by f. One value, or values
// that print alike, print as the median alone; no value prints as units.Missing.
// It is the one way tables and verdicts print a figure across runs.
func (s Spread) Format(f func(float64) string) string {
	if s.N == 0 {
		return units.Missing
	}
	lo, hi := f(s.Min), f(s.Max)
	if s.N < 2 || lo == hi {
		return f(s.Median)
	}
	return fmt.Sprintf("%s (%s–%s)", f(s.Median), lo, hi)
}

// FormatCounted is Format with the number of runs the range spans and unit
// after the median: "5.57M ops/s (5.50M–5.60M, 3 runs)"; one run prints as
// the median alone, none as units.Missing.
func (s Spread) FormatCounted(f func(float64) string, unit string) string {
	if s.N == 0 {
		return units.Missing
	}
	t := f(s.Median) + unit
	if s.N > 1 {
		t += fmt.Sprintf(" (%s–%s, %d runs)", f(s.Min), f(s.Max), s.N)
	}
	return t
}
