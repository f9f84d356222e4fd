package locks

import (
	"fmt"

	"github.com/syncbench/syncbench/impls"
)

// ledger records, per worker, what an unkeyed target told its callers: the writes
// it acknowledged and what their reads saw. Verify compares it with the guarded
// count. (The map targets keep a mapLedger instead.)
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
	writes    int64 // writes acknowledged with impls.OK
	lastRead  int64 // highest count this worker has read
	anomalies int64 // reads that contradicted the invariant
	_         [cacheLine - 24]byte
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

// totals sums the slots: acknowledged writes and anomalous reads. Only
// meaningful once no Do is running.
func (l *ledger) totals() (writes, anomalies int64) {
	for i := range l.slots {
		s := &l.slots[i]
		writes += s.writes
		anomalies += s.anomalies
	}
	return writes, anomalies
}

// verifyCount checks an unkeyed target whose guarded count is got.
func (l *ledger) verifyCount(got int64) error {
	writes, anomalies := l.totals()
	if got != writes {
		return l.violation("guarded count is %d but %d writes were acknowledged (%s)",
			got, writes, discrepancy(got, writes))
	}
	if anomalies > 0 {
		return l.violation("%d reads saw the count lower than the same worker had read before", anomalies)
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
