package result

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/syncbench/syncbench/internal/units"
)

// This file holds what a result's fields mean when read together: whether the
// run was an open loop, whether it saturated, whether it has a lag, which
// workers starved. Reports and the command line read these through the methods
// below, never by re-deriving them, so a file written before a field existed
// reads the same everywhere: no splits, every op finished, no lower bounds, and
// a lag for open loops only.

// OpenLoop reports whether r ran ops on a schedule (an arrival rate) rather
// than N workers in a loop. Files that predate Params.Model are open loops when
// they have a rate.
func (r *Result) OpenLoop() bool {
	return r.Params.Model == "open" || (r.Params.Model == "" && r.Params.Rate > 0)
}

// IsSaturated reports whether r was marked saturated or left ops unfinished:
// some op intended inside the window never finished, or (closed loop) a worker
// starved. Its response percentiles may then be lower bounds.
func (r *Result) IsSaturated() bool { return r.Saturated || r.Counts.Unfinished > 0 }

// UnfinishedOps is the number of ops of r cut off unfinished at the end: still
// queued or blocked in the target. They are in no other count.
func (r *Result) UnfinishedOps() int64 { return r.Counts.Unfinished }

// Lag returns r's lag summary (started − intended); ok is false for a closed
// loop, which has none (absent, not zero), and for a file that holds none.
func (r *Result) Lag() (s LatencySummary, ok bool) {
	if !r.OpenLoop() || r.Latency.Lag == nil {
		return LatencySummary{}, false
	}
	return *r.Latency.Lag, true
}

// Name is the split group's name: its op kind, or its outcome. Op kinds and
// outcomes do not share names ("read" vs "ok"), so a name picks one group.
func (s Split) Name() string {
	if s.Kind != "" {
		return s.Kind
	}
	return s.Outcome
}

// SplitGroup returns r's split group called name (an op kind or an outcome);
// ok is false when r has none.
func (r *Result) SplitGroup(name string) (s Split, ok bool) {
	for _, s := range r.Split {
		if s.Name() == name {
			return s, true
		}
	}
	return Split{}, false
}

// SplitLatency returns the latency summaries (response and service) of r's
// split group name: an op kind ("read", "write", "delete", "acquire",
// "allow") or an outcome ("ok", "denied", "timeout", "error", "unfinished").
// ok is false when r has no such group, or it holds no timed op.
func (r *Result) SplitLatency(name string) (l Latencies, ok bool) {
	s, ok := r.SplitGroup(name)
	if !ok || s.Latency.Response.Count == 0 {
		return Latencies{}, false
	}
	return s.Latency, true
}

// CensoredMaxNs is the longest censored wait of r in ns: the maximum of its
// "unfinished" group, 0 when every op finished.
func (r *Result) CensoredMaxNs() float64 {
	if s, ok := r.SplitGroup("unfinished"); ok {
		return float64(s.Latency.Response.Max)
	}
	return 0
}

// StarvedFairness is the Jain's fairness index below which a closed loop's
// workers count as starved: fewer than half the workers' worth of shares.
const StarvedFairness = 0.5

// Starvation describes a closed-loop run in which some workers were starved: an
// unfair primitive served a few workers while the others waited, so the
// recorded percentiles describe the lucky ones. It returns "" for a fair run
// and for an open loop. A run starved when Jain's fairness index over
// per-worker completions (ImplStats["jain_fairness"]) is below StarvedFairness,
// or when some wait (ImplStats["longest_wait_ns"], or a censored wait) lasted
// at least half the measured run.
func (r *Result) Starvation() string {
	if r.OpenLoop() {
		return ""
	}
	jain, hasJain := r.ImplStats["jain_fairness"]
	longest, hasLongest := r.ImplStats["longest_wait_ns"]
	censored := r.CensoredMaxNs()
	longest = max(longest, censored)
	half := float64(r.DurationNs) / 2
	starved := (hasJain && jain < StarvedFairness) || ((hasLongest || censored > 0) && r.DurationNs > 0 && longest >= half)
	if !starved {
		return ""
	}
	var parts []string
	if hasJain {
		parts = append(parts, "Jain "+strconv.FormatFloat(jain, 'f', 3, 64))
	}
	if longest > 0 {
		parts = append(parts, fmt.Sprintf("longest wait %s of a %s run", units.Duration(longest), units.DurationNs(r.DurationNs)))
	}
	if u := r.UnfinishedOps(); u > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d workers still waiting at the end", min(u, int64(r.Params.Concurrency)), r.Params.Concurrency))
	}
	s := "starved workers"
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s + ": the percentiles describe the workers that got through"
}

// Add adds o's counts to c, field by field: the counts of runs measured
// side by side (processes, fleet members) or of a cell's repetitions. Every
// field is a count of ops, so the sum keeps each field's meaning.
func (c *Counts) Add(o Counts) {
	c.Offered += o.Offered
	c.Completed += o.Completed
	c.OK += o.OK
	c.Denied += o.Denied
	c.Timeout += o.Timeout
	c.Error += o.Error
	c.Unfinished += o.Unfinished
}

// SplitNames lists r's split groups by op kind or outcome, in r's order.
func (r *Result) SplitNames() []string {
	names := make([]string, 0, len(r.Split))
	for _, s := range r.Split {
		names = append(names, s.Name())
	}
	return names
}
