package reports

import (
	"math"
	"strconv"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

func init() { familySections["pools"] = poolsSection }

// poolColumns are the pools table's figures: what one object costs the
// program, and what the collector did about it.
var poolColumns = []column{
	{"ops_per_s", "ops/s", units.Rate},
	{"reused_pct", "reused", units.Percent},
	{"allocs_per_op", "allocs/op", units.Number},
	{"alloc_bytes_per_op", "bytes/op", units.Bytes},
	{"gc_cycles", "GC cycles", units.Number},
	{"gc_pause_total_ns", "GC pauses (total)", units.Duration},
	{"p99_ns", "p99", units.Duration},
	{"heap_inuse_bytes", "heap in use (end)", units.Bytes},
	{"heap_goal_bytes", "heap goal (end)", units.Bytes},
}

// poolFigures gathers a pool run's figures from its counts, runtime telemetry
// and the pool's own statistics.
func poolFigures(r *result.Result) map[string]any {
	m := map[string]any{"ops_per_s": r.Rates.Achieved, "p99_ns": float64(r.Latency.Response.P99)}
	if v := extra(r, "", "reused_pct"); !math.IsNaN(v) {
		m["reused_pct"] = v
	}
	for _, k := range []string{"allocs_per_op", "alloc_bytes_per_op", "gc_cycles", "gc_pause_total_ns", "heap_inuse_bytes", "heap_goal_bytes"} {
		if v := extra(r, result.RuntimeExtrasKey, k); !math.IsNaN(v) {
			m[k] = v
		}
	}
	return m
}

// poolsSection writes the pools table and, when GOGC was swept, the figure of
// what it does to each pool.
func poolsSection(rb *reportBuilder, cells []*Cell) {
	rb.valueTable("Pools: what each op's object cost, and what the collector did", cells, distinctConfigs(cells) > 1, poolFigures, poolColumns, nil)
	rb.printf("_reused: the share of gets that found an object made earlier. allocs/op and bytes/op are the target's (the harness's taken off); GC cycles and pauses are the window's, which the harness's few allocations share. The heap figures are read at the window's end: in use (live and unswept garbage) and the size the collector aimed to finish its next cycle under._\n\n")
	if distinctGOGC(cells) < 2 {
		return
	}
	rb.addFigure(sweepFigure("pools-gogc", "What GOGC does to each pool — pools", "GOGC (%)", cells, gogcOf,
		func(p result.Params) result.Params { p.GOGC = ""; return p },
		[]sweepPanel{
			{yLabel: "median ops/s", value: achieved, ticks: siTicks{}},
			{yLabel: "GC cycles in the window", value: func(r *result.Result) float64 { return extra(r, result.RuntimeExtrasKey, "gc_cycles") }, ticks: plainTicks{}},
			{yLabel: "op p99", value: func(r *result.Result) float64 { return float64(r.Latency.Response.P99) }, logNs: true},
			{yLabel: "heap goal at the end (MiB)", value: func(r *result.Result) float64 {
				return extra(r, result.RuntimeExtrasKey, "heap_goal_bytes") / (1 << 20)
			}, ticks: plainTicks{}},
		}))
}

// gogcOf is a cell's GOGC as a number; false when it was off or unset.
func gogcOf(c *Cell) (float64, bool) {
	v, err := strconv.ParseFloat(c.Params.GOGC, 64)
	return v, err == nil && v > 0
}

// distinctGOGC counts the numeric GOGC values among cells.
func distinctGOGC(cells []*Cell) int {
	seen := map[float64]bool{}
	for _, c := range cells {
		if v, ok := gogcOf(c); ok {
			seen[v] = true
		}
	}
	return len(seen)
}

// gogcOrder sorts GOGC settings by value: unset first, then percents, then off.
func gogcOrder(s string) float64 {
	switch s {
	case "":
		return -1
	case "off":
		return math.Inf(1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.Inf(1)
	}
	return v
}
