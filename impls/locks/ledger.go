package locks

import (
	"fmt"
	"iter"

	"github.com/syncbench/syncbench/impls"
)

// ledger records, per worker, what a target told its callers: the writes it
// acknowledged and what their reads saw. Verify compares it with the guarded state.
//
// Slots are plain integers, not atomics: the Target contract gives each worker
// index to one Do call at a time and calls Verify only after every Do has returned
// (the driver runs each worker on its own goroutine and joins them), so a slot has
// a single writer and the join orders it before Verify. Keeping them plain makes
// the bookkeeping a cache-local increment that barely shows in the measurements;
// the race detector flags any caller that breaks the contract.
type ledger struct {
	impl  string
	slots []workerSlot
}

// workerSlot is one worker's share of the ledger, alone on its cache line so that
// workers counting in parallel never contend.
type workerSlot struct {
	writes    int64  // writes acknowledged with impls.OK
	keySum    uint64 // sum of mixKey(key) over acknowledged keyed writes, wrapping
	lastRead  int64  // highest count this worker has read (unkeyed targets)
	anomalies int64  // reads that contradicted the invariant
	_         [cacheLine - 32]byte
}

// newLedger returns a ledger for impl with one slot per worker (at least one).
func newLedger(impl string, workers int) ledger {
	return ledger{impl: impl, slots: make([]workerSlot, max(workers, 1))}
}

// slot returns worker's slot; a worker outside [0, Config.Workers) is a driver bug
// and panics with a message that says so.
func (l *ledger) slot(worker int) *workerSlot {
	if uint(worker) >= uint(len(l.slots)) {
		workerOutOfRange(worker, len(l.slots))
	}
	return &l.slots[worker]
}

func workerOutOfRange(worker, workers int) {
	panic(fmt.Sprintf("locks: Op.Worker %d outside [0, %d) (Config.Workers)", worker, workers))
}

// ackWrite records one acknowledged write to the unkeyed state.
func (l *ledger) ackWrite(worker int) {
	l.slot(worker).writes++
}

// ackKeyedWrite records one acknowledged increment of key's counter.
func (l *ledger) ackKeyedWrite(worker int, key uint64) {
	s := l.slot(worker)
	s.writes++
	s.keySum += mixKey(key)
}

// settle books a finished unkeyed op that returned the count v: a write is
// acknowledged, a read is checked against the worker's previous reads, because the
// count only grows and a worker's reads are ordered.
func (l *ledger) settle(op impls.Op, v int64) {
	s := l.slot(op.Worker)
	switch {
	case op.Kind == impls.OpWrite:
		s.writes++
	case v > s.lastRead:
		s.lastRead = v
	case v < s.lastRead:
		s.anomalies++
	}
}

// settleEntry books a finished keyed op on key: a write is acknowledged; a read
// that found an entry must have found a count of at least 1, since entries are
// only ever created by an increment.
func (l *ledger) settleEntry(op impls.Op, key uint64, v int64, found bool) {
	if op.Kind == impls.OpWrite {
		l.ackKeyedWrite(op.Worker, key)
		return
	}
	if found && v <= 0 {
		l.slot(op.Worker).anomalies++
	}
}

// totals sums the slots: acknowledged writes, their key fingerprint, and anomalous
// reads. Only meaningful once no Do is running.
func (l *ledger) totals() (writes int64, keySum uint64, anomalies int64) {
	for i := range l.slots {
		s := &l.slots[i]
		writes += s.writes
		keySum += s.keySum
		anomalies += s.anomalies
	}
	return writes, keySum, anomalies
}

// verifyCount checks an unkeyed target whose guarded count is got.
func (l *ledger) verifyCount(got int64) error {
	writes, _, anomalies := l.totals()
	if got != writes {
		return l.violation("guarded count is %d but %d writes were acknowledged (%s)",
			got, writes, discrepancy(got, writes))
	}
	if anomalies > 0 {
		return l.violation("%d reads saw the count lower than the same worker had read before", anomalies)
	}
	return nil
}

// verifyEntries checks a keyed target whose map holds entries (key, count).
func (l *ledger) verifyEntries(entries iter.Seq2[uint64, int64]) error {
	var total int64
	var keySum uint64
	keys := 0
	for key, count := range entries {
		if count <= 0 {
			return l.violation("key %d holds count %d, but entries are only created by an increment", key, count)
		}
		total += count
		keySum += uint64(count) * mixKey(key)
		keys++
	}
	writes, wantSum, anomalies := l.totals()
	if total != writes {
		return l.violation("counters of %d keys sum to %d but %d writes were acknowledged (%s)",
			keys, total, writes, discrepancy(total, writes))
	}
	if keySum != wantSum {
		return l.violation("counters of %d keys sum to the %d acknowledged writes, but the key fingerprint differs: "+
			"a written key is missing or its increments landed under another key", keys, writes)
	}
	if anomalies > 0 {
		return l.violation("%d reads found an entry holding a count below 1", anomalies)
	}
	return nil
}

func (l *ledger) violation(format string, args ...any) error {
	return &impls.InvariantError{Impl: l.impl, Detail: fmt.Sprintf(format, args...)}
}

// discrepancy names the direction of a count mismatch, which points at the bug:
// fewer than acknowledged is a lost update, more is a write counted twice or
// performed without being acknowledged.
func discrepancy(got, acknowledged int64) string {
	if got < acknowledged {
		return fmt.Sprintf("%d updates lost", acknowledged-got)
	}
	return fmt.Sprintf("%d updates not acknowledged", got-acknowledged)
}

// mixKey scatters a key over 64 bits (the splitmix64 finaliser, offset so that key
// 0 does not map to 0), so that the fingerprint of a key set changes when any
// key's count moves to another key.
func mixKey(k uint64) uint64 {
	k += 0x9e3779b97f4a7c15
	k = (k ^ k>>30) * 0xbf58476d1ce4e5b9
	k = (k ^ k>>27) * 0x94d049bb133111eb
	return k ^ k>>31
}
