package semaphores

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// ErrTooHeavy is returned by [FIFO.Acquire] for a weight larger than the
// semaphore's size, which no amount of waiting could satisfy.
var ErrTooHeavy = errors.New("semaphores: weight exceeds the semaphore's size")

// waitersFlag is set in FIFO.state while the waiter queue is non-empty. Keeping it
// in the same word as the held weight lets the uncontended paths decide "no queue
// and it fits" with one atomic operation instead of a mutex round trip.
const waitersFlag = int64(1) << 62

// MaxFIFOSize is the largest size NewFIFO accepts (2^61): the held weight shares a
// word with the waiters flag, and the headroom below the flag lets Release detect
// an over-release even when the borrow would eat into the flag.
const MaxFIFOSize = int64(1) << 61

// FIFO is a weighted semaphore that grants waiters in strict arrival order: a
// waiter at the head of the queue that does not fit blocks every waiter behind it,
// even ones that would fit. That head-of-line blocking is the price of never
// starving a heavy waiter (a writer taking the whole size behind a stream of
// weight-1 readers); it is the policy of golang.org/x/sync/semaphore.Weighted too.
//
// The uncontended paths are lock-free: Acquire is one compare-and-swap when no one
// is queued and the weight fits, Release is one atomic add when no one is queued,
// and neither allocates. Only a waiter takes the mutex, and its queue entry comes
// from a pool. The mutex guards the queue and the waiters flag; the held weight
// changes without it only while the flag is clear.
//
// A FIFO must be created with NewFIFO. All methods are safe for concurrent use.
type FIFO struct {
	// state is the held weight plus waitersFlag when the queue is non-empty.
	state atomic.Int64
	size  int64

	mu         sync.Mutex
	head, tail *fifoWaiter
	queued     int // queue length, for tests and introspection
}

// fifoWaiter is one blocked Acquire. It is pooled, so its ready channel is
// buffered and signalled by a send (a closed channel could not be reused).
type fifoWaiter struct {
	n          int64
	ready      chan struct{}
	granted    bool // set under FIFO.mu when the weight was handed over
	prev, next *fifoWaiter
}

var waiterPool = sync.Pool{New: func() any { return &fifoWaiter{ready: make(chan struct{}, 1)} }}

// NewFIFO returns a FIFO semaphore of the given total weight. It panics if size is
// negative or above MaxFIFOSize, which are programming errors.
func NewFIFO(size int64) *FIFO {
	if size < 0 || size > MaxFIFOSize {
		panic("semaphores: FIFO size out of range")
	}
	return &FIFO{size: size}
}

// Acquire takes weight n, blocking until it is granted in arrival order or ctx is
// done. It returns nil on success, ctx.Err() if ctx was done first (including when
// it was done before the call, even if n would fit), and ErrTooHeavy at once if n
// exceeds the size. On failure the semaphore is left unchanged. Acquire(ctx, 0)
// succeeds at once unless someone is queued. It panics if n is negative.
func (s *FIFO) Acquire(ctx context.Context, n int64) error {
	if n < 0 {
		panic("semaphores: negative weight")
	}
	done := ctx.Done()
	select {
	case <-done:
		return ctx.Err()
	default:
	}
	if st := s.state.Load(); st&waitersFlag == 0 && s.size-st >= n && s.state.CompareAndSwap(st, st+n) {
		return nil
	}
	return s.acquireSlow(ctx, done, n)
}

