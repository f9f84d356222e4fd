package locks

import (
	"context"
	"maps"
	"sync"

	"github.com/syncbench/syncbench/impls"
)

// mapMutexTarget is a plain map behind a sync.Mutex: loads, stores and deletes
// are all exclusive.
type mapMutexTarget struct {
	mapLedger
	_  pad
	mu sync.Mutex
	mapEntries
}

func init() {
	impls.Register(impls.Impl{
		Name:        "map-mutex",
		Family:      impls.FamilyLocks,
		DefaultKeys: DefaultMapKeys,
		Summary:     "map[uint64]uint64 behind a sync.Mutex, filled with -keys entries (default 1000) (loads exclusive too)",
		New: func(cfg impls.Config) (impls.Target, error) {
			l, err := newMapLedger("map-mutex", newKeySpace(cfg.Keys), cfg.Workers)
			if err != nil {
				return nil, err
			}
			t := &mapMutexTarget{mapLedger: l}
			t.mapEntries = newMapEntries(&t.mapLedger)
			return t, nil
		},
	})
}

// Do ignores ctx: a sync.Mutex cannot abandon a Lock.
func (t *mapMutexTarget) Do(ctx context.Context, op impls.Op) impls.Outcome {
	key := t.keys.of(op.Key)
	var value uint64
	if op.Kind == impls.OpWrite {
		value = t.nextValue(op.Worker, key)
	}
	t.mu.Lock()
	got, changed := t.apply(op, key, value)
	criticalSection(ctx, op)
	t.mu.Unlock()
	t.settle(op, key, got, changed)
	return impls.OK
}

func (t *mapMutexTarget) Verify() error             { return t.verify(maps.All(t.m)) }
func (t *mapMutexTarget) Stats() map[string]float64 { return t.stats() }
func (t *mapMutexTarget) Close() error              { return nil }
