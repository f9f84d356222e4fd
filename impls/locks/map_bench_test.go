package locks

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/syncbench/syncbench/impls"
)

// xsyncMapCases are the cases of xsync's published map benchmarks
// (BENCHMARKS.md, IntegerMapOf_WarmUp and IntegerMapStandard_WarmUp): the share of
// loads, the rest split evenly between stores and deletes.
var xsyncMapCases = []struct {
	name  string
	reads int // percent
}{
	{"reads=100%", 100}, {"reads=99%", 99}, {"reads=90%", 90}, {"reads=75%", 75},
}

// BenchmarkMaps runs every map target through its Target face the way xsync's
// own warmed-up map benchmarks run xsync.Map and sync.Map: 1,000 integer keys
// filled before the timer starts, GOMAXPROCS goroutines, and per op a fresh
// random draw of the kind (in permille, as xsync does, so that 99% is
// expressible) and of a uniform key. Set beside xsync's published figures (same
// sub-benchmark names) and beside `loadgen -workload map-reads-N`, it separates
// what the maps cost from what the harness adds.
//
// Besides wall ns/op it reports cpu-ns/op, the process's CPU time per op: on a
// shared machine, time other processes take from the benchmark inflates the
// wall figure but not this one.
func BenchmarkMaps(b *testing.B) {
	const keys = 1000
	for _, impl := range mapImpls(b) {
		for _, bc := range xsyncMapCases {
			b.Run("impl="+impl.Name+"/"+bc.name, func(b *testing.B) {
				workers := runtime.GOMAXPROCS(0)
				target := newTarget(b, impl, impls.Config{Workers: workers, Keys: keys})
				storeFrom := uint32(10 * bc.reads)
				deleteFrom := storeFrom + (1000-storeFrom)/2
				var next atomic.Int64
				ctx := context.Background()
				cpu0, cpuOK := processCPU()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					op := impls.Op{Worker: int(next.Add(1)-1) % workers}
					for pb.Next() {
						switch r := rand.Uint32() % 1000; {
						case r >= deleteFrom:
							op.Kind = impls.OpDelete
						case r >= storeFrom:
							op.Kind = impls.OpWrite
						default:
							op.Kind = impls.OpRead
						}
						op.Key = uint64(rand.Uint32() % keys)
						target.Do(ctx, op)
					}
				})
				b.StopTimer()
				if cpu1, _ := processCPU(); cpuOK {
					b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
				}
				if err := target.Verify(); err != nil {
					b.Fatal(err)
				}
			})
		}
	}
}
