package queues

import (
	"context"
	"sync"
)

// ring is a bounded FIFO of items in a fixed slice, not safe for concurrent
// use: the mutex and condition-variable queues guard it.
type ring struct {
	buf  []Item
	head int // index of the oldest item
	n    int // items held
}

func newRing(capacity int) ring { return ring{buf: make([]Item, capacity)} }

func (r *ring) full() bool  { return r.n == len(r.buf) }
func (r *ring) empty() bool { return r.n == 0 }

// push adds item at the tail; the ring must not be full.
func (r *ring) push(item Item) {
	i := r.head + r.n
	if i >= len(r.buf) {
		i -= len(r.buf)
	}
	r.buf[i] = item
	r.n++
}

// pop removes the oldest item; the ring must not be empty.
func (r *ring) pop() Item {
	item := r.buf[r.head]
	r.buf[r.head] = Item{}
	if r.head++; r.head == len(r.buf) {
		r.head = 0
	}
	r.n--
	return item
}

// mutexQueue is a ring under a sync.Mutex whose blocking calls poll: try,
// yield the processor (runtime.Gosched), try again. It is the lock-based
// counterpart of xsync's MPMCQueue, which offers only tries too: the two differ
// in the lock, not in how they wait, and an idle consumer of either keeps a
// processor busy.
type mutexQueue struct {
	mu sync.Mutex
	r  ring
}

func newMutexQueue(capacity int) *mutexQueue { return &mutexQueue{r: newRing(capacity)} }

func (q *mutexQueue) TryEnqueue(item Item) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.r.full() {
		return false
	}
	q.r.push(item)
	return true
}

func (q *mutexQueue) TryDequeue() (Item, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.r.empty() {
		return Item{}, false
	}
	return q.r.pop(), true
}

func (q *mutexQueue) Enqueue(ctx context.Context, item Item) error { return pollEnqueue(ctx, q, item) }
func (q *mutexQueue) Dequeue(ctx context.Context) (Item, error)    { return pollDequeue(ctx, q) }
