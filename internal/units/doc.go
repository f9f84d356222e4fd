// Package units is the one place syncbench turns numbers into text for people:
// durations, rates, counts, byte sizes, percentages, ratios and the lower-bound
// mark of censored percentiles. The terminal summary, report.md, plot ticks,
// threshold messages and comparisons all print through it, so one figure reads
// the same everywhere.
//
// # Rules every formatter follows
//
//   - Three significant digits, chosen after rounding, so 999.6µs prints as
//     "1.00ms", never "1e+03µs" or "1000µs"; whole numbers that need no unit
//     prefix print exactly ("950", "8ns", "1").
//   - Never an exponent: values too large for the largest unit print as whole
//     numbers of it ("1234s", "5000T").
//   - The unit follows the number without a space ("850ns", "12.3k", "1.50KiB"),
//     so a cell is one token.
//   - A missing value (NaN) prints as [Missing]; a figure that does not exist for
//     a run (lag of a closed loop) is printed by the caller as [Missing] too.
//   - Negative values keep their sign and their magnitude's unit.
//
// Plot ticks and thresholds want the shortest spelling of round values; [Trim]
// drops the trailing zeros the fixed precision leaves ("10.0µs" → "10µs").
//
// All functions are pure and safe for concurrent use.
package units
