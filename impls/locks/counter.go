package locks

import "github.com/syncbench/syncbench/impls"

// counter is the unkeyed state the lock targets guard: a count of the writes
// performed. It is not safe for concurrent use; the lock around it is the point.
type counter struct {
	n int64
}

// apply performs op on the count (a write increments it, anything else reads it)
// and returns the count the op saw. The caller holds the lock.
func (c *counter) apply(op impls.Op) int64 {
	if op.Kind == impls.OpWrite {
		c.n++
	}
	return c.n
}
