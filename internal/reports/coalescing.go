package reports

import (
	"math"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

func init() { familySections["coalescing"] = coalescingSection }

// coalescingColumns are the coalescing table's figures: what the backend was
// spared, what the callers waited, and what the callers that gave up cost the
// others.
var coalescingColumns = []column{
	{"ops_per_s", "requests/s", units.Rate},
	{"calls_per_request", "backend calls/request", units.Number},
	{"callers_per_call", "callers per call", units.Number},
	{"p50_ns", "caller p50", units.Duration},
	{"p99_ns", "caller p99", units.Duration},
	{"ok_p99_ns", "answered p99", units.Duration},
	{"gave_up", "gave up", units.Count},
	{"collateral_errors", "failed by another's cancel", units.Count},
	{"aborted_calls", "aborted calls", units.Count},
}

// coalescingFigures gathers a coalescing run's figures.
func coalescingFigures(r *result.Result) map[string]any {
	m := map[string]any{"ops_per_s": r.Rates.Achieved, "p50_ns": float64(r.Latency.Response.P50), "p99_ns": float64(r.Latency.Response.P99)}
	if s, ok := r.SplitLatency("ok"); ok {
		m["ok_p99_ns"] = float64(s.Response.P99)
	}
	for _, k := range []string{"calls_per_request", "gave_up", "collateral_errors", "aborted_calls"} {
		if v := extra(r, "", k); !math.IsNaN(v) {
			m[k] = v
		}
	}
	if v := extra(r, "", "calls_per_request"); v > 0 {
		m["callers_per_call"] = 1 / v
	}
	return m
}

// callersPerKey is a cell's callers per key: its workers (or ops in flight)
// over its keys, the herd each key's call can gather.
func callersPerKey(c *Cell) (float64, bool) {
	return float64(c.Params.Concurrency) / float64(max(c.Params.Keys, 1)), c.Params.Concurrency > 0
}

// coalescingSection writes the coalescing table and a figure of the backend
// calls per request: against the callers per key when a sweep varied them,
// else one bar per implementation.
func coalescingSection(rb *reportBuilder, cells []*Cell) {
	rb.valueTable("Coalescing: backend calls per request, and what the callers waited", cells, distinctConfigs(cells) > 1, coalescingFigures, coalescingColumns, nil)
	rb.printf("_backend calls/request: 1 without coalescing; below it, the callers that shared a call. caller p50/p99 cover every caller, answered p99 the callers that got their answer. gave up: callers that cancelled after -timeout (-cancel-ratio); failed by another's cancel: callers that did not give up and still got an error, because the call they shared was run with the context of one that did. Counts cover the whole run, warm-up included._\n\n")
	calls := func(r *result.Result) float64 { return extra(r, "", "calls_per_request") }
	xs := map[float64]bool{}
	for _, c := range cells {
		if x, ok := callersPerKey(c); ok {
			xs[x] = true
		}
	}
	if len(xs) > 1 {
		rb.addFigure(sweepFigure("coalescing-callers", "Backend calls per request against callers per key — coalescing", "callers per key (concurrency / keys)", cells, callersPerKey,
			func(p result.Params) result.Params { p.Concurrency, p.Keys = 0, 0; return p },
			[]sweepPanel{
				{yLabel: "backend calls per request", value: calls, ticks: plainTicks{}},
				{yLabel: "caller p99", value: func(r *result.Result) float64 { return float64(r.Latency.Response.P99) }, logNs: true},
			}))
		return
	}
	for _, g := range groupByConfig(cells) {
		rb.addFigure(valueBarsFigure("coalescing-calls-"+groupLabel(g), "Backend calls per request — coalescing, "+groupLabel(g), "backend calls per request", g,
			func(r *result.Result) (float64, bool) { v := calls(r); return v, !math.IsNaN(v) }))
	}
}
