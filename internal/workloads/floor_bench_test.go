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
		gen := newOpGenerator(DefaultSpec(), 0, nil)
		ctx := context.Background()
		var ok int64
		op := gen.template
		defer reportCPUPerOp(b)()
		for i := int64(0); i < int64(b.N); {
			for _, kind := range gen.kindRun(int64(b.N) - i) {
				op.Kind = kind
				if target.Do(ctx, op) == impls.OK {
					ok++
				}
				i++
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
			done := reportCPUPerOp(b)
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

// reportCPUPerOp starts measuring the process's CPU time and returns the function that
// reports it per op as "cpu-ns/op": on a shared machine wall time per op swings
// with the other tenants far more than CPU time does.
func reportCPUPerOp(b *testing.B) func() {
	start := processCPU(b)
	return func() { b.ReportMetric(float64(processCPU(b)-start)/float64(b.N), "cpu-ns/op") }
}

// spinner is a target whose every op spins for d.
type spinner struct{ d time.Duration }

func (s spinner) Do(context.Context, impls.Op) impls.Outcome { impls.BusyWork(s.d); return impls.OK }
func (spinner) Verify() error                                { return nil }
func (spinner) Close() error                                 { return nil }

// BenchmarkSampledPercentiles times a 10 µs op fully and on a 1/64 sample, one
// closed-loop worker, and reports both runs' percentiles (ns): the sample's must
// agree with the full timing's within HDR precision (0.1%) where the op's own
// spread allows, p50 and p90 here. One b.N is one 1 s run of each mode.
func BenchmarkSampledPercentiles(b *testing.B) {
	for _, mode := range []struct {
		name   string
		sample float64
	}{{"full", 1}, {"1/2", 0.5}, {"1/64", 1.0 / 64}} {
		b.Run("sample="+mode.name, func(b *testing.B) {
			var p50, p90, p99, samples float64
			for range b.N {
				spec := DefaultSpec()
				spec.Concurrency, spec.Warmup, spec.Duration, spec.Sample = 1, 100*time.Millisecond, time.Second, mode.sample
				run, err := Drive(context.Background(), spinner{10 * time.Microsecond}, spec, Hooks{})
				if err != nil {
					b.Fatal(err)
				}
				h := run.Totals.Service
				p50 += float64(h.ValueAtQuantile(50))
				p90 += float64(h.ValueAtQuantile(90))
				p99 += float64(h.ValueAtQuantile(99))
				samples += float64(run.Timing.Samples)
			}
			n := float64(b.N)
			b.ReportMetric(p50/n, "p50-ns")
			b.ReportMetric(p90/n, "p90-ns")
			b.ReportMetric(p99/n, "p99-ns")
			b.ReportMetric(samples/n, "samples")
			b.ReportMetric(0, "ns/op")
		})
	}
}
