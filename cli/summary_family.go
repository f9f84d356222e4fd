package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/metrics"
)

// familyNotes renders what the table's columns cannot: a rate limiter's accuracy
// against its configuration, and the figures a target reported about itself (peak
// weight, fairness, live keyed limiters, round trips).
func familyNotes(r *metrics.Result) []string {
	var notes []string
	if acc, ok := r.Extras[metrics.LimiterExtrasKey]; ok {
		notes = append(notes, limiterNote(r, acc))
	}
	if rt, ok := r.Extras[metrics.RuntimeExtrasKey]; ok {
		notes = append(notes, runtimeNote(r.Impl, rt))
	}
	if len(r.ImplStats) > 0 {
		keys := make([]string, 0, len(r.ImplStats))
		for k := range r.ImplStats {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, k+"="+units.Number(r.ImplStats[k]))
		}
		notes = append(notes, r.Impl+": "+strings.Join(parts, " "))
	}
	return notes
}

// runtimeNote summarises the Go runtime's view of the run: CPU and allocations
// per op, GC, scheduler latency and time blocked on mutexes.
func runtimeNote(impl string, rt map[string]any) string {
	num := func(key string) float64 { return toFloat(rt[key]) }
	return fmt.Sprintf("%s runtime: %s CPU/op, %s allocs/op (%s/op), %.0f GC cycles (pause total %s), scheduling latency p99 %s, mutex wait %s",
		impl, units.Duration(num("cpu_ns_per_op")), units.Number(num("allocs_per_op")), units.Bytes(num("alloc_bytes_per_op")), num("gc_cycles"),
		formatNs(int64(num("gc_pause_total_ns"))), formatNs(int64(num("sched_latency_p99_ns"))), formatNs(int64(num("mutex_wait_total_ns"))))
}

// limiterNote states offered, admitted and denied rates against the limit, and
// the worst window against the ideal envelope.
func limiterNote(r *metrics.Result, acc map[string]any) string {
	num := func(key string) float64 { return toFloat(acc[key]) }
	secs := float64(r.DurationNs) / 1e9
	denied := 0.0
	if secs > 0 {
		denied = float64(r.Counts.Denied) / secs
	}
	if global, _ := acc["global"].(bool); global {
		return fmt.Sprintf("%s: all processes together were admitted %.1f/s of the shared limit %s/s (rate error %+.2f%%), denied %s/s",
			r.Impl, num("admitted_rate"), formatCount(num("limit")), num("rate_error_pct"), formatCount(denied))
	}
	verdict := "within the envelope"
	if excess := num("excess_over_envelope"); excess > 0 {
		verdict = fmt.Sprintf("%.0f over the envelope", excess)
	}
	return fmt.Sprintf("%s: offered %s/s, admitted %.1f/s of limit %s/s (rate error %+.2f%%), denied %s/s; max in any %s window %.0f vs envelope %.0f (burst + limit·window): %s",
		r.Impl, formatCount(r.Rates.Offered), num("admitted_rate"), formatCount(num("limit")), num("rate_error_pct"),
		formatCount(denied), formatNs(int64(num("window_ns"))), num("max_in_window"), num("envelope"), verdict)
}

// toFloat reads a number from an Extras map, which holds Go numbers when built in
// this process and float64 when decoded from JSON.
func toFloat(v any) float64 {
	switch n := v.(type) {
	case float64:
		return n
	case int64:
		return float64(n)
	case int:
		return float64(n)
	case uint64:
		return float64(n)
	}
	return 0
}
