package bench

import (
	"testing"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/workloads"
)

// bench places its writes as loadgen's driver does (workloads.KindOrder, tested
// against the driver's generator there), not every n-th op: at one write in
// 1000 the writes of a seed and worker are where loadgen puts them.
func TestTheBenchOrderOfKindsIsLoadgens(t *testing.T) {
	t.Parallel()
	w := Workload{ReadRatio: 0.999}
	if !w.mixed() {
		t.Fatal("a 0.999 read share is not a mix")
	}
	for _, worker := range []int{0, 5} {
		got, want := w.kindOrder(3, worker), workloads.NewKindOrder(0.999, 3, worker)
		periodic := true
		for i := range 4000 {
			k := got.Next()
			if k != want.Next() {
				t.Fatalf("worker %d, op %d: bench dealt %v, loadgen's order another kind", worker, i, k)
			}
			if (k == impls.OpWrite) != (i%1000 == 0) {
				periodic = false
			}
		}
		if periodic {
			t.Fatalf("worker %d: writes at every 1000th op, bench's old placement", worker)
		}
	}
}
