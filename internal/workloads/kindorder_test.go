package workloads

import (
	"testing"

	"github.com/syncbench/syncbench/impls"
)

// The driver's workers and KindOrder (bench's placement) deal the same kinds
// in the same order for a seed and worker, and the mix exactly per deck.
func TestKindOrderDealsTheDriversSequence(t *testing.T) {
	t.Parallel()
	for _, ratio := range []float64{0.999, 0.9, 0.5, 1, 0} {
		spec := DefaultSpec()
		spec.Mix, spec.Seed = ReadRatioMix(ratio), 7
		pool := kindPoolFor(spec)
		for _, w := range []int{0, 3} {
			gen := newOpGenerator(spec, w, pool)
			order := NewKindOrder(ratio, 7, w)
			writes := 0
			for i := range 5000 {
				want, got := gen.next().Kind, order.Next()
				if got != want {
					t.Fatalf("read ratio %v, worker %d, op %d: KindOrder dealt %v, the driver %v", ratio, w, i, got, want)
				}
				if got == impls.OpWrite {
					writes++
				}
			}
			if ratio == 0.999 && writes != 5 {
				t.Fatalf("read ratio 0.999: %d writes in 5000 ops (five decks of 1000), want 5", writes)
			}
		}
	}
}
