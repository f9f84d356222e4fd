package units

import (
	"math"
	"strings"
	"testing"
)

// TestDurationNeverPrintsAnExponent guards issue #11's "1e+03µs" and
// "1.23e+03s": at every magnitude from 1 ns to a year, and at the rounding
// edges between units, a duration prints as plain digits and a unit.
func TestDurationNeverPrintsAnExponent(t *testing.T) {
	var values []float64
	for exp := 0.0; exp <= 16.5; exp += 0.05 {
		v := math.Pow(10, exp)
		values = append(values, v, math.Trunc(v), v*0.9995, v*1.0005)
	}
	values = append(values, 999.5, 999_999.5, 999_999_999.5, 59.9999e9, 3599.9999e9, 1.23e12, 0.5, 1e-3)
	for _, ns := range values {
		if s := Duration(ns); strings.ContainsAny(s, "eE+") {
			t.Errorf("Duration(%v) = %q: an exponent", ns, s)
		}
	}
}
