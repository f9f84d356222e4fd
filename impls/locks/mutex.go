package locks

import (
	"context"
	"sync"

	"github.com/syncbench/syncbench/impls"
)

// mutexTarget guards the count with a sync.Mutex: reads and writes alike are
// exclusive. It is the baseline every other lock is compared with.
type mutexTarget struct {
	ledger
	_  pad
	mu sync.Mutex
	counter
}

func init() {
	impls.Register(impls.Impl{
		Name:    "mutex",
		Family:  impls.FamilyLocks,
		Summary: "sync.Mutex around a counter: reads and writes both exclusive",
		New: func(cfg impls.Config) (impls.Target, error) {
			return &mutexTarget{ledger: newLedger("mutex", cfg.Workers)}, nil
		},
	})
}

// Do ignores ctx: a sync.Mutex cannot abandon a Lock.
func (t *mutexTarget) Do(_ context.Context, op impls.Op) impls.Outcome {
	t.mu.Lock()
	v := t.apply(op)
	criticalSection(op)
	t.mu.Unlock()
	t.settle(op, v)
	return impls.OK
}

func (t *mutexTarget) Verify() error { return t.verifyCount(t.n) }
func (t *mutexTarget) Close() error  { return nil }
