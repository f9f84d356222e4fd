package bench_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/syncbench/syncbench/bench"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/locks"
)

// ExampleRunTarget benchmarks a lock of your own under the locks' read-heavy
// workload. In a _test.go file it is a benchmark function:
//
//	func BenchmarkMyLock(b *testing.B) { bench.RunTarget(b, newMyLock, w, impls.Config{}) }
//
// Here testing.Benchmark runs it, to show what it reports.
func ExampleRunTarget() {
	newMyLock := func(cfg impls.Config) (impls.Target, error) { return locks.NewTarget(&sync.RWMutex{}, cfg) }
	w, _ := bench.Find(impls.FamilyLocks, "read-heavy")
	res := testing.Benchmark(func(b *testing.B) { bench.RunTarget(b, newMyLock, w, impls.Config{}) })
	fmt.Println(res.N > 0, res.Extra["p50-ns"] > 0, res.Extra["p99-ns"] >= res.Extra["p50-ns"])
	// Output: true true true
}

// ExampleRun benchmarks a registered implementation by name, as the module's
// root bench_test.go does for every one.
func ExampleRun() {
	mutex, _ := impls.Lookup("mutex")
	res := testing.Benchmark(func(b *testing.B) { bench.Run(b, mutex, "write", impls.Config{}) })
	fmt.Println(res.N > 0)
	// Output: true
}

// ExampleRunOpen measures the response time of a lock offered 5000 ops/s,
// rather than how fast it goes flat out.
func ExampleRunOpen() {
	newLock := func(cfg impls.Config) (impls.Target, error) { return locks.NewTarget(&sync.Mutex{}, cfg) }
	w, _ := bench.Find(impls.FamilyLocks, "write")
	res := testing.Benchmark(func(b *testing.B) { bench.RunOpen(b, newLock, w, impls.Config{}, 5000) })
	fmt.Println(res.Extra["p99-ns"] > 0, res.Extra["achieved-ops/s"] > 0)
	// Output: true true
}
