package queues

import (
	"context"
	"math/bits"
	"sync"

	"github.com/puzpuzpuz/xsync/v4"
)

// mpmcQueue is xsync v4's MPMCQueue (a bounded lock-free ring after
// rigtorp/MPMCQueue: a ticket per slot, one CAS per call). v4 offers only
// TryEnqueue and TryDequeue; its blocking calls poll, as v3's Enqueue and
// Dequeue did (see pollEnqueue). A try can fail under contention with room
// left (it lost the CAS), which the target counts as a wait that took no time.
// The capacity is rounded up to a power of two.
type mpmcQueue struct{ q *xsync.MPMCQueue[Item] }

func newMPMCQueue(capacity int) mpmcQueue { return mpmcQueue{xsync.NewMPMCQueue[Item](capacity)} }

// mpmcCapacity is the capacity xsync gives a queue asked for c slots.
func mpmcCapacity(c int) int { return 1 << bits.Len(uint(c-1)) }

func (q mpmcQueue) TryEnqueue(item Item) bool { return q.q.TryEnqueue(item) }
func (q mpmcQueue) TryDequeue() (Item, bool)  { return q.q.TryDequeue() }

func (q mpmcQueue) Enqueue(ctx context.Context, item Item) error { return pollEnqueue(ctx, q, item) }
func (q mpmcQueue) Dequeue(ctx context.Context) (Item, error)    { return pollDequeue(ctx, q) }

// umpscQueue is xsync v4's UMPSCQueue: unbounded, many producers, one
// consumer. Enqueue never blocks (it claims a slot in a 4096-item segment
// with one atomic add and allocates the next segment as one fills, pooling
// the segments the consumer is done with); Dequeue parks on a sync.WaitGroup
// per slot until the slot's producer has written it. Dequeue cannot be
// abandoned, so ctx is not read: the target stops the consumer with a stop
// item. It has no TryDequeue, so its consumer's blocked time is not measured.
//
// Consumers "must explicitly synchronize between themselves" (xsync's
// documentation): with more than one, each Dequeue is taken under turn, a
// sync.Mutex, so they take turns (one waits on the mutex while another waits
// for an item); with one, turn is nil and costs nothing.
type umpscQueue struct {
	q    *xsync.UMPSCQueue[Item]
	turn *sync.Mutex
}

func newUMPSCQueue(consumers int) umpscQueue {
	q := umpscQueue{q: xsync.NewUMPSCQueue[Item]()}
	if consumers > 1 {
		q.turn = new(sync.Mutex)
	}
	return q
}

func (q umpscQueue) TryEnqueue(item Item) bool { q.q.Enqueue(item); return true }

func (q umpscQueue) Enqueue(_ context.Context, item Item) error { q.q.Enqueue(item); return nil }

func (q umpscQueue) Dequeue(context.Context) (Item, error) {
	if q.turn == nil {
		return q.q.Dequeue(), nil
	}
	q.turn.Lock()
	defer q.turn.Unlock()
	return q.q.Dequeue(), nil
}
