package workloads_test

import (
	"context"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	_ "github.com/syncbench/syncbench/impls/all"
	"github.com/syncbench/syncbench/workloads"
)

// BenchmarkHarnessVsGoBench drives the same primitive at the same goroutine count
// (4 × GOMAXPROCS, 90% reads) two ways, side by side: with b.RunParallel, as `go
// test -bench` does, and with loadgen's closed loop in auto timing mode. Their
// ns/op should agree within 10%: what the closed loop adds on top of the
// primitive is then below what the primitive's own spread shows. Run it
// interleaved (make bench-harness) and compare the medians per impl.
func BenchmarkHarnessVsGoBench(b *testing.B) {
	const parallelism = 4
	for _, name := range []string{"mutex", "rwmutex", "atomic"} {
		impl, ok := impls.Lookup(name)
		if !ok {
			b.Fatalf("%s is not registered", name)
		}
		workers := parallelism * runtime.GOMAXPROCS(0)
		newTarget := func(b *testing.B) impls.Target {
			target, err := impl.New(impls.Config{Workers: workers, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { target.Close() })
			return target
		}
		b.Run("impl="+name+"/by=gobench", func(b *testing.B) {
			target := newTarget(b)
			var next atomic.Int64
			ctx := context.Background()
			b.SetParallelism(parallelism)
			b.ResetTimer()
			defer reportCPU(b)()
			b.RunParallel(func(pb *testing.PB) {
				op := impls.Op{Worker: int(next.Add(1)-1) % workers}
				for i := 0; pb.Next(); i++ {
					op.Kind = impls.OpRead
					if i%10 == 0 {
						op.Kind = impls.OpWrite
					}
					target.Do(ctx, op)
				}
			})
		})
		b.Run("impl="+name+"/by=loadgen", func(b *testing.B) {
			target := newTarget(b)
			spec := workloads.DefaultSpec()
			spec.Concurrency, spec.Warmup, spec.Duration = workers, 0, time.Hour
			spec.ReadRatio, spec.MaxOps = 0.9, int64(b.N)
			b.ResetTimer()
			done := reportCPU(b)
			run, err := workloads.Drive(context.Background(), target, spec, workloads.Hooks{})
			done()
			if err != nil {
				b.Fatal(err)
			}
			if got := run.Totals.Completed(); got < int64(b.N) {
				b.Fatalf("the closed loop ran %d ops, want %d", got, b.N)
			}
			b.ReportMetric(run.Timing.Fraction, "timed-share")
		})
	}
}

// reportCPU starts measuring the process's CPU time and returns the function
// that reports it per op as "cpu-ns/op". On a shared machine wall ns/op swings
// with the other tenants; CPU time per op much less.
func reportCPU(b *testing.B) func() {
	cpu := func() int64 {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			b.Fatal(err)
		}
		return ru.Utime.Nano() + ru.Stime.Nano()
	}
	start := cpu()
	return func() { b.ReportMetric(float64(cpu()-start)/float64(b.N), "cpu-ns/op") }
}
