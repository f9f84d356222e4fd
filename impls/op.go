package impls

import (
	"fmt"
	"time"
)

// OpKind says what a single operation asks of a Target. Each family gives the kinds
// it understands a meaning (a lock reads or writes the shared state, a semaphore
// acquires weight, a limiter asks for admission) and treats the rest as its default.
type OpKind uint8

const (
	// OpRead reads the guarded state (shared mode where the primitive has one).
	OpRead OpKind = iota
	// OpWrite modifies the guarded state (exclusive mode).
	OpWrite
	// OpAcquire takes Op.Weight units of a semaphore, holds them for Op.Hold, and
	// releases them.
	OpAcquire
	// OpAllow asks a rate limiter to admit Op.Weight events.
	OpAllow
	// OpDelete removes the keyed item (maps); families without items treat it as
	// their default kind.
	OpDelete
	// OpEnqueue hands one item to a queue, which its consumers take; a queue
	// blocks it while full.
	OpEnqueue
	// NumOpKinds is the number of distinct kinds, for sizing per-kind arrays.
	NumOpKinds
)

var opKindNames = [...]string{OpRead: "read", OpWrite: "write", OpAcquire: "acquire", OpAllow: "allow", OpDelete: "delete", OpEnqueue: "enqueue"}

// String returns the lower-case name used in benchmark names and results.
func (k OpKind) String() string {
	if int(k) < len(opKindNames) {
		return opKindNames[k]
	}
	return fmt.Sprintf("opkind(%d)", uint8(k))
}

// Op is one operation issued by a worker. It is passed by value and never retained
// by a Target after Do returns.
type Op struct {
	// Kind is what the operation asks for.
	Kind OpKind
	// Worker is the index, in [0, Config.Workers), of the worker issuing the op.
	// Targets that need per-worker resources (one file handle per worker, per-worker
	// fairness counts) index them with it; a worker never issues two ops at once.
	Worker int
	// Key selects the guarded item for keyed targets (maps, keyed limiters), in
	// [0, Config.Keys). Unkeyed targets ignore it.
	Key uint64
	// Weight is the number of units asked for (semaphore weight, limiter events).
	// Zero means 1.
	Weight int64
	// Hold is how long a semaphore or lock is held after it is acquired, by sleeping.
	Hold time.Duration
	// Work is busy CPU time spent inside the critical section (spinning, not
	// sleeping), which models a critical section that does real work.
	Work time.Duration
}

// Units returns the op's weight, treating zero or negative as 1.
func (op Op) Units() int64 {
	if op.Weight <= 0 {
		return 1
	}
	return op.Weight
}

// Outcome is the result of one Do call.
type Outcome uint8

const (
	// OK means the op was performed (the lock was taken, the event admitted).
	OK Outcome = iota
	// Denied means the target refused without waiting (a limiter said no, a
	// TryAcquire failed). It is an answer, not a failure.
	Denied
	// Timeout means the op's context or the target's own timeout expired first.
	Timeout
	// Error means the target failed (a network error, an exhausted retry budget).
	Error
	// NumOutcomes is the number of distinct outcomes, for sizing per-outcome arrays.
	NumOutcomes
)

var outcomeNames = [...]string{OK: "ok", Denied: "denied", Timeout: "timeout", Error: "error"}

// String returns the lower-case name used as a key in results.
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("outcome(%d)", uint8(o))
}

// Outcomes lists every outcome in order, for iterating over counts.
var Outcomes = [...]Outcome{OK, Denied, Timeout, Error}
