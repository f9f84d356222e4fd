package units

import (
	"math"
	"strconv"
)

// siUnits are the decimal prefixes Rate and Count use, largest first.
var siUnits = []unit{{"T", 1e12}, {"G", 1e9}, {"M", 1e6}, {"k", 1e3}, {"", 1}}

// Rate prints a per-second rate (or any quantity with decimal prefixes) with
// three significant digits and an SI prefix: "950", "12.3k", "1.00M", "0.5"
// (below 1000, whole values print without decimals: "950", not "950.0"). The
// caller adds the unit ("/s", "ops/s"). NaN prints as [Missing].
func Rate(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Number(v)
	}
	if math.Abs(roundSig(v, 3)) < 1e3 && v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return scaled(v, siUnits)
}

// Count prints an event count: exactly below 10000 ("9999"), with three
// significant digits and an SI prefix above ("12.3k", "4.57M"), so a table
// column stays narrow while small counts, where every op matters, stay exact.
// Use strconv for a count that must always be exact.
func Count(n float64) string {
	if math.Abs(n) < 10000 && n == math.Trunc(n) {
		return strconv.FormatFloat(n, 'f', 0, 64)
	}
	return Rate(n)
}

// binaryUnits are the IEC prefixes Bytes uses, largest first.
var binaryUnits = []unit{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}

// Bytes prints a size in bytes with three significant digits and a binary
// prefix: "48B", "48.3B", "1.50KiB", "3.20MiB". Zero prints as "0B"; NaN as
// [Missing].
func Bytes(b float64) string {
	switch {
	case math.IsNaN(b):
		return Missing
	case b == 0:
		return "0B"
	case math.Abs(b) < 1000 && b == math.Trunc(b):
		return strconv.FormatFloat(b, 'f', 0, 64) + "B"
	}
	// Binary prefixes step at 1024, so values from 1000 to 1023 of a unit print
	// as four digits ("1010B"); that stays exact rather than "0.986KiB".
	for _, u := range binaryUnits {
		if math.Abs(b) >= u.size {
			return sig3(b/u.size) + u.name
		}
	}
	return sig3(b) + "B"
}
