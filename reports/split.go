package reports

import "github.com/syncbench/syncbench/metrics"

// splitNames lists r's split histograms by op kind or outcome.
func splitNames(r *metrics.Result) []string { return nil }

// splitHistogram returns the encoded response histogram of r's split group name.
func splitHistogram(r *metrics.Result, name string) (string, bool) { return "", false }

// splitSummary returns the latency summary of r's split group name.
func splitSummary(r *metrics.Result, name string) (metrics.LatencySummary, bool) {
	return metrics.LatencySummary{}, false
}

// lowerBound reports whether s holds censored values.
func lowerBound(s metrics.LatencySummary) bool { return false }
