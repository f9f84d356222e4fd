package reports

import "github.com/syncbench/syncbench/internal/units"

// The report's formatters are internal/units, the one home of unit formatting;
// these names keep call sites short and let the comparison code (compare.go)
// print through the same rules.
var (
	formatNs    = units.Duration // latency in ns: "850ns", "12.3µs", "1.20s"
	formatRate  = units.Rate     // ops/s with an SI prefix: "12.3k"
	formatCount = units.Count    // exact below 10000, SI prefix above
	formatFloat = units.Plain    // configuration values as typed: "5000", "0.25"
)

// tickLabel drops the trailing zeros that three significant digits leave on round
// tick values: "10.0µs" becomes "10µs", "2.50k" becomes "2.5k".
func tickLabel(f func(float64) string) func(float64) string {
	return func(v float64) string { return units.Trim(f(v)) }
}
