package workloads

import (
	"context"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/metrics"
)

// FloorMethod describes how MeasureFloor measures, for results and reports.
const FloorMethod = "noop target, closed loop, 1 worker: elapsed/ops (throughput-derived)"

// MeasureFloor measures the harness's own cost per op by driving the noop
// implementation for d (no warm-up) with one closed-loop worker: the same clock
// reads, op generation and recording a real run pays. Primitives whose cost is
// near the floor cannot be told apart by per-op latency; compare their throughput.
func MeasureFloor(ctx context.Context, d time.Duration) (metrics.Floor, error) {
	noop, ok := impls.Lookup(impls.NoopName)
	if !ok {
		panic("workloads: noop implementation is not registered")
	}
	target, err := noop.New(impls.Config{Workers: 1})
	if err != nil {
		return metrics.Floor{}, err
	}
	defer target.Close()
	spec := DefaultSpec()
	spec.Concurrency, spec.Duration, spec.Warmup = 1, d, 0
	run, err := Drive(ctx, target, spec, Hooks{})
	if err != nil {
		return metrics.Floor{}, err
	}
	floor := metrics.Floor{Method: FloorMethod, ResponseP50: metrics.Summarize(run.Totals.Response).P50}
	if n := run.Totals.Completed(); n > 0 {
		floor.NsPerOp = float64(run.Measured.Nanoseconds()) / float64(n)
	}
	return floor, nil
}
