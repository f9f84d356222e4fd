package locks

import (
	"context"

	"github.com/puzpuzpuz/xsync/v4"
	"github.com/syncbench/syncbench/impls"
)

// rbmutexTarget guards the count with xsync's reader-biased RBMutex (BRAVO): a
// read takes a per-reader slot instead of touching a shared reader count, so reads
// scale across cores, at the price of slower writes that must revoke the bias.
type rbmutexTarget struct {
	ledger
	_ pad
	// mu must come from NewRBMutex: a zero RBMutex has no reader slots and
	// silently degrades to a plain RWMutex.
	mu *xsync.RBMutex
	counter
}

func init() {
	impls.Register(impls.Impl{
		Name:    "rbmutex",
		Family:  impls.FamilyLocks,
		Summary: "xsync.RBMutex (reader-biased) around a counter: scalable shared reads, costlier writes",
		New: func(cfg impls.Config) (impls.Target, error) {
			return &rbmutexTarget{ledger: newLedger("rbmutex", cfg.Workers), mu: xsync.NewRBMutex()}, nil
		},
	})
}

// Do ignores ctx: an RBMutex cannot abandon a Lock or RLock.
func (t *rbmutexTarget) Do(ctx context.Context, op impls.Op) impls.Outcome {
	var v int64
	if op.Kind == impls.OpWrite {
		t.mu.Lock()
		v = t.apply(op)
		criticalSection(ctx, op)
		t.mu.Unlock()
	} else {
		token := t.mu.RLock()
		v = t.apply(op)
		criticalSection(ctx, op)
		t.mu.RUnlock(token)
	}
	t.settle(op, v)
	return impls.OK
}

func (t *rbmutexTarget) Verify() error { return t.verifyCount(t.n) }
func (t *rbmutexTarget) Close() error  { return nil }