func (s *FIFO) acquireSlow(ctx context.Context, done <-chan struct{}, n int64) error {
	if n > s.size {
		return ErrTooHeavy
	}
	s.mu.Lock()
	for {
		st := s.state.Load()
		if st&waitersFlag != 0 {
			break // someone is queued: take our place behind them
		}
		if s.size-st >= n {
			if s.state.CompareAndSwap(st, st+n) {
				s.mu.Unlock()
				return nil
			}
			continue
		}
		// Raise the flag only if nothing changed since we saw that n does not fit;
		// a Release racing with us makes the CAS fail and we look again, so no
		// release can slip past without seeing the flag.
		if s.state.CompareAndSwap(st, st|waitersFlag) {
			break
		}
	}
	w := waiterPool.Get().(*fifoWaiter)
	w.n, w.granted = n, false
	s.push(w)
	s.mu.Unlock()

	select {
	case <-w.ready:
		waiterPool.Put(w)
		return nil
	case <-done:
	}
	s.mu.Lock()
	if w.granted {
		// Granted while we were giving up: the grant was sent under the mutex,
		// so it is in the buffer now. Hand the weight back so the count is
		// unchanged, as promised.
		<-w.ready
		s.mu.Unlock()
		s.Release(n)
	} else {
		wasHead := s.head == w
		s.remove(w)
		if wasHead {
			// We may have been the only thing blocking smaller waiters behind us.
			s.grant()
		}
		s.mu.Unlock()
	}
	waiterPool.Put(w)
	return ctx.Err()
}

// TryAcquire takes weight n without blocking and reports whether it did. It fails
// if anyone is queued, even when n would fit, so it never overtakes a waiter. It
// panics if n is negative.
func (s *FIFO) TryAcquire(n int64) bool {
	if n < 0 {
		panic("semaphores: negative weight")
	}
	for {
		st := s.state.Load()
		if st&waitersFlag != 0 || s.size-st < n {
			return false
		}
		if s.state.CompareAndSwap(st, st+n) {
			return true
		}
	}
}

// Release returns weight n and wakes, in order, every queued waiter that now fits.
// It panics if n is negative or more is released than is held.
func (s *FIFO) Release(n int64) {
	if n < 0 {
		panic("semaphores: negative weight")
	}
	st := s.state.Add(-n)
	if st < 0 || st&^waitersFlag > s.size {
		panic("semaphores: FIFO released more than held")
	}
	if st&waitersFlag == 0 {
		return
	}
	s.mu.Lock()
	s.grant()
	s.mu.Unlock()
}

// grant hands weight to waiters from the head while the head fits, and lowers the
// waiters flag once the queue is empty. Called with s.mu held. While the flag is
// set no lock-free Acquire can succeed, so the held weight can only fall under us
// (lock-free Releases) and checking before adding is safe.
func (s *FIFO) grant() {
	for w := s.head; w != nil; w = s.head {
		if s.size-(s.state.Load()&^waitersFlag) < w.n {
			return // head-of-line: everyone behind waits too
		}
		s.state.Add(w.n)
		s.remove(w)
		w.granted = true
		w.ready <- struct{}{}
	}
	if st := s.state.Load(); st&waitersFlag != 0 {
		s.state.Add(-waitersFlag)
	}
}

// push appends w to the queue. Called with s.mu held.
func (s *FIFO) push(w *fifoWaiter) {
	w.prev, w.next = s.tail, nil
	if s.tail == nil {
		s.head = w
	} else {
		s.tail.next = w
	}
	s.tail = w
	s.queued++
}

// remove unlinks w from the queue. Called with s.mu held.
func (s *FIFO) remove(w *fifoWaiter) {
	if w.prev == nil {
		s.head = w.next
	} else {
		w.prev.next = w.next
	}
	if w.next == nil {
		s.tail = w.prev
	} else {
		w.next.prev = w.prev
	}
	w.prev, w.next = nil, nil
	s.queued--
}

// Waiting returns the number of Acquire calls currently queued. It is a snapshot,
// stale as soon as it returns; tests use it to know a waiter has enqueued.
func (s *FIFO) Waiting() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queued
}

// Held returns the weight currently held. It is a snapshot, stale as soon as it
// returns; the harness reads it after a run to check that nothing leaked.
func (s *FIFO) Held() int64 { return s.state.Load() &^ waitersFlag }
