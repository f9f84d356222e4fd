package locks

import (
	"context"
	"sync"

	"github.com/syncbench/syncbench/impls"
)

// mapSyncTarget is the read-mostly cache as a sync.Map holding immutable int64
// counts. A write replaces the key's count with a compare-and-swap loop, so
// concurrent increments of one key retry instead of losing updates. Boxing the
// key and the new count into interfaces allocates on most ops; that is the real
// cost of sync.Map with integer keys and values, and part of what it measures.
// No lock: Op.Work and Op.Hold run after the map op without exclusion.
type mapSyncTarget struct {
	ledger
	keys keySpace
	m    sync.Map // uint64 → int64
}

func init() {
	impls.Register(impls.Impl{
		Name:    "map-sync",
		Family:  impls.FamilyLocks,
		Summary: "sync.Map of per-key counters, increments by Load/CompareAndSwap loop (work runs without exclusion)",
		New: func(cfg impls.Config) (impls.Target, error) {
			return &mapSyncTarget{ledger: newLedger("map-sync", cfg.Workers), keys: newKeySpace(cfg.Keys)}, nil
		},
	})
}

// Do never blocks, so it ignores ctx.
func (t *mapSyncTarget) Do(_ context.Context, op impls.Op) impls.Outcome {
	key := t.keys.of(op)
	var v int64
	found := true
	if op.Kind == impls.OpWrite {
		t.increment(key)
	} else {
		var boxed any
		if boxed, found = t.m.Load(key); found {
			v = boxed.(int64)
		}
	}
	criticalSection(op)
	t.settleEntry(op, key, v, found)
	return impls.OK
}

// increment adds one to key's count. Each attempt swaps only if the count is still
// the one it read; the count only grows, so a matching value means no other
// increment slipped in between (no ABA).
func (t *mapSyncTarget) increment(key uint64) {
	for {
		old, found := t.m.Load(key)
		if !found {
			if _, raced := t.m.LoadOrStore(key, int64(1)); !raced {
				return
			}
			continue // another writer created it first: increment theirs
		}
		if t.m.CompareAndSwap(key, old, old.(int64)+1) {
			return
		}
	}
}

func (t *mapSyncTarget) Verify() error {
	return t.verifyEntries(func(yield func(uint64, int64) bool) {
		t.m.Range(func(k, v any) bool { return yield(k.(uint64), v.(int64)) })
	})
}

func (t *mapSyncTarget) Close() error { return nil }
