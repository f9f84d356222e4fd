package semaphores

import (
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/syncbench/syncbench/impls"
	"golang.org/x/sync/semaphore"
)

// BenchmarkAdapter measures what the Target adapter adds to a semaphore: each
// semaphore at capacity 4 from 4×GOMAXPROCS goroutines (as bench.RunTarget
// drives it), once raw (Acquire(ctx, 1) + Release(1)) and once through the
// adapter's Do. The adapter must leave the ratio between two semaphores as it
// found it: weighted/chansem through the adapter within 10% of the raw ratio.
// Both paths get a cancellable context, as the harness passes one. Besides
// ns/op each reports cpu-ns/op, the process's CPU time per op, which a shared
// machine's other tenants disturb less than the wall clock.
func BenchmarkAdapter(b *testing.B) {
	const capacity = 4
	for _, bc := range []struct {
		name string
		sem  func() Semaphore
	}{
		{"weighted", func() Semaphore { return semaphore.NewWeighted(capacity) }},
		{"chansem", func() Semaphore { return newChanSem(capacity) }},
		{"fifo", func() Semaphore { return NewFIFO(capacity) }},
	} {
		b.Run("impl="+bc.name+"/via=raw", func(b *testing.B) {
			s := bc.sem()
			ctx := b.Context()
			b.SetParallelism(4)
			defer reportCPU(b)()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := s.Acquire(ctx, 1); err != nil {
						b.Error(err)
						return
					}
					s.Release(1)
				}
			})
		})
		b.Run("impl="+bc.name+"/via=target", func(b *testing.B) {
			b.SetParallelism(4)
			workers := 4 * parallelProcs()
			tg := newTarget(bc.name, settings{capacity: capacity, workers: workers}, bc.sem())
			ctx := b.Context()
			var next atomic.Int64
			b.ResetTimer()
			defer reportCPU(b)()
			b.RunParallel(func(pb *testing.PB) {
				op := impls.Op{Kind: impls.OpAcquire, Weight: 1, Worker: int(next.Add(1)-1) % workers}
				for pb.Next() {
					if tg.Do(ctx, op) != impls.OK {
						b.Error("Do did not acquire")
						return
					}
				}
			})
			if err := tg.Verify(); err != nil {
				b.Fatal(err)
			}
		})
	}
}

func parallelProcs() int { return runtime.GOMAXPROCS(0) }

// reportCPU starts counting the process's CPU time; the function it returns
// reports it per op as cpu-ns/op.
func reportCPU(b *testing.B) func() {
	cpu0, ok := processCPU()
	return func() {
		if cpu1, ok1 := processCPU(); ok && ok1 {
			b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
		}
	}
}
