package locks

import "sync/atomic"

// cacheLine is the unit that keeps independently written words on separate cache
// lines. It is 128 rather than 64 bytes because x86's spatial prefetcher pulls
// 64-byte lines in adjacent pairs, so counters only 64 bytes apart still bounce
// between cores.
const cacheLine = 128

// pad separates a target's read-mostly fields (the ledger's slice header) from its
// contended lock and state, so every write to the lock does not also evict the
// ledger header from the other cores' caches.
type pad [cacheLine]byte

// paddedInt64 is an atomic counter alone on its cache line (a stripe of sharded).
type paddedInt64 struct {
	atomic.Int64
	_ [cacheLine - 8]byte
}
