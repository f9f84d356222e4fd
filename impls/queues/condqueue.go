package queues

import (
	"context"
	"slices"
	"sync"
)

// condQueue is the same ring under a mutex, with a sync.Cond for each way of
// waiting (not full, not empty): a blocked call parks until a Signal, so an idle
// consumer costs nothing, the textbook monitor. A sync.Cond cannot be abandoned,
// so the first wait under a context arranges (context.AfterFunc) for that
// context's end to wake every waiter; later waits under the same context find
// it arranged and allocate nothing (a run passes one context to all its
// producers and one to all its consumers). A waiter that leaves because its
// context ended passes on a signal it may have swallowed, so no other waiter
// sleeps through an item.
type condQueue struct {
	mu                sync.Mutex
	notFull, notEmpty sync.Cond
	r                 ring
	// watched are the contexts whose end already wakes the waiters, at most
	// maxWatched of them; a wait under any other arranges its own wake-up
	// and undoes it after.
	watched []context.Context
}

// maxWatched bounds condQueue.watched: callers that pass a fresh context per
// call (a timeout each) get a wake-up per wait instead of a growing list.
const maxWatched = 8

func newCondQueue(capacity int) *condQueue {
	q := &condQueue{r: newRing(capacity)}
	q.notFull.L, q.notEmpty.L = &q.mu, &q.mu
	return q
}

func (q *condQueue) TryEnqueue(item Item) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.r.full() {
		return false
	}
	q.r.push(item)
	q.notEmpty.Signal()
	return true
}

func (q *condQueue) TryDequeue() (Item, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.r.empty() {
		return Item{}, false
	}
	item := q.r.pop()
	q.notFull.Signal()
	return item, true
}

func (q *condQueue) Enqueue(ctx context.Context, item Item) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if err := q.wait(ctx, &q.notFull, q.r.full); err != nil {
		return err
	}
	q.r.push(item)
	q.notEmpty.Signal()
	return nil
}

func (q *condQueue) Dequeue(ctx context.Context) (Item, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if err := q.wait(ctx, &q.notEmpty, q.r.empty); err != nil {
		return Item{}, err
	}
	item := q.r.pop()
	q.notFull.Signal()
	return item, nil
}

// wait waits on c, with q.mu held, while blocked() holds, or until ctx ends
// (then it returns ctx's error, having passed on any signal it took).
func (q *condQueue) wait(ctx context.Context, c *sync.Cond, blocked func() bool) error {
	if !blocked() {
		return nil
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if ctx.Done() != nil && !q.watching(ctx) {
		wake := q.wakeAll
		if len(q.watched) < maxWatched {
			q.watched = append(q.watched, ctx)
			context.AfterFunc(ctx, wake)
		} else {
			defer context.AfterFunc(ctx, wake)()
		}
	}
	for blocked() {
		if err := ctx.Err(); err != nil {
			c.Signal() // the one we may have taken belongs to another waiter
			return err
		}
		c.Wait()
	}
	return nil
}

// watching reports whether ctx's end already wakes the waiters. q.mu is held.
func (q *condQueue) watching(ctx context.Context) bool {
	return slices.Contains(q.watched, ctx)
}

// wakeAll wakes every waiter, so those whose context ended can leave.
func (q *condQueue) wakeAll() {
	q.mu.Lock()
	q.notFull.Broadcast()
	q.notEmpty.Broadcast()
	q.mu.Unlock()
}
