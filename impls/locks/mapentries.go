package locks

import "github.com/syncbench/syncbench/impls"

// mapEntries is the state the locked map targets guard: a plain Go map from key to
// value, filled with every key at construction. It is not safe for concurrent
// use; the lock around it is the point.
type mapEntries struct {
	m map[uint64]uint64
}

func newMapEntries(l *mapLedger) mapEntries {
	e := mapEntries{m: make(map[uint64]uint64, int(l.keys))}
	l.fill(func(key, value uint64) { e.m[key] = value })
	return e
}

// apply performs op on key and returns what the ledger needs: a load's value and
// whether it was found, or whether a store inserted (rather than overwrote) or a
// delete removed an entry. Insertion and removal are read off the map's length,
// which costs nothing, rather than with a second lookup that the plain map op
// would not make. value is what a store writes. The caller holds the lock, shared
// at most for loads.
func (e mapEntries) apply(op impls.Op, key, value uint64) (got uint64, changed bool) {
	switch op.Kind {
	case impls.OpWrite:
		n := len(e.m)
		e.m[key] = value
		return 0, len(e.m) != n
	case impls.OpDelete:
		n := len(e.m)
		delete(e.m, key)
		return 0, len(e.m) != n
	default:
		got, found := e.m[key]
		return got, found
	}
}
