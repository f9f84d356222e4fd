package locks

import (
	"context"
	"sync/atomic"

	"github.com/syncbench/syncbench/impls"
)

// atomicTarget keeps the count in an atomic.Int64: no lock at all. Op.Work and
// Op.Hold run after the update without any exclusion, so it measures the cost of
// the atomic alone; it is the answer when the shared state is one word.
type atomicTarget struct {
	ledger
	_ pad
	n atomic.Int64
}

func init() {
	impls.Register(impls.Impl{
		Name:    "atomic",
		Family:  impls.FamilyLocks,
		Summary: "atomic.Int64 Load/Add, no lock (work runs without exclusion)",
		New: func(cfg impls.Config) (impls.Target, error) {
			return &atomicTarget{ledger: newLedger("atomic", cfg.Workers)}, nil
		},
	})
}

// Do never blocks, so it ignores ctx.
func (t *atomicTarget) Do(ctx context.Context, op impls.Op) impls.Outcome {
	var v int64
	if op.Kind == impls.OpWrite {
		v = t.n.Add(1)
	} else {
		v = t.n.Load()
	}
	criticalSection(ctx, op)
	t.settle(op, v)
	return impls.OK
}

func (t *atomicTarget) Verify() error { return t.verifyCount(t.n.Load()) }
func (t *atomicTarget) Close() error  { return nil }
