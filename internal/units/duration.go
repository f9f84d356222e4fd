package units

import (
	"math"
	"strconv"
	"time"
)

// durationUnits are the steps Duration picks from, largest first. Seconds are the
// largest: run lengths and latencies never need minutes to be readable, and a
// single unit keeps columns comparable.
var durationUnits = []unit{{"s", 1e9}, {"ms", 1e6}, {"µs", 1e3}, {"ns", 1}}

// Duration prints a duration given in nanoseconds with three significant digits
// in the largest unit it reaches: "850ns", "23.4ns", "12.3µs", "4.56ms",
// "1.00ms" (for 999.6µs), "1.20s", "1234s". Zero prints as "0s", as
// time.Duration does; whole nanosecond counts below 1µs print without decimals
// ("8ns", not "8.00ns"), because histogram values are whole nanoseconds. NaN
// prints as [Missing].
func Duration(ns float64) string {
	switch {
	case math.IsNaN(ns):
		return Missing
	case ns == 0:
		return "0s"
	case math.Abs(ns) < 1e3 && ns == math.Trunc(ns) && math.Abs(roundSig(ns, 3)) < 1e3:
		return strconv.FormatFloat(ns, 'f', 0, 64) + "ns"
	}
	return scaled(ns, durationUnits)
}

// DurationOf is Duration of a time.Duration.
func DurationOf(d time.Duration) string { return Duration(float64(d)) }

// DurationNs is Duration of an integer nanosecond count, the type latency
// summaries hold.
func DurationNs(ns int64) string { return Duration(float64(ns)) }

// AtLeast marks a figure as a lower bound when lowerBound is set: "≥ 3.00s". A
// percentile is a lower bound when its distribution holds censored values (ops
// still unfinished when the run ended, recorded with their wait so far), so the
// true value is at least what is shown. Missing values are never marked.
func AtLeast(text string, lowerBound bool) string {
	if !lowerBound || text == Missing {
		return text
	}
	return "≥ " + text
}
