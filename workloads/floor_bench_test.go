package workloads

import (
	"context"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// BenchmarkHarnessFloor is the driver's own cost per op on the noop target, one
// closed-loop worker, in each timing mode: what every closed-loop figure
// carries. In sampled mode it should stay at a few ns/op.
func BenchmarkHarnessFloor(b *testing.B) {
	// The least any loop can do: generate the op and call the target.
	b.Run("sample=none", func(b *testing.B) {
		noop, _ := impls.Lookup(impls.NoopName)
		target, _ := noop.New(impls.Config{Workers: 1})
		gen := newOpGenerator(DefaultSpec(), 0)
		ctx := context.Background()
		var ok int64
		defer cpuPerOp(b)()
		for range b.N {
			if target.Do(ctx, gen.next()) == impls.OK {
				ok++
			}
		}
		if ok != int64(b.N) {
			b.Fatal("noop failed")
		}
	})
	for _, mode := range []struct {
		name   string
		sample float64
	}{{"full", 1}, {"auto", SampleAuto}, {"1/64", 1.0 / 64}} {
		b.Run("sample="+mode.name, func(b *testing.B) {
			noop, _ := impls.Lookup(impls.NoopName)
			target, _ := noop.New(impls.Config{Workers: 1})
			spec := DefaultSpec()
			spec.Concurrency, spec.Warmup, spec.Duration = 1, 0, time.Hour
			spec.MaxOps, spec.Sample = int64(b.N), mode.sample
			b.ResetTimer()
			done := cpuPerOp(b)
			run, err := Drive(context.Background(), target, spec, Hooks{})
			done()
			if err != nil {
				b.Fatal(err)
			}
			if run.Totals.Completed() != int64(b.N) {
				b.Fatalf("driver ran %d ops, want %d", run.Totals.Completed(), b.N)
			}
			b.ReportMetric(run.Timing.Fraction, "timed-share")
		})
	}
}

// cpuPerOp starts measuring the process's CPU time and returns the function that
// reports it per op as "cpu-ns/op": on a shared machine wall time per op swings
// with the other tenants far more than CPU time does.
func cpuPerOp(b *testing.B) func() {
	start := processCPU(b)
	return func() { b.ReportMetric(float64(processCPU(b)-start)/float64(b.N), "cpu-ns/op") }
}
