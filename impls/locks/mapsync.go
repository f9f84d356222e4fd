package locks

import (
	"context"
	"sync"

	"github.com/syncbench/syncbench/impls"
)

// mapSyncTarget is a sync.Map from uint64 to uint64, filled with every key at
// construction. A store is Swap and a delete LoadAndDelete: they are what
// sync.Map's Store and Delete run internally, and they also say whether an entry
// was there, which the ledger needs. Boxing the key and the value into interfaces
// allocates on most stores; that is the real cost of sync.Map with integer keys
// and values, and part of what it measures. No lock: Op.Work and Op.Hold run after
// the map op without exclusion.
type mapSyncTarget struct {
	mapLedger
	m sync.Map // uint64 → uint64
}

func init() {
	impls.Register(impls.Impl{
		Name:        "map-sync",
		Family:      impls.FamilyLocks,
		DefaultKeys: DefaultMapKeys,
		Summary:     "sync.Map of uint64 → uint64, filled with -keys entries (default 1000) (work runs without exclusion)",
		New: func(cfg impls.Config) (impls.Target, error) {
			l, err := newMapLedger("map-sync", newKeySpace(cfg.Keys), cfg.Workers)
			if err != nil {
				return nil, err
			}
			t := &mapSyncTarget{mapLedger: l}
			t.fill(func(key, value uint64) { t.m.Store(key, value) })
			return t, nil
		},
	})
}

// Do never blocks, so it ignores ctx.
func (t *mapSyncTarget) Do(ctx context.Context, op impls.Op) impls.Outcome {
	key := t.keys.of(op.Key)
	switch op.Kind {
	case impls.OpWrite:
		prev, loaded := t.m.Swap(key, t.nextValue(op.Worker, key))
		criticalSection(ctx, op)
		if loaded {
			t.handedBack(op.Worker, key, prev.(uint64))
		}
		t.stored(op.Worker, key, !loaded)
	case impls.OpDelete:
		prev, loaded := t.m.LoadAndDelete(key)
		criticalSection(ctx, op)
		if loaded {
			t.handedBack(op.Worker, key, prev.(uint64))
		}
		t.deleted(op.Worker, key, loaded)
	default:
		boxed, found := t.m.Load(key)
		criticalSection(ctx, op)
		var v uint64
		if found {
			v = boxed.(uint64)
		}
		t.loaded(op.Worker, key, v, found)
	}
	return impls.OK
}

func (t *mapSyncTarget) Verify() error {
	return t.verify(func(yield func(uint64, uint64) bool) {
		t.m.Range(func(k, v any) bool { return yield(k.(uint64), v.(uint64)) })
	})
}

func (t *mapSyncTarget) Stats() map[string]float64 { return t.stats() }
func (t *mapSyncTarget) Close() error              { return nil }
