package locks

import (
	"context"
	"sync"

	"github.com/syncbench/syncbench/impls"
)

// actorTarget shares the count by communicating: one goroutine owns it and
// performs every op it receives over a channel, one at a time, answering on the
// requesting worker's reply channel. Every op, read or write, is therefore
// exclusive, and each costs two channel handoffs between goroutines.
type actorTarget struct {
	ledger
	requests chan actorRequest
	// replies holds one reply channel per worker, reused for every request, so an
	// op allocates nothing. A worker has at most one request in flight, so one
	// buffered slot is enough and the owner never blocks on a reply.
	replies   []chan int64
	quit      chan struct{} // closed by Close to stop the owner
	done      chan struct{} // closed by the owner when it has stopped
	closeOnce sync.Once
	// n is the count the owner left when it stopped: valid once done is closed.
	// While running, the owner keeps the count in a local of its own.
	n int64
}

// actorRequest is one op handed to the owner, with where to send the count the
// op saw.
type actorRequest struct {
	ctx   context.Context // the op's, so its hold ends on interrupt
	op    impls.Op
	reply chan<- int64
}

func init() {
	impls.Register(impls.Impl{
		Name:    "actor",
		Family:  impls.FamilyLocks,
		Summary: "one goroutine owns the counter; ops sent over a channel, replies on per-worker channels",
		New:     newActor,
	})
}

func newActor(cfg impls.Config) (impls.Target, error) {
	t := newIdleActor(cfg)
	go t.own()
	return t, nil
}

// newIdleActor builds the target without starting its owner goroutine.
func newIdleActor(cfg impls.Config) *actorTarget {
	workers := max(cfg.Workers, 1)
	t := &actorTarget{
		ledger: newLedger("actor", workers),
		// Room for every worker's request: a sender never waits for the owner
		// to reach the channel, only for its reply.
		requests: make(chan actorRequest, workers),
		replies:  make([]chan int64, workers),
		quit:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	for i := range t.replies {
		t.replies[i] = make(chan int64, 1)
	}
	return t
}

// own is the owner goroutine: it performs requests until Close.
func (t *actorTarget) own() {
	defer close(t.done)
	var c counter
	defer func() { t.n = c.n }()
	for {
		select {
		case r := <-t.requests:
			v := c.apply(r.op)
			criticalSection(r.ctx, r.op)
			r.reply <- v
		case <-t.quit:
			return
		}
	}
}

// Do returns impls.Timeout if ctx is done before the owner accepted the request
// and impls.Error once the target is closed. After the request is queued it waits
// for the reply whatever ctx says: the owner will perform the op, and a write
// performed but not acknowledged would break the invariant.
func (t *actorTarget) Do(ctx context.Context, op impls.Op) impls.Outcome {
	reply := t.replies[op.Worker]
	select {
	case t.requests <- actorRequest{ctx: ctx, op: op, reply: reply}:
	case <-ctx.Done():
		return impls.Timeout
	case <-t.quit:
		return impls.Error
	}
	select {
	case v := <-reply:
		t.settle(op, v)
		return impls.OK
	case <-t.done:
		// Closed with the request queued: the owner may have answered
		// before it stopped (its send happens before close(done)).
		select {
		case v := <-reply:
			t.settle(op, v)
			return impls.OK
		default:
			return impls.Error
		}
	}
}

// Verify asks the owner for the count (a read through the same channel, so it
// sees every op performed before it), or reads it directly after Close.
func (t *actorTarget) Verify() error {
	return t.verifyCount(t.count())
}

func (t *actorTarget) count() int64 {
	reply := make(chan int64, 1)
	select {
	case t.requests <- actorRequest{ctx: context.Background(), op: impls.Op{Kind: impls.OpRead}, reply: reply}:
		select {
		case v := <-reply:
			return v
		case <-t.done:
		}
	case <-t.done:
	}
	return t.n
}

// Close stops the owner goroutine and waits for it to exit. It is idempotent;
// Do after Close returns impls.Error.
func (t *actorTarget) Close() error {
	t.closeOnce.Do(func() { close(t.quit) })
	<-t.done
	return nil
}
