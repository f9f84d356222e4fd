package workloads_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/syncbench/syncbench/bench"
	"github.com/syncbench/syncbench/impls"
	_ "github.com/syncbench/syncbench/impls/all"
	"github.com/syncbench/syncbench/internal/workloads"
)

// BenchmarkHarnessVsGoBench drives the same primitive at the same goroutine count
// (4 × GOMAXPROCS, 90% reads) two ways, side by side: with b.RunParallel, as `go
// test -bench` does, and with loadgen's closed loop in auto timing mode. Their
// ns/op should agree within 10%: what the closed loop adds on top of the
// primitive is then below what the primitive's own spread shows. Run it
// interleaved (make bench-harness) and compare the medians per impl.
func BenchmarkHarnessVsGoBench(b *testing.B) {
	const parallelism = 4
	for _, name := range []string{"noop", "mutex", "rwmutex", "atomic"} {
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
			// Cancellable, like the closed loop's (see bench.RunTarget).
			ctx := b.Context()
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
		// The same loop dealing loadgen's kind of sequence: decks of 9 reads
		// and a write, each shuffled, so the two loops differ only in what the
		// harness adds, not in where the writes fall (a write right after a
		// write costs an RWMutex more than the evenly spaced ones of i%10).
		b.Run("impl="+name+"/by=gobench-shuffled", func(b *testing.B) {
			target := newTarget(b)
			var next atomic.Int64
			ctx := b.Context()
			kinds := shuffledDecks(1<<16, 10)
			b.SetParallelism(parallelism)
			b.ResetTimer()
			defer reportCPU(b)()
			b.RunParallel(func(pb *testing.PB) {
				w := int(next.Add(1) - 1)
				op := impls.Op{Worker: w % workers}
				for i := w * 4099; pb.Next(); i++ {
					op.Kind = kinds[i&(len(kinds)-1)]
					target.Do(ctx, op)
				}
			})
		})
		b.Run("impl="+name+"/by=loadgen", func(b *testing.B) {
			target := newTarget(b)
			spec := workloads.DefaultSpec()
			spec.Concurrency, spec.ReadRatio = workers, 0.9
			run := driveClosed(b, target, spec)
			b.ReportMetric(run.Timing.Fraction, "timed-share")
		})
	}
}

// driveClosed runs exactly b.N ops of spec's closed loop on target, timed from
// here, and reports cpu-ns/op and the closed loop's own figure, 1/throughput
// over the measured run as loadgen prints it, as "run-ns/op": ns/op also counts
// Drive's setup and teardown, a few ms that matter at a few ns per op.
func driveClosed(b *testing.B, target impls.Target, spec workloads.Spec) *workloads.Run {
	spec.Warmup, spec.Duration, spec.MaxOps = 0, time.Hour, int64(b.N)
	b.ResetTimer()
	done := reportCPU(b)
	run, err := workloads.Drive(context.Background(), target, spec, workloads.Hooks{})
	done()
	if err != nil {
		b.Fatal(err)
	}
	n := run.Totals.Completed()
	if n < int64(b.N) {
		b.Fatalf("the closed loop ran %d ops, want %d", n, b.N)
	}
	b.ReportMetric(float64(run.Measured.Nanoseconds())/float64(n), "run-ns/op")
	return run
}

// shuffledDecks returns n op kinds (n a power of two) dealt from decks of
// deck−1 reads and one write, each deck shuffled on its own: the sequence a
// closed loop deals for a read ratio of 1 − 1/deck. The last partial deck
// wraps into the first, so a loop may cycle through it.
func shuffledDecks(n, deck int) []impls.OpKind {
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := make([]impls.OpKind, n)
	for start := 0; start < n; start += deck {
		d := make([]impls.OpKind, deck)
		d[0] = impls.OpWrite
		rng.Shuffle(deck, func(a, b int) { d[a], d[b] = d[b], d[a] })
		copy(kinds[start:], d)
	}
	return kinds
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

// BenchmarkOrderings measures, both ways in one run, the pairs of primitives
// whose order loadgen and `go test -bench` (bench.RunTarget, the project's
// RunParallel benchmark) once disagreed on, each at the GOMAXPROCS the question
// is about and at the same goroutine count (bench.Parallelism × GOMAXPROCS):
//
//   - q=read-only: rwmutex against mutex, every op a read, 2 processors;
//   - q=atomic-cores: atomic at 1 processor against 2, 90% reads;
//   - q=cap4: weighted against chansem, capacity 4, 1 processor.
//
// The two tools agree when each question gets the same answer from both (which
// is faster, by how much). Run it interleaved (make bench-harness) and compare
// the medians; cpu-ns/op is steadier than ns/op on a shared machine.
func BenchmarkOrderings(b *testing.B) {
	type entry struct {
		impl, workload string
		procs          int
	}
	for _, q := range []struct {
		name    string
		entries []entry
	}{
		{"read-only", []entry{{"mutex", "read", 2}, {"rwmutex", "read", 2}}},
		{"atomic-cores", []entry{{"atomic", "read-heavy", 1}, {"atomic", "read-heavy", 2}}},
		{"cap4", []entry{{"chansem", "acquire", 1}, {"weighted", "acquire", 1}}},
	} {
		for _, e := range q.entries {
			impl, ok := impls.Lookup(e.impl)
			if !ok {
				b.Fatalf("%s is not registered", e.impl)
			}
			wl, ok := bench.Find(impl.Family, e.workload)
			if !ok {
				b.Fatalf("%s has no workload %s", impl.Family, e.workload)
			}
			name := fmt.Sprintf("q=%s/impl=%s/procs=%d", q.name, e.impl, e.procs)
			b.Run(name+"/by=gobench", func(b *testing.B) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(e.procs))
				bench.RunTarget(b, impl.New, wl, impls.Config{Seed: 1})
			})
			b.Run(name+"/by=loadgen", func(b *testing.B) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(e.procs))
				workers := bench.Parallelism * e.procs
				cfg := impls.Config{Workers: workers, Seed: 1}
				if wl.Configure != nil {
					wl.Configure(&cfg)
				}
				target, err := impl.New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				defer target.Close()
				spec := workloads.DefaultSpec()
				spec.Family, spec.Concurrency, spec.ReadRatio = impl.Family, workers, wl.ReadRatio
				driveClosed(b, target, spec)
				if err := target.Verify(); err != nil {
					b.Fatal(err)
				}
			})
		}
	}
}
