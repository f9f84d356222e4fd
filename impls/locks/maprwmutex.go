package locks

import (
	"context"
	"maps"
	"sync"

	"github.com/syncbench/syncbench/impls"
)

// mapRWMutexTarget is the read-mostly cache as a plain map behind a
// sync.RWMutex: lookups share the lock, increments take it exclusively.
type mapRWMutexTarget struct {
	ledger
	keys keySpace
	_    pad
	mu   sync.RWMutex
	keyCounts
}

func init() {
	impls.Register(impls.Impl{
		Name:    "map-rwmutex",
		Family:  impls.FamilyLocks,
		Summary: "map of per-key counters behind a sync.RWMutex: shared lookups, exclusive increments",
		New: func(cfg impls.Config) (impls.Target, error) {
			keys := newKeySpace(cfg.Keys)
			return &mapRWMutexTarget{
				ledger:    newLedger("map-rwmutex", cfg.Workers),
				keys:      keys,
				keyCounts: newKeyCounts(keys),
			}, nil
		},
	})
}

// Do ignores ctx: a sync.RWMutex cannot abandon a Lock or RLock.
func (t *mapRWMutexTarget) Do(_ context.Context, op impls.Op) impls.Outcome {
	key := t.keys.of(op)
	var v int64
	var found bool
	if op.Kind == impls.OpWrite {
		t.mu.Lock()
		v, found = t.apply(op, key)
		criticalSection(op)
		t.mu.Unlock()
	} else {
		t.mu.RLock()
		v, found = t.apply(op, key)
		criticalSection(op)
		t.mu.RUnlock()
	}
	t.settleEntry(op, key, v, found)
	return impls.OK
}

func (t *mapRWMutexTarget) Verify() error { return t.verifyEntries(maps.All(t.m)) }
func (t *mapRWMutexTarget) Close() error  { return nil }
