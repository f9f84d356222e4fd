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
// implementation with one closed-loop worker (no warm-up): the same op
// generation, counting, clock reads and recording a real run pays. It measures
// twice, d each: in auto timing mode (which samples the noop's ops, as cheap as
// ops get) for NsPerOp and Mode, and with every op timed for FullNsPerOp, the
// cost an open loop pays per op.
// Primitives whose cost is near the floor cannot be told apart by per-op
// latency; compare their throughput.
func MeasureFloor(ctx context.Context, d time.Duration) (metrics.Floor, error) {
	return MeasureFloorSample(ctx, d, SampleAuto)
}

// MeasureFloorSample is MeasureFloor in the timing mode sample selects.
func MeasureFloorSample(ctx context.Context, d time.Duration, sample float64) (metrics.Floor, error) {
	run, err := driveNoop(ctx, d, sample)
	if err != nil {
		return metrics.Floor{}, err
	}
	floor := metrics.Floor{
		Method:      FloorMethod,
		Mode:        run.Timing.Mode,
		NsPerOp:     nsPerOp(run),
		ResponseP50: metrics.Summarize(run.Totals.Response).P50,
	}
	floor.FullNsPerOp = floor.NsPerOp
	if run.Timing.Mode != "full" {
		full, err := driveNoop(ctx, d, 1)
		if err != nil {
			return metrics.Floor{}, err
		}
		floor.FullNsPerOp = nsPerOp(full)
	}
	return floor, nil
}

func driveNoop(ctx context.Context, d time.Duration, sample float64) (*Run, error) {
	noop, ok := impls.Lookup(impls.NoopName)
	if !ok {
		panic("workloads: noop implementation is not registered")
	}
	target, err := noop.New(impls.Config{Workers: 1})
	if err != nil {
		return nil, err
	}
	defer target.Close()
	spec := DefaultSpec()
	spec.Concurrency, spec.Duration, spec.Warmup, spec.Sample = 1, d, 0, sample
	return Drive(ctx, target, spec, Hooks{})
}

func nsPerOp(run *Run) float64 {
	if n := run.Totals.Completed(); n > 0 {
		return float64(run.Measured.Nanoseconds()) / float64(n)
	}
	return 0
}
