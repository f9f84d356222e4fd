// Package bench runs any implementation as a Go benchmark (go test -bench), so a
// lock, semaphore or rate limiter of your own is measured the way the built-ins
// are, beside them, with the same checks:
//
//	func BenchmarkMine(b *testing.B) {
//		newMine := func(cfg impls.Config) (impls.Target, error) { return locks.NewTarget(new(MyLock), cfg) }
//		w, _ := bench.Find(impls.FamilyLocks, "read-heavy")
//		bench.RunTarget(b, newMine, w, impls.Config{})
//	}
//
// Run and RunTarget drive the target closed-loop from Parallelism goroutines per
// processor, like b.RunParallel with batches sized from b.N, and report
// ns/op beside sampled latency percentiles, p50-ns and p99-ns; RunOpen offers a
// fixed rate instead and reports the response-time percentiles at that rate.
// Every run ends with the target's Verify: a violated invariant fails the
// benchmark.
//
// The metrics' units print better=lower to benchstat and `loadgen compare` when
// a test binary calls PrintUnits from its TestMain.
package bench
