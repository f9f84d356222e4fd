package locks

import (
	"context"

	"github.com/puzpuzpuz/xsync/v4"
	"github.com/syncbench/syncbench/impls"
)

// counterXsyncTarget keeps the count in an xsync.Counter, the published striped
// counter that sharded is measured against. It has a power of two of stripes, at
// least GOMAXPROCS; a write CASes the stripe named by a token it takes from a
// sync.Pool (so, roughly, one stripe per P) and draws another stripe at random
// when the CAS fails, where sharded picks the stripe from Op.Worker and never
// retries. A read sums every stripe. Like sharded it has no critical section:
// Op.Work and Op.Hold run after the update without exclusion.
type counterXsyncTarget struct {
	ledger
	c *xsync.Counter
}

func init() {
	impls.Register(impls.Impl{
		Name:    "counter-xsync",
		Family:  impls.FamilyLocks,
		Summary: "xsync.Counter (striped per P, stripe re-drawn on contention): the reference for sharded",
		New: func(cfg impls.Config) (impls.Target, error) {
			return &counterXsyncTarget{ledger: newLedger("counter-xsync", cfg.Workers), c: xsync.NewCounter()}, nil
		},
	})
}

// Do never blocks, so it ignores ctx.
func (t *counterXsyncTarget) Do(ctx context.Context, op impls.Op) impls.Outcome {
	var v int64
	if op.Kind == impls.OpWrite {
		t.c.Inc()
	} else {
		// Not a snapshot, but each stripe only grows, so successive sums by one
		// reader never decrease, which is what the ledger checks.
		v = t.c.Value()
	}
	criticalSection(ctx, op)
	t.settle(op, v)
	return impls.OK
}

func (t *counterXsyncTarget) Verify() error { return t.verifyCount(t.c.Value()) }
func (t *counterXsyncTarget) Close() error  { return nil }
