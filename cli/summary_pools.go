package cli

import (
	"fmt"
	"math"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// poolNote is the sentence a pool's result gets in the terminal: how often it
// reused an object and what the collector did; "" for other families.
func poolNote(r *result.Result) string {
	if r.Family != impls.FamilyPools {
		return ""
	}
	if _, ok := r.ImplStats["gets"]; !ok {
		return ""
	}
	rt := func(k string) float64 { return result.ExtraFloat(r.Extras[result.RuntimeExtrasKey][k]) }
	return fmt.Sprintf("%s pool: %s of %s gets reused an object (%s made); %s allocs/op, %s GC cycles (%s paused), p99 %s, heap in use %s (goal %s) at the window's end%s",
		r.Impl, units.Percent(implStat(r, "reused_pct")), units.Number(implStat(r, "gets")), units.Number(implStat(r, "new_objects")),
		units.Number(rt("allocs_per_op")), units.Number(rt("gc_cycles")), formatNs(int64(rt("gc_pause_total_ns"))),
		formatNs(r.Latency.Response.P99), units.Bytes(rt("heap_inuse_bytes")), units.Bytes(rt("heap_goal_bytes")), gcSuffix(r))
}

// coalescingNote is the sentence a coalescer's result gets: how many backend
// calls it saved and what the callers that gave up cost the others; "" for
// other families.
func coalescingNote(r *result.Result) string {
	cpr := implStat(r, "calls_per_request")
	if r.Family != impls.FamilyCoalescing || math.IsNaN(cpr) {
		return ""
	}
	perCall := units.Missing
	if cpr > 0 {
		perCall = units.Number(1 / cpr)
	}
	return fmt.Sprintf("%s coalescing: %s backend calls per request (%s callers per call), caller p50 %s p99 %s; %s callers gave up, %s failed by another caller's cancellation",
		r.Impl, units.Number(cpr), perCall, formatNs(r.Latency.Response.P50), formatNs(r.Latency.Response.P99),
		units.Number(implStat(r, "gave_up")), units.Number(implStat(r, "collateral_errors")))
}

// implStat is r's ImplStats[k], NaN when absent.
func implStat(r *result.Result, k string) float64 {
	if v, ok := r.ImplStats[k]; ok {
		return v
	}
	return math.NaN()
}

// gcSuffix names the GC settings a run set, " (gogc=50 memlimit=64MiB)", or "".
func gcSuffix(r *result.Result) string {
	if l := gcLabel(r); l != units.Missing {
		return " (" + l + ")"
	}
	return ""
}
