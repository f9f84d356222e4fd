package locks

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/puzpuzpuz/xsync/v4"
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
// wall figure but not this one. BenchmarkMapsRaw is the same loop on the bare
// maps.
func BenchmarkMaps(b *testing.B) {
	const keys = 1000
	for _, impl := range mapImpls(b) {
		for _, bc := range xsyncMapCases {
			b.Run("impl="+impl.Name+"/"+bc.name, func(b *testing.B) {
				workers := runtime.GOMAXPROCS(0)
				target := newTarget(b, impl, impls.Config{Workers: workers, Keys: keys})
				var next atomic.Int64
				ctx := context.Background()
				runXsyncLoop(b, bc.reads, func() func(kind impls.OpKind, key uint64) {
					op := impls.Op{Worker: int(next.Add(1)-1) % workers}
					return func(kind impls.OpKind, key uint64) {
						op.Kind, op.Key = kind, key
						target.Do(ctx, op)
					}
				})
				if err := target.Verify(); err != nil {
					b.Fatal(err)
				}
			})
		}
	}
}

// BenchmarkMapsRaw runs xsync.Map and sync.Map directly, not through a target,
// with the same loop as BenchmarkMaps: xsync's own warmed-up benchmarks
// (BenchmarkMapInt_WarmUp, BenchmarkIntMapStandard_WarmUp) with integer keys.
// The difference from BenchmarkMaps is what the Target face and the ledger add
// per op; the ratio between the two maps is what xsync's BENCHMARKS.md reports.
// "xsync.Map-LoadAndStore" stores with LoadAndStore, as map-xsync does (it needs
// to know whether the key was present), to show what that costs against Store.
func BenchmarkMapsRaw(b *testing.B) {
	const keys = 1000
	for _, bc := range xsyncMapCases {
		for _, impl := range []string{"xsync.Map", "xsync.Map-LoadAndStore", "sync.Map"} {
			b.Run("impl="+impl+"/"+bc.name, func(b *testing.B) {
				var do func(kind impls.OpKind, key uint64)
				switch impl {
				case "sync.Map":
					var m sync.Map
					for k := range uint64(keys) {
						m.Store(k, k)
					}
					do = func(kind impls.OpKind, key uint64) {
						switch kind {
						case impls.OpDelete:
							m.Delete(key)
						case impls.OpWrite:
							m.Store(key, key)
						default:
							if v, ok := m.Load(key); ok {
								_ = v.(uint64)
							}
						}
					}
				default:
					m := xsync.NewMap[uint64, uint64](xsync.WithPresize(keys))
					for k := range uint64(keys) {
						m.Store(k, k)
					}
					swap := impl == "xsync.Map-LoadAndStore"
					do = func(kind impls.OpKind, key uint64) {
						switch {
						case kind == impls.OpDelete:
							m.Delete(key)
						case kind == impls.OpWrite && swap:
							m.LoadAndStore(key, key)
						case kind == impls.OpWrite:
							m.Store(key, key)
						default:
							m.Load(key)
						}
					}
				}
				runXsyncLoop(b, bc.reads, func() func(impls.OpKind, uint64) { return do })
			})
		}
	}
}

// runXsyncLoop is the op loop of xsync's map benchmarks (benchmarkMapIntKeys):
// GOMAXPROCS goroutines, each op a random kind in permille (loads below
// 10·reads, then stores, then deletes, the two halves of the rest) and a uniform
// key in [0, 1000). newDo returns each goroutine's op function. It reports
// cpu-ns/op beside ns/op.
func runXsyncLoop(b *testing.B, reads int, newDo func() func(kind impls.OpKind, key uint64)) {
	storeFrom := uint32(10 * reads)
	deleteFrom := storeFrom + (1000-storeFrom)/2
	cpu0, cpuOK := processCPU()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		do := newDo()
		for pb.Next() {
			kind := impls.OpRead
			switch r := rand.Uint32() % 1000; {
			case r >= deleteFrom:
				kind = impls.OpDelete
			case r >= storeFrom:
				kind = impls.OpWrite
			}
			do(kind, uint64(rand.Uint32()%1000))
		}
	})
	b.StopTimer()
	if cpu1, _ := processCPU(); cpuOK {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
	}
}
