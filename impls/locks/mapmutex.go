package locks

import (
	"context"
	"maps"
	"sync"

	"github.com/syncbench/syncbench/impls"
)

// mapMutexTarget is the read-mostly cache as a plain map behind a sync.Mutex:
// every lookup is exclusive.
type mapMutexTarget struct {
	ledger
	keys keySpace
	_    pad
	mu   sync.Mutex
	keyCounts
}

func init() {
	impls.Register(impls.Impl{
		Name:    "map-mutex",
		Family:  impls.FamilyLocks,
		Summary: "map of per-key counters behind a sync.Mutex (reads exclusive too)",
		New: func(cfg impls.Config) (impls.Target, error) {
			keys := newKeySpace(cfg.Keys)
			return &mapMutexTarget{
				ledger:    newLedger("map-mutex", cfg.Workers),
				keys:      keys,
				keyCounts: newKeyCounts(keys),
			}, nil
		},
	})
}

// Do ignores ctx: a sync.Mutex cannot abandon a Lock.
func (t *mapMutexTarget) Do(_ context.Context, op impls.Op) impls.Outcome {
	key := t.keys.of(op)
	t.mu.Lock()
	v, found := t.apply(op, key)
	criticalSection(op)
	t.mu.Unlock()
	t.settleEntry(op, key, v, found)
	return impls.OK
}

func (t *mapMutexTarget) Verify() error { return t.verifyEntries(maps.All(t.m)) }
func (t *mapMutexTarget) Close() error  { return nil }
