package locks

import (
	"context"
	"runtime"
	"sync/atomic"

	"github.com/syncbench/syncbench/impls"
)

// casspinTarget guards the count with a hand-rolled spin lock: a compare-and-swap
// on a flag, yielding the processor between attempts. It shows what sync.Mutex's
// parking and handoff buy (and cost) against naive spinning, which degrades badly
// once goroutines outnumber processors.
type casspinTarget struct {
	ledger
	_    pad
	held atomic.Bool
	counter
}

func init() {
	impls.Register(impls.Impl{
		Name:    "casspin",
		Family:  impls.FamilyLocks,
		Summary: "CAS spin lock yielding with runtime.Gosched: exclusive, no parking",
		New: func(cfg impls.Config) (impls.Target, error) {
			return &casspinTarget{ledger: newLedger("casspin", cfg.Workers)}, nil
		},
	})
}

// Do returns impls.Timeout, leaving the count alone, if ctx is done while it
// waits for the lock; an uncontended acquire never looks at ctx.
func (t *casspinTarget) Do(ctx context.Context, op impls.Op) impls.Outcome {
	if !t.held.CompareAndSwap(false, true) && !t.spin(ctx) {
		return impls.Timeout
	}
	v := t.apply(op)
	criticalSection(ctx, op)
	t.held.Store(false)
	t.settle(op, v)
	return impls.OK
}

// spin waits for the lock and reports whether it took it (false: ctx ended
// first). It reads before it swaps (test-and-test-and-set) so waiters share the
// flag's cache line instead of stealing it from the holder on every attempt.
func (t *casspinTarget) spin(ctx context.Context) bool {
	done := ctx.Done()
	for {
		runtime.Gosched()
		select {
		case <-done:
			return false
		default:
		}
		if !t.held.Load() && t.held.CompareAndSwap(false, true) {
			return true
		}
	}
}

func (t *casspinTarget) Verify() error { return t.verifyCount(t.n) }
func (t *casspinTarget) Close() error  { return nil }
