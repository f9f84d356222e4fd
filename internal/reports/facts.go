package reports

import (
	"fmt"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// This file reads the facts about a run that decide how its figures may be
// shown: its mode, whether its lag exists, whether its percentiles are lower
// bounds, whether it starved workers or ran more workers than Ps.

// waitOnlyLimiters are limiters that cannot refuse, only make callers wait: a
// run of one without -mode waited (impls/limiters makes wait their default).
var waitOnlyLimiters = map[string]bool{"uber": true}

// EffectiveMode is how the target was driven, as far as it changes what its
// latency means: "allow" or "wait" for limiters, "acquire" or "try" for
// semaphores, "" for families without modes. It is the mode the limiter extras
// record (the one the target ran in, so a wait-only limiter without -mode reads
// "wait"), else the -mode the run was given, else the family's default (results
// written before the extras recorded a mode).
func EffectiveMode(r *result.Result) string {
	if m, ok := r.Extras[result.LimiterExtrasKey]["mode"].(string); ok && m != "" {
		return m
	}
	if m := r.Params.Family["mode"]; m != "" {
		return m
	}
	switch r.Family {
	case "limiters", "redis":
		if waitOnlyLimiters[r.Impl] {
			return "wait"
		}
		return "allow"
	case "semaphores":
		return "acquire"
	}
	return ""
}

// workersOverProcs reports whether a closed loop ran more workers than
// GOMAXPROCS, so a worker can be descheduled between its two clock reads.
func workersOverProcs(r *result.Result) bool {
	procs := r.Params.GOMAXPROCS
	if procs == 0 {
		procs = r.Env.GOMAXPROCS
	}
	return !r.OpenLoop() && procs > 0 && r.Params.Concurrency > procs
}

// SchedulerNote is the warning a closed loop with more workers than GOMAXPROCS
// carries: its tails above p99.9 include scheduler time slices, with the
// runtime's measured wait for a P. "" for other runs.
func SchedulerNote(r *result.Result) string {
	if !workersOverProcs(r) {
		return ""
	}
	procs := r.Params.GOMAXPROCS
	if procs == 0 {
		procs = r.Env.GOMAXPROCS
	}
	s := fmt.Sprintf("%d workers on %d Ps: tails above p99.9 include scheduler time slices (a worker descheduled between its two clock reads)", r.Params.Concurrency, procs)
	if v, ok := schedLatencyP99(r); ok {
		s += "; runnable goroutines waited for a P " + units.Duration(v) + " at p99"
	}
	return s
}

// schedLatencyP99 is the runtime's p99 wait of a runnable goroutine for a P
// during the run, from the runtime extras; ok is false when not recorded.
func schedLatencyP99(r *result.Result) (ns float64, ok bool) {
	return extraNumber(r, result.RuntimeExtrasKey, "sched_latency_p99_ns")
}
