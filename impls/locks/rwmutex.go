package locks

import (
	"context"
	"sync"

	"github.com/syncbench/syncbench/impls"
)

// rwmutexTarget guards the count with a sync.RWMutex, so reads run in parallel
// with each other and only writes are exclusive.
type rwmutexTarget struct {
	ledger
	_  pad
	mu sync.RWMutex
	counter
}

func init() {
	impls.Register(impls.Impl{
		Name:    "rwmutex",
		Family:  impls.FamilyLocks,
		Summary: "sync.RWMutex around a counter: shared reads, exclusive writes",
		New: func(cfg impls.Config) (impls.Target, error) {
			return &rwmutexTarget{ledger: newLedger("rwmutex", cfg.Workers)}, nil
		},
	})
}

// Do ignores ctx: a sync.RWMutex cannot abandon a Lock or RLock.
func (t *rwmutexTarget) Do(_ context.Context, op impls.Op) impls.Outcome {
	var v int64
	if op.Kind == impls.OpWrite {
		t.mu.Lock()
		v = t.apply(op)
		criticalSection(op)
		t.mu.Unlock()
	} else {
		t.mu.RLock()
		v = t.apply(op)
		criticalSection(op)
		t.mu.RUnlock()
	}
	t.settle(op, v)
	return impls.OK
}

func (t *rwmutexTarget) Verify() error { return t.verifyCount(t.n) }
func (t *rwmutexTarget) Close() error  { return nil }
