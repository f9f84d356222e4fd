package reports

import "github.com/syncbench/syncbench/result"

// The accessors below are the one place reports and the CLI read a result's
// split histograms, unfinished ops, saturation, lower-bound marks and lag.
// Files written before these fields existed read as: no splits, every op
// finished, no lower bounds, and lag present for open loops only.

// splitName is the name of a split group: its op kind, or its outcome.
func splitName(s result.Split) string {
	if s.Kind != "" {
		return s.Kind
	}
	return s.Outcome
}

// splitNames lists r's split groups by op kind or outcome, in the result's
// order.
func splitNames(r *result.Result) []string {
	names := make([]string, 0, len(r.Split))
	for _, s := range r.Split {
		names = append(names, splitName(s))
	}
	return names
}

// findSplit returns r's split group called name. Op kinds and outcomes do not
// share names ("read" vs "ok"), so one name finds at most one group.
func findSplit(r *result.Result, name string) (result.Split, bool) {
	for _, s := range r.Split {
		if splitName(s) == name {
			return s, true
		}
	}
	return result.Split{}, false
}

// splitHistogram returns the encoded response histogram of r's split group name.
func splitHistogram(r *result.Result, name string) (string, bool) {
	s, ok := findSplit(r, name)
	return s.Histogram.Response, ok
}

// SplitLatency returns the latency summaries (response and service) of r's
// split group name: an op kind ("read", "write", "delete", "acquire",
// "allow") or an outcome ("ok", "denied", "timeout", "error", "unfinished").
// ok is false when r has no such group, or it holds no op.
func SplitLatency(r *result.Result, name string) (result.Latencies, bool) {
	s, ok := findSplit(r, name)
	if !ok || s.Latency.Response.Count == 0 {
		return result.Latencies{}, false
	}
	return s.Latency, true
}

// LowerBound reports whether s holds censored values (waits so far of ops cut
// off unfinished), so its percentiles are lower bounds, shown as "≥ 3.00s".
func LowerBound(s result.LatencySummary) bool { return s.LowerBound }

// UnfinishedOps is the number of ops of r cut off unfinished at the end: still
// queued or blocked in the target. They are in no other count.
func UnfinishedOps(r *result.Result) int64 { return r.Counts.Unfinished }

// Saturated reports whether r was marked saturated: some op intended inside the
// window never finished (or, in a closed loop, a worker starved).
func Saturated(r *result.Result) bool { return r.Saturated || r.Counts.Unfinished > 0 }

// censoredMax is the longest censored wait of r in ns: the maximum of its
// "unfinished" group, 0 when every op finished.
func censoredMax(r *result.Result) float64 {
	if s, ok := findSplit(r, "unfinished"); ok {
		return float64(s.Latency.Response.Max)
	}
	return 0
}

// LagOf returns r's lag summary (started − intended); ok is false for a closed
// loop, which has none, and for a file that does not hold one.
func LagOf(r *result.Result) (result.LatencySummary, bool) {
	if closedLoop(r) || r.Latency.Lag == nil {
		return result.LatencySummary{}, false
	}
	return *r.Latency.Lag, true
}

// hasSplit reports whether any run of c has the split group name with ops.
func hasSplit(c *Cell, name string) bool {
	for _, r := range c.Runs {
		if _, ok := SplitLatency(r, name); ok {
			return true
		}
	}
	return false
}
