package bench

import (
	"sync/atomic"
	"testing"
)

// TestParallelRunsExactlyBNIterations: whatever b.N and the goroutine count, the
// batches handed out add up to b.N, every goroutine's body is called once, and
// no batch is empty.
func TestParallelRunsExactlyBNIterations(t *testing.T) {
	for _, goroutines := range []int{1, 3, 8, 64} {
		var runs int
		res := testing.Benchmark(func(b *testing.B) {
			runs++
			var iterations, bodies, empty atomic.Int64
			parallel(b, goroutines, func(claim func() int64) {
				bodies.Add(1)
				for n := claim(); n > 0; n = claim() {
					iterations.Add(n)
				}
				if claim() != 0 {
					empty.Add(1) // a claim after the end must stay 0
				}
			})
			if iterations.Load() != int64(b.N) || bodies.Load() != int64(goroutines) || empty.Load() != 0 {
				t.Errorf("%d goroutines, b.N %d: %d iterations, %d bodies, %d claims after the end not 0",
					goroutines, b.N, iterations.Load(), bodies.Load(), empty.Load())
			}
		})
		if runs == 0 || res.N == 0 {
			t.Fatalf("%d goroutines: the benchmark never ran", goroutines)
		}
	}
}
