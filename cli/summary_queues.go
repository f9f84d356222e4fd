package cli

import (
	"fmt"
	"strings"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// queueNote reads a queue run's own figures as a sentence: the items through,
// their time in the queue, who waited, and what the process burnt meanwhile
// (the consumers are the target's own goroutines, in the process's CPU only).
// "" for a run of another family or without figures.
func queueNote(r *result.Result) string {
	st := r.ImplStats
	if r.Family != impls.FamilyQueues || st == nil {
		return ""
	}
	shape := "unbounded"
	if c, ok := st["capacity"]; ok {
		shape = "capacity " + units.Count(c)
	}
	if st["waits_by_polling"] == 1 {
		shape += ", waits by polling"
	} else {
		shape += ", waits by parking"
	}
	var parts []string
	consumers := units.Count(st["consumers"]) + " consumers"
	if st["consumers"] == 1 {
		consumers = "1 consumer"
	}
	parts = append(parts, fmt.Sprintf("%s items/s through %s (%s)", units.Rate(st["dequeued_per_s"]), consumers, shape))
	if n := st["queue_time_samples"]; n > 0 {
		parts = append(parts, fmt.Sprintf("time in queue p50 %s p99 %s (%s sampled items)",
			units.Duration(st["queue_time_p50_ns"]), units.Duration(st["queue_time_p99_ns"]), units.Count(n)))
	}
	blocked := func(who string) string {
		if v, ok := st[who+"_blocked_pct"]; ok {
			return units.Percent(v)
		}
		return "not measured"
	}
	parts = append(parts, fmt.Sprintf("producers blocked %s of their time, consumers %s", blocked("producer"), blocked("consumer")))
	if cores, ok := reports.ProcessCores(r); ok {
		parts = append(parts, fmt.Sprintf("process CPU %s cores (consumers included; the harness's share is noop's at the same load)", units.Number(cores)))
	}
	return r.Impl + " queue: " + strings.Join(parts, "; ")
}

// snapshotNote reads a snapshot run's figures as a sentence: the reads and
// the reloads (rate and p99, from their splits), what a reload allocated, and
// the torn-read check's count.
func snapshotNote(r *result.Result) string {
	st := r.ImplStats
	if r.Family != impls.FamilySnapshots || st == nil {
		return ""
	}
	secs := float64(r.DurationNs) / 1e9
	var parts []string
	for _, k := range [...]struct{ kind, name string }{{"read", "reads"}, {"write", "reloads"}} {
		if sp, ok := r.SplitGroup(k.kind); ok && secs > 0 {
			parts = append(parts, fmt.Sprintf("%s %s/s p99 %s", k.name, units.Rate(float64(sp.Count)/secs), units.DurationNs(sp.Latency.Response.P99)))
		}
	}
	if b, ok := reports.ReloadAllocBytes(r); ok {
		how := ""
		switch c, known := st["copies_on_reload"]; {
		case known && c == 1:
			how = " (it copies the state, " + units.Bytes(st["state_bytes"]) + ")"
		case known:
			how = " (it rewrites the state in place)"
		}
		parts = append(parts, fmt.Sprintf("%s allocated per reload%s", units.Bytes(b), how))
	}
	parts = append(parts, fmt.Sprintf("%s torn and %s stale reads in %s", units.Count(st["torn_reads"]), units.Count(st["stale_reads"]), units.Count(st["reads"])))
	return r.Impl + " snapshot: " + strings.Join(parts, "; ")
}
