package locks

import (
	"context"
	"sync"

	"github.com/syncbench/syncbench/impls"
)

// NewTarget adapts a lock of your own to impls.Target with the checks the
// built-in locks have, which mutex and rwmutex get through this same code. The
// target guards a shared count with l: a write (impls.OpWrite) takes l.Lock,
// increments the count, runs the critical section (op.Work of busy CPU, then
// op.Hold asleep) and unlocks; any other op reads the count the same way, under
// l.RLock and l.RUnlock when l also has those methods (as sync.RWMutex does), so
// shared readers are measured as such. Every op is impls.OK: a Locker cannot
// fail or give up.
//
// Each worker's acknowledged writes and the counts its reads saw are kept in a
// ledger, per worker and uncontended, so the check costs the lock nothing it
// would not pay anyway. Verify, after the run, fails with an
// *impls.InvariantError when the count differs from the writes acknowledged (a
// lost update: the lock let two writers in at once) or a worker read a count
// lower than it had read before; loadgen then exits 1. A lock that excludes
// nobody fails it under any contention.
//
// cfg.Workers sizes the ledger; the other fields are ignored. The error is
// always nil today; it is there so a future check of cfg can refuse it. The
// Target is safe for concurrent use as the impls.Target contract requires.
func NewTarget(l sync.Locker, cfg impls.Config) (impls.Target, error) {
	return newLockerTarget("", l, cfg), nil
}

// rLocker is the shared half of a reader/writer lock.
type rLocker interface {
	RLock()
	RUnlock()
}

// lockerTarget guards the count with a sync.Locker, reads with its RLock when it
// has one. name is the implementation's, for invariant errors ("" for a user's
// lock: the run names it).
type lockerTarget struct {
	ledger
	_     pad
	lock  sync.Locker
	rlock rLocker // nil when reads take lock too
	counter
}

func newLockerTarget(name string, l sync.Locker, cfg impls.Config) *lockerTarget {
	t := &lockerTarget{ledger: newLedger(name, cfg.Workers), lock: l}
	t.rlock, _ = l.(rLocker)
	return t
}

// Do ignores ctx: a sync.Locker cannot abandon a Lock.
func (t *lockerTarget) Do(ctx context.Context, op impls.Op) impls.Outcome {
	var v int64
	if op.Kind != impls.OpWrite && t.rlock != nil {
		t.rlock.RLock()
		v = t.apply(op)
		criticalSection(ctx, op)
		t.rlock.RUnlock()
	} else {
		t.lock.Lock()
		v = t.apply(op)
		criticalSection(ctx, op)
		t.lock.Unlock()
	}
	t.settle(op, v)
	return impls.OK
}

// Verify compares the guarded count with the ledger (see NewTarget).
func (t *lockerTarget) Verify() error { return t.verifyCount(t.n) }

// Close does nothing: the target holds nothing but memory.
func (t *lockerTarget) Close() error { return nil }
