package locks

import "github.com/syncbench/syncbench/impls"

// keyCounts is the keyed state the locked map targets guard: a counter per key,
// created at 1 by the key's first write. It is not safe for concurrent use; the
// lock around it is the point.
type keyCounts struct {
	m map[uint64]int64
}

func newKeyCounts(keys keySpace) keyCounts {
	return keyCounts{m: make(map[uint64]int64, keys.presize())}
}

// apply performs op on key (a write increments its counter, anything else looks
// it up) and returns the counter the op saw and whether the key was present. The
// caller holds the lock, shared for reads at most.
func (c keyCounts) apply(op impls.Op, key uint64) (int64, bool) {
	if op.Kind == impls.OpWrite {
		c.m[key]++
		return 0, true // the caller does not look at a write's result
	}
	v, found := c.m[key]
	return v, found
}
