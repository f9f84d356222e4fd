package cli

import (
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

// The runtime line shows an open loop's warm/cold split of CPU/op, not only
// its average, and says which class had too few sampled ops for a figure.
func TestTheRuntimeLineSplitsOpenLoopCPUIntoWarmAndCold(t *testing.T) {
	t.Parallel()
	rt := map[string]any{
		"cpu_ns_per_op": 250.0, "cpu_warm_gap_ns": 50000.0,
		"cpu_cold_ns_per_op": 251.0, "cpu_cold_ops": 1480.0, "cpu_warm_ops": 7.0,
	}
	line := runtimeNote("gcra", rt)
	for _, want := range []string{"gcra runtime: 250ns CPU/op (", "warm: only 7 sampled ops", "cold 251ns on 1480 sampled ops", "within 50.0µs of its worker's previous op"} {
		if !strings.Contains(line, want) {
			t.Errorf("runtime line %q lacks %q", line, want)
		}
	}
	closed := runtimeNote("gcra", map[string]any{"cpu_ns_per_op": 40.0})
	if strings.Contains(closed, "warm") || !strings.HasPrefix(closed, "gcra runtime: 40ns CPU/op, ") {
		t.Errorf("closed-loop runtime line %q: want no split", closed)
	}
}

// The harness line states the harness's own allocations, which the target's
// allocs/op leaves out.
func TestTheHarnessLineStatesItsOwnAllocations(t *testing.T) {
	t.Parallel()
	r := &result.Result{Impl: "noop", Harness: &result.Harness{Pacer: "hybrid", Allocs: 58, AllocBytes: 6 << 20}}
	line := harnessNote(r)
	if want := "its own allocations 58 objects, 6.00MiB (not in the target's allocs/op)"; !strings.Contains(line, want) {
		t.Errorf("harness line %q lacks %q", line, want)
	}
}
