package locks

import (
	"context"

	"github.com/puzpuzpuz/xsync/v4"
	"github.com/syncbench/syncbench/impls"
)

// mapXsyncTarget is the read-mostly cache as an xsync.Map (a cache-line hash
// table): lookups take no lock and write nothing to shared memory, and an
// increment is one atomic Compute under the key's bucket lock. Op.Work and
// Op.Hold run after the map op without exclusion.
type mapXsyncTarget struct {
	ledger
	keys keySpace
	m    *xsync.Map[uint64, int64]
}

func init() {
	impls.Register(impls.Impl{
		Name:    "map-xsync",
		Family:  impls.FamilyLocks,
		Summary: "xsync.Map of per-key counters, increments by atomic Compute (work runs without exclusion)",
		New: func(cfg impls.Config) (impls.Target, error) {
			keys := newKeySpace(cfg.Keys)
			return &mapXsyncTarget{
				ledger: newLedger("map-xsync", cfg.Workers),
				keys:   keys,
				m:      xsync.NewMap[uint64, int64](xsync.WithPresize(keys.presize())),
			}, nil
		},
	})
}

// incrementCount is the Compute callback of a write. It is a package-level func
// capturing nothing, so passing it allocates no closure.
func incrementCount(old int64, _ bool) (int64, xsync.ComputeOp) {
	return old + 1, xsync.UpdateOp
}

// Do never blocks, so it ignores ctx.
func (t *mapXsyncTarget) Do(_ context.Context, op impls.Op) impls.Outcome {
	key := t.keys.of(op)
	var v int64
	found := true
	if op.Kind == impls.OpWrite {
		t.m.Compute(key, incrementCount)
	} else {
		v, found = t.m.Load(key)
	}
	criticalSection(op)
	t.settleEntry(op, key, v, found)
	return impls.OK
}

func (t *mapXsyncTarget) Verify() error { return t.verifyEntries(t.m.All()) }
func (t *mapXsyncTarget) Close() error  { return nil }
