package reports

import (
	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// queueColumns are the queue family's table: what the items cost (their rate
// and time in the queue), who waited (producers on a full queue, consumers on
// an empty one, as shares of their time in the window) and what the process
// burnt meanwhile, the consumers included.
var queueColumns = []column{
	{"dequeued_per_s", "items/s", units.Rate},
	{"queue_time_p50_ns", "in queue p50", units.Duration},
	{"queue_time_p99_ns", "in queue p99", units.Duration},
	{"queue_time_p999_ns", "in queue p99.9", units.Duration},
	{"producer_blocked_pct", "producers blocked", units.Percent},
	{"consumer_blocked_pct", "consumers blocked", units.Percent},
	{"process_cores", "process CPU (cores)", units.Number},
	{"consumers", "consumers", units.Count},
}

// queueTexts are the table's text columns.
var queueTexts = []column{{key: "bound", label: "capacity"}, {key: "waits", label: "a wait"}}

// queueFigures returns one queue run's figures for its table: the target's
// own (ImplStats) and the process's CPU over the window in cores.
func queueFigures(r *result.Result) map[string]any {
	m := map[string]any{}
	for k, v := range r.ImplStats {
		m[k] = v
	}
	if cores, ok := ProcessCores(r); ok {
		m["process_cores"] = cores
	}
	if c, bounded := r.ImplStats["capacity"]; bounded {
		m["bound"] = units.Count(c)
	} else if r.ImplStats["unbounded"] == 1 {
		m["bound"] = "unbounded"
	}
	if p, ok := r.ImplStats["waits_by_polling"]; ok {
		m["waits"] = map[bool]string{true: "polls", false: "parks"}[p == 1]
	}
	return m
}

// ProcessCores is the process's CPU (user + system) over the window's wall
// time, from the runtime extras: the whole process, the harness's share
// included, since a queue's consumers are goroutines an open loop's CPU/op
// cannot see (impls.Background).
func ProcessCores(r *result.Result) (float64, bool) {
	rt, ok := r.Extras[result.RuntimeExtrasKey]
	if !ok {
		return 0, false
	}
	wall := result.ExtraFloat(rt["wall_ns"])
	if wall <= 0 {
		return 0, false
	}
	return (result.ExtraFloat(rt["cpu_user_ns"]) + result.ExtraFloat(rt["cpu_sys_ns"])) / wall, true
}

// queuesSection writes the queue family's table and, per configuration, the
// process's CPU per queue: at a low open-loop rate (-workload queue-idle) it
// is what a waiting consumer costs, which a polling queue pays in a processor
// and a parking one does not.
func (rb *reportBuilder) queuesSection(cells []*Cell) {
	rb.printf("Items/s are the items the consumers took in the window; time in the queue runs from a producer's call to Enqueue to a consumer's Dequeue returning the item (a sample of items; a wait to get into a full queue is part of it). Producers blocked is the share of their time spent in an Enqueue whose first try failed; consumers blocked, in a Dequeue that found the queue empty. Process CPU is the whole process's (harness included) over the window: the consumers are the target's own goroutines, which an open loop's CPU/op does not see; run `noop` at the same rate for the harness's share.\n\n")
	rb.valueTable("Queues: items, waits and CPU", cells, distinctConfigs(cells) > 1, queueFigures, queueColumns, queueTexts)
	for _, g := range groupByConfig(cells) {
		title := "Process CPU while the queue ran (cores, consumers included) — " + groupLabel(g)
		rb.addFigure(valueBarsFigure("queue-cpu-"+groupLabel(g), title, "process CPU (cores)", g, ProcessCores))
	}
}
