package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// familyNotes renders what the table's columns cannot: a rate limiter's accuracy
// against its configuration, and the figures a target reported about itself (peak
// weight, fairness, live keyed limiters, round trips).
func familyNotes(r *result.Result) []string {
	var notes []string
	if acc, ok := r.Extras[result.LimiterExtrasKey]; ok {
		notes = append(notes, limiterNote(r, acc))
	}
	if rt, ok := r.Extras[result.RuntimeExtrasKey]; ok {
		notes = append(notes, runtimeNote(r.Impl, rt))
	}
	for _, note := range []string{queueNote(r), snapshotNote(r), poolNote(r), coalescingNote(r), resilienceNote(r)} {
		if note != "" {
			notes = append(notes, note)
		}
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
			if before, ok := strings.CutSuffix(k, "_ns"); ok { // durations in ns read as durations
				parts = append(parts, before+"="+units.Duration(v))
				continue
			}
			parts = append(parts, k+"="+units.Number(v))
		}
		notes = append(notes, r.Impl+": "+strings.Join(parts, " "))
	}
	return notes
}

// runtimeNote summarises the Go runtime's view of the run: CPU and allocations
// per op (the target's), GC, scheduler latency and time blocked on mutexes.
func runtimeNote(impl string, rt map[string]any) string {
	num := func(key string) float64 { return result.ExtraFloat(rt[key]) }
	return fmt.Sprintf("%s runtime: %s CPU/op%s, %s allocs/op (%s/op), %.0f GC cycles (pause total %s), scheduling latency p99 %s, mutex wait %s",
		impl, units.Duration(num("cpu_ns_per_op")), cpuSplitNote(rt), units.Number(num("allocs_per_op")), units.Bytes(num("alloc_bytes_per_op")), num("gc_cycles"),
		formatNs(int64(num("gc_pause_total_ns"))), formatNs(int64(num("sched_latency_p99_ns"))), formatNs(int64(num("mutex_wait_total_ns"))))
}

// cpuSplitNote is an open loop's warm/cold split of CPU/op, " (warm X on n
// sampled ops, cold Y on m: ...)", or "" when the result has none. The cold
// figure is the target's cost in the regime the run put it in (each op after
// its worker's wait, its code and data evicted), not hidden behind an average,
// and the warm one what it costs back to back, comparable with a closed loop.
func cpuSplitNote(rt map[string]any) string {
	gap := result.ExtraFloat(rt["cpu_warm_gap_ns"])
	if gap <= 0 {
		return ""
	}
	class := func(name string) string {
		ops := result.ExtraFloat(rt["cpu_"+name+"_ops"])
		if v, ok := rt["cpu_"+name+"_ns_per_op"]; ok {
			return fmt.Sprintf("%s %s on %s sampled ops", name, units.Duration(result.ExtraFloat(v)), units.Number(ops))
		}
		if ops == 0 {
			return "no " + name + " ops"
		}
		return fmt.Sprintf("%s: only %s sampled ops", name, units.Number(ops))
	}
	return fmt.Sprintf(" (%s, %s; warm means within %s of its worker's previous op, cold after a longer wait, the target's code and data evicted)",
		class("warm"), class("cold"), units.Duration(gap))
}
