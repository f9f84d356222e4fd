package reports

import (
	"fmt"
	"math"

	"strings"
)

// formatNs prints a latency in nanoseconds with a unit a reader scans quickly:
// "850ns", "12.3µs", "4.56ms", "1.20s". NaN prints as "–".
func formatNs(ns float64) string {
	switch a := math.Abs(ns); {
	case math.IsNaN(ns):
		return "–"
	case a < 1e3:
		return fmt.Sprintf("%.0fns", ns)
	case a < 1e6:
		return trim3(ns/1e3) + "µs"
	case a < 1e9:
		return trim3(ns/1e6) + "ms"
	default:
		return trim3(ns/1e9) + "s"
	}
}

// trim3 prints v with three significant digits.
func trim3(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// formatRate prints an ops/s figure with three significant digits and an SI
// prefix ("12.3M", "950").
func formatRate(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	for _, p := range []struct {
		f float64
		s string
	}{{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if math.Abs(v) >= p.f {
			return trim3(v/p.f) + p.s
		}
	}
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return trim3(v)
}

// formatCount prints a count exactly below 10000 and with an SI prefix above.
func formatCount(v float64) string {
	if v < 10000 {
		return fmt.Sprintf("%.0f", v)
	}
	return formatRate(v)
}

// tickLabel drops the trailing zeros that three significant digits leave on round
// tick values: "10.0µs" becomes "10µs", "2.50k" becomes "2.5k".
func tickLabel(f func(float64) string) func(float64) string {
	return func(v float64) string {
		s := f(v)
		i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' && r != '-' })
		if i < 0 {
			i = len(s)
		}
		num, unit := s[:i], s[i:]
		if strings.Contains(num, ".") {
			num = strings.TrimRight(strings.TrimRight(num, "0"), ".")
		}
		return num + unit
	}
}

// withSpread prints a median and, across several repetitions, its range, e.g.
// "12.3µs (11.9µs–12.8µs)".
func withSpread(s Spread, f func(float64) string) string {
	lo, hi := f(s.Min), f(s.Max)
	if s.N < 2 || lo == hi {
		return f(s.Median)
	}
	return fmt.Sprintf("%s (%s–%s)", f(s.Median), lo, hi)
}
