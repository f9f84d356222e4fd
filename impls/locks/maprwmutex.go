package locks

import (
	"context"
	"maps"
	"sync"

	"github.com/syncbench/syncbench/impls"
)

// mapRWMutexTarget is a plain map behind a sync.RWMutex: loads share the lock,
// stores and deletes take it exclusively.
type mapRWMutexTarget struct {
	mapLedger
	_  pad
	mu sync.RWMutex
	mapEntries
}

func init() {
	impls.Register(impls.Impl{
		Name:        "map-rwmutex",
		Family:      impls.FamilyLocks,
		DefaultKeys: DefaultMapKeys,
		Summary:     "map[uint64]uint64 behind a sync.RWMutex, filled with -keys entries (default 1000): shared loads, exclusive stores and deletes",
		New: func(cfg impls.Config) (impls.Target, error) {
			l, err := newMapLedger("map-rwmutex", newKeySpace(cfg.Keys), cfg.Workers)
			if err != nil {
				return nil, err
			}
			t := &mapRWMutexTarget{mapLedger: l}
			t.mapEntries = newMapEntries(&t.mapLedger)
			return t, nil
		},
	})
}

// Do ignores ctx: a sync.RWMutex cannot abandon a Lock or RLock.
func (t *mapRWMutexTarget) Do(ctx context.Context, op impls.Op) impls.Outcome {
	key := t.keys.of(op.Key)
	var got uint64
	var changed bool
	switch op.Kind {
	case impls.OpWrite, impls.OpDelete:
		var value uint64
		if op.Kind == impls.OpWrite {
			value = t.nextValue(op.Worker, key)
		}
		t.mu.Lock()
		got, changed = t.apply(op, key, value)
		criticalSection(ctx, op)
		t.mu.Unlock()
	default:
		t.mu.RLock()
		got, changed = t.apply(op, key, 0)
		criticalSection(ctx, op)
		t.mu.RUnlock()
	}
	t.settle(op, key, got, changed)
	return impls.OK
}

func (t *mapRWMutexTarget) Verify() error             { return t.verify(maps.All(t.m)) }
func (t *mapRWMutexTarget) Stats() map[string]float64 { return t.stats() }
func (t *mapRWMutexTarget) Close() error              { return nil }
