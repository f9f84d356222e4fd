package cli

import (
	"testing"

	"github.com/syncbench/syncbench/result"
)

func TestThePoolAndCoalescingNotesSayWhatTheirFamilyAsks(t *testing.T) {
	pool := &result.Result{Impl: "syncpool", Family: "pools",
		Params:    result.Params{GOGC: "50"},
		Latency:   result.Latencies{Response: result.LatencySummary{P99: 90}},
		ImplStats: map[string]float64{"gets": 1000, "new_objects": 4, "reused_pct": 99.6},
		Extras: map[string]map[string]any{result.RuntimeExtrasKey: {"allocs_per_op": 0.004, "gc_cycles": 2.0,
			"gc_pause_total_ns": 50000.0, "heap_inuse_bytes": float64(9 << 20), "heap_goal_bytes": float64(10 << 20)}}}
	want := "syncpool pool: 99.6% of 1000 gets reused an object (4 made); 0.00400 allocs/op, 2 GC cycles (50.0µs paused), p99 90ns, heap in use 9.00MiB (goal 10.0MiB) at the window's end (gogc=50)"
	if got := poolNote(pool); got != want {
		t.Errorf("pool note\n got %s\nwant %s", got, want)
	}
	flight := &result.Result{Impl: "singleflight", Family: "coalescing",
		Latency:   result.Latencies{Response: result.LatencySummary{P50: 1_000_000, P99: 2_000_000}},
		ImplStats: map[string]float64{"calls_per_request": 0.0625, "gave_up": 12, "collateral_errors": 40}}
	want = "singleflight coalescing: 0.0625 backend calls per request (16 callers per call), caller p50 1.00ms p99 2.00ms; 12 callers gave up, 40 failed by another caller's cancellation"
	if got := coalescingNote(flight); got != want {
		t.Errorf("coalescing note\n got %s\nwant %s", got, want)
	}
	lock := &result.Result{Impl: "mutex", Family: "locks", ImplStats: map[string]float64{"gets": 1, "calls_per_request": 1}}
	if got := poolNote(lock) + coalescingNote(lock); got != "" {
		t.Errorf("a lock got a note: %q", got)
	}
}
