package locks

import (
	"context"

	"github.com/puzpuzpuz/xsync/v4"
	"github.com/syncbench/syncbench/impls"
)

// mapXsyncTarget is an xsync.Map (a cache-line hash table) from uint64 to uint64,
// presized and filled with every key at construction, as xsync's own warmed-up
// benchmarks do. Loads take no lock and write nothing to shared memory; a store
// or delete locks the key's bucket.
//
// A store is LoadAndStore rather than Store, and a delete LoadAndDelete (which is
// what Delete runs). xsync's Store takes a shorter path that does not report
// whether the key was present, and the ledger needs to know that to keep the
// entry count exact; LoadAndStore hashes and locks the same way but goes through
// the general compute path, which costs a store a few nanoseconds more (see the
// map figures in docs/measurements.md). Op.Work and Op.Hold run after the map op without
// exclusion.
type mapXsyncTarget struct {
	mapLedger
	m *xsync.Map[uint64, uint64]
}

func init() {
	impls.Register(impls.Impl{
		Name:        "map-xsync",
		Family:      impls.FamilyLocks,
		DefaultKeys: DefaultMapKeys,
		Summary:     "xsync.Map of uint64 → uint64, filled with -keys entries (default 1000) (work runs without exclusion)",
		New: func(cfg impls.Config) (impls.Target, error) {
			keys := newKeySpace(cfg.Keys)
			l, err := newMapLedger("map-xsync", keys, cfg.Workers)
			if err != nil {
				return nil, err
			}
			t := &mapXsyncTarget{mapLedger: l, m: xsync.NewMap[uint64, uint64](xsync.WithPresize(int(keys)))}
			t.fill(t.m.Store)
			return t, nil
		},
	})
}

// Do never blocks, so it ignores ctx.
func (t *mapXsyncTarget) Do(ctx context.Context, op impls.Op) impls.Outcome {
	key := t.keys.of(op.Key)
	switch op.Kind {
	case impls.OpWrite:
		prev, loaded := t.m.LoadAndStore(key, t.nextValue(op.Worker, key))
		criticalSection(ctx, op)
		if loaded {
			t.handedBack(op.Worker, key, prev)
		}
		t.stored(op.Worker, key, !loaded)
	case impls.OpDelete:
		prev, loaded := t.m.LoadAndDelete(key)
		criticalSection(ctx, op)
		if loaded {
			t.handedBack(op.Worker, key, prev)
		}
		t.deleted(op.Worker, key, loaded)
	default:
		v, found := t.m.Load(key)
		criticalSection(ctx, op)
		t.loaded(op.Worker, key, v, found)
	}
	return impls.OK
}

func (t *mapXsyncTarget) Verify() error             { return t.verify(t.m.All()) }
func (t *mapXsyncTarget) Stats() map[string]float64 { return t.stats() }
func (t *mapXsyncTarget) Close() error              { return nil }
