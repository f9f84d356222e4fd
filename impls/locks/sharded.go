package locks

import (
	"context"
	"math/bits"
	"runtime"

	"github.com/syncbench/syncbench/impls"
)

// shardedTarget keeps the count as a striped counter: each write adds to the
// stripe of its worker, each read sums every stripe. Writers on different stripes
// never share a cache line, so writes scale; reads pay for it by touching every
// stripe. Like atomic it has no critical section: Op.Work and Op.Hold run after
// the update without exclusion.
type shardedTarget struct {
	ledger
	mask    int
	stripes []paddedInt64
}

func init() {
	impls.Register(impls.Impl{
		Name:    "sharded",
		Family:  impls.FamilyLocks,
		Summary: "cache-line-padded striped atomic counter: writes to the worker's stripe, reads sum all stripes",
		New: func(cfg impls.Config) (impls.Target, error) {
			n := stripeCount(cfg.Workers, runtime.GOMAXPROCS(0))
			return &shardedTarget{
				ledger:  newLedger("sharded", cfg.Workers),
				mask:    n - 1,
				stripes: make([]paddedInt64, n),
			}, nil
		},
	})
}

// stripeCount returns the number of stripes for workers goroutines on procs
// processors: a power of two (so a worker's stripe is a mask, not a division) of
// at least twice procs, because at most procs writers run at once and the slack
// makes two running workers landing on one stripe unlikely; but never more than
// the workers need, since every stripe makes each read dearer.
func stripeCount(workers, procs int) int {
	want := min(max(workers, 1), 2*max(procs, 1))
	return 1 << bits.Len(uint(want-1))
}

// Do never blocks, so it ignores ctx.
func (t *shardedTarget) Do(ctx context.Context, op impls.Op) impls.Outcome {
	var v int64
	if op.Kind == impls.OpWrite {
		t.stripes[op.Worker&t.mask].Add(1)
	} else {
		v = t.sum()
	}
	criticalSection(ctx, op)
	t.settle(op, v)
	return impls.OK
}

// sum adds up the stripes. It is not a snapshot (stripes move while it reads), but
// each stripe only grows, so successive sums by one reader never decrease.
func (t *shardedTarget) sum() int64 {
	var total int64
	for i := range t.stripes {
		total += t.stripes[i].Load()
	}
	return total
}

func (t *shardedTarget) Verify() error { return t.verifyCount(t.sum()) }
func (t *shardedTarget) Close() error  { return nil }
