package units

import (
	"math"
	"strconv"
	"strings"
)

// Missing is printed for a value that is absent or undefined: the lag of a
// closed loop, a NaN mean, a ratio against zero. Tables show it; CSV files leave
// the field empty instead.
const Missing = "-"

// Number prints v with three significant digits and no exponent and no unit:
// "0.00123", "4.56", "78.9", "1234"; whole values print without decimals ("1",
// "12"). NaN prints as [Missing], ±Inf as "∞"/"-∞".
// Magnitudes of 100 and above print as whole numbers, so large values keep every
// integer digit ("203100") rather than switching to e-notation.
func Number(v float64) string {
	switch {
	case math.IsNaN(v):
		return Missing
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "-∞"
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return strconv.FormatFloat(v, 'f', 0, 64) // whole values are exact: "1", not "1.00"
	}
	return sig3(v)
}

// sig3 prints a finite non-zero v with three significant digits and no
// exponent, keeping trailing zeros ("1.00"): the scaled figures of Duration and
// Rate keep a fixed precision so a column reads evenly.
func sig3(v float64) string {
	if math.Abs(v) >= 99.95 { // rounds to 100 or more: whole digits carry the precision
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	v = roundSig(v, 3)
	a := math.Abs(v)
	// decimals so that three digits are significant: 1 ≤ a < 10 → 2, 0.01 ≤ a < 0.1 → 4.
	dec := 2 - int(math.Floor(math.Log10(a)))
	return strconv.FormatFloat(v, 'f', dec, 64)
}

// Plain prints v in the shortest decimal spelling that reads back as v, without
// an exponent: "5000", "0.25", "1e-07" never appears ("0.0000001"). It is meant
// for configuration values (rates, limits) a reader typed, not for measurements.
func Plain(v float64) string {
	if math.IsNaN(v) {
		return Missing
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Trim drops the trailing zeros (and a trailing decimal point) of the number at
// the start of s, keeping whatever unit follows: "10.0µs" → "10µs", "2.50k" →
// "2.5k", "100" → "100". Strings without a decimal point are returned unchanged.
func Trim(s string) string {
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' && r != '-' && r != '+' })
	if i < 0 {
		i = len(s)
	}
	num, unit := s[:i], s[i:]
	if strings.Contains(num, ".") {
		num = strings.TrimRight(strings.TrimRight(num, "0"), ".")
	}
	return num + unit
}

// roundSig rounds v to n significant digits (n ≥ 1). 0, NaN and ±Inf are
// returned unchanged.
func roundSig(v float64, n int) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'e', n-1, 64), 64)
	return r
}

// scaled prints v, a value in base units, in the largest of units whose size it
// reaches after rounding to three significant digits, falling back to the
// smallest. units are ordered largest first and the last one has size 1.
func scaled(v float64, units []unit) string {
	if math.IsNaN(v) {
		return Missing
	}
	if math.IsInf(v, 0) {
		return Number(v)
	}
	r := roundSig(v, 3)
	for _, u := range units {
		if math.Abs(r) >= u.size {
			return sig3(v/u.size) + u.name
		}
	}
	last := units[len(units)-1]
	return sig3(v/last.size) + last.name
}

// unit is one step of a scale: its name and its size in base units.
type unit struct {
	name string
	size float64
}
