package reports

import "github.com/syncbench/syncbench/metrics"

// The accessors below are the one place the report reads a result's split
// histograms, unfinished ops, saturation and lower-bound marks. Files of the
// schema as it stands hold none of these (every op finished, one histogram per
// timing), which is what they report; they read the fields once they exist.

// splitNames lists r's split histograms by op kind or outcome.
func splitNames(r *metrics.Result) []string { return nil }

// splitHistogram returns the encoded response histogram of r's split group name.
func splitHistogram(r *metrics.Result, name string) (string, bool) { return "", false }

// SplitLatency returns the latency summary of r's split group name.
func SplitLatency(r *metrics.Result, name string) (metrics.Latencies, bool) {
	return metrics.Latencies{}, false
}

// LowerBound reports whether s holds censored values.
func LowerBound(s metrics.LatencySummary) bool { return false }

// UnfinishedOps is the number of ops of r cut off unfinished at the end.
func UnfinishedOps(r *metrics.Result) int64 { return 0 }

// Saturated reports whether r was marked saturated.
func Saturated(r *metrics.Result) bool { return false }

// censoredMax is the longest censored wait (an unfinished op's wait so far).
func censoredMax(r *metrics.Result) float64 { return 0 }

// LagOf returns r's lag summary; ok is false for a closed loop.
func LagOf(r *metrics.Result) (metrics.LatencySummary, bool) {
	if closedLoop(r) {
		return metrics.LatencySummary{}, false
	}
	return r.Latency.Lag, true
}

// hasSplit reports whether any run of c has the split group name.
func hasSplit(c *Cell, name string) bool { return false }
