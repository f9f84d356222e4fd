package workloads

import (
	"context"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
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
func MeasureFloor(ctx context.Context, d time.Duration) (result.Floor, error) {
	return MeasureFloorSample(ctx, d, SampleAuto)
}

// MeasureFloorSample is MeasureFloor in the timing mode sample selects.
func MeasureFloorSample(ctx context.Context, d time.Duration, sample float64) (result.Floor, error) {
	run, cpu, err := driveNoop(ctx, d, sample)
	if err != nil {
		return result.Floor{}, err
	}
	floor := result.Floor{
		Method:      FloorMethod,
		Mode:        run.Timing.Mode,
		NsPerOp:     nsPerOp(run),
		CPUNsPerOp:  cpuPerOp(run, cpu),
		ResponseP50: result.Summarize(run.Totals.Response).P50,
	}
	floor.FullNsPerOp, floor.FullCPUNsPerOp = floor.NsPerOp, floor.CPUNsPerOp
	if run.Timing.Mode != "full" {
		full, cpu, err := driveNoop(ctx, d, 1)
		if err != nil {
			return result.Floor{}, err
		}
		floor.FullNsPerOp, floor.FullCPUNsPerOp = nsPerOp(full), cpuPerOp(full, cpu)
	}
	return floor, nil
}

// cpuPerOp is the process CPU time cpu (ns) spread over the run's ops.
func cpuPerOp(run *Run, cpu int64) float64 {
	if n := run.Totals.Completed(); n > 0 {
		return float64(cpu) / float64(n)
	}
	return 0
}

// newNoopTarget returns the registry's noop target: the floor's target, and the
// open loop's CPU control (cpu.go). It panics if noop is not registered, a
// build without package impls.
func newNoopTarget() impls.Target {
	noop, ok := impls.Lookup(impls.NoopName)
	if !ok {
		panic("workloads: the noop implementation is not registered")
	}
	t, err := noop.New(impls.Config{Workers: 1})
	if err != nil {
		panic("workloads: " + err.Error()) // noop's New never fails
	}
	return t
}

// driveNoop drives the noop target for d and returns the run and the process
// CPU time it took (ns).
func driveNoop(ctx context.Context, d time.Duration, sample float64) (*Run, int64, error) {
	target := newNoopTarget()
	defer target.Close()
	spec := DefaultSpec()
	spec.Concurrency, spec.Duration, spec.Warmup, spec.Sample = 1, d, 0, sample
	before := metrics.ProcessCPUNs()
	run, err := Drive(ctx, target, spec, Hooks{})
	return run, metrics.ProcessCPUNs() - before, err
}

func nsPerOp(run *Run) float64 {
	if n := run.Totals.Completed(); n > 0 {
		return float64(run.Measured.Nanoseconds()) / float64(n)
	}
	return 0
}
