package bench

import (
	"sync"
	"sync/atomic"
	"testing"
)

// parallel runs body on goroutines goroutines until b.N iterations are done in
// all, as b.RunParallel does, but hands the iterations out in batches sized
// from b.N itself. RunParallel sizes its batches from the benchmark's previous
// run; with a count benchtime (-benchtime 5000000x, as scripts/regress.sh uses)
// that run is a single op, so it hands out a few ops per atomic add on a
// counter every goroutine shares, and that add's contention is measured with
// the target (atomic read-heavy at -cpu 2: 23 against 10 ns/op, and "atomic
// slows down from 1 to 2 cores", which it does not).
//
// claim, given to body, returns the size of body's next batch of iterations, 0
// when all are handed out: a call per batch, so the per-op loop is body's own.
// Each body runs on its own goroutine and is called once; parallel returns
// when every body has.
func parallel(b *testing.B, goroutines int, body func(claim func() int64)) {
	n := int64(b.N)
	// ~64 batches per goroutine balance the load; 10⁴ ops bound a batch, as
	// RunParallel does.
	batch := min(max(n/int64(goroutines*64), 1), 10_000)
	var claimed atomic.Int64
	claim := func() int64 {
		end := claimed.Add(batch)
		return max(min(end, n)-(end-batch), 0)
	}
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() { body(claim) })
	}
	wg.Wait()
}
