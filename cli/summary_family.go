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
			v := r.ImplStats[k]
			if strings.HasSuffix(k, "_ns") { // durations in ns read as durations
				parts = append(parts, strings.TrimSuffix(k, "_ns")+"="+units.Duration(v))
				continue
			}
			parts = append(parts, k+"="+units.Number(v))
		}
		notes = append(notes, r.Impl+": "+strings.Join(parts, " "))
	}
	return notes
}

// runtimeNote summarises the Go runtime's view of the run: CPU and allocations
// per op, GC, scheduler latency and time blocked on mutexes.
func runtimeNote(impl string, rt map[string]any) string {
	num := func(key string) float64 { return metrics.ExtraFloat(rt[key]) }
	return fmt.Sprintf("%s runtime: %s CPU/op, %s allocs/op (%s/op), %.0f GC cycles (pause total %s), scheduling latency p99 %s, mutex wait %s",
		impl, units.Duration(num("cpu_ns_per_op")), units.Number(num("allocs_per_op")), units.Bytes(num("alloc_bytes_per_op")), num("gc_cycles"),
		formatNs(int64(num("gc_pause_total_ns"))), formatNs(int64(num("sched_latency_p99_ns"))), formatNs(int64(num("mutex_wait_total_ns"))))
}
