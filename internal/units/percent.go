package units

import "math"

// Percent prints a percentage (already multiplied by 100) with three significant
// digits: "12.3%", "0.0450%", "150%". NaN prints as [Missing].
func Percent(p float64) string {
	if math.IsNaN(p) {
		return Missing
	}
	if p == 0 {
		return "0%"
	}
	return sig3(p) + "%"
}

// SignedPercent is Percent with an explicit sign for non-zero values, for
// errors and changes: "+1.20%", "-3.30%", "0%".
func SignedPercent(p float64) string {
	s := Percent(p)
	if p > 0 && !math.IsInf(p, 0) {
		return "+" + s
	}
	return s
}

// RatioCap is the largest ratio Ratio prints as a number. Above it the figures
// compared are of different kinds (a queue against a fast path) and the exact
// factor carries no information a reader can use.
const RatioCap = 1000

// Ratio prints how many times a is b: "2.10×", "1.00×" when within 1%, and
// "> 1000×" above [RatioCap]. A ratio against zero, a negative or a NaN value
// prints as [Missing].
func Ratio(a, b float64) string {
	if b <= 0 || a < 0 || math.IsNaN(a) || math.IsNaN(b) || math.IsInf(a, 0) {
		return Missing
	}
	r := a / b
	switch {
	case r > RatioCap:
		return "> 1000×"
	case math.Abs(r-1) < 0.01:
		return "1.00×"
	}
	return sig3(r) + "×"
}
