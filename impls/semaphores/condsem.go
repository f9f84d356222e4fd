package semaphores

import (
	"context"
	"sync"
)

// condSem is a weighted semaphore built on sync.Cond, the textbook monitor: a
// mutex-guarded count and a condition "the weight fits" that waiters re-check
// after every wake-up.
//
// Because waiters want different weights, Release must Broadcast (a Signal could
// wake one that still does not fit while one that would fit sleeps on), so every
// release wakes every waiter: a thundering herd that this implementation exists
// to measure. Order is whatever the scheduler gives; heavy waiters can starve.
// sync.Cond cannot wait on a context, so a waiter registers a context.AfterFunc
// that broadcasts when ctx is done, and checks ctx.Err() after each wake-up.
type condSem struct {
	mu   sync.Mutex
	cond sync.Cond
	size int64
	cur  int64
}

func newCondSem(capacity int64) *condSem {
	s := &condSem{size: capacity}
	s.cond.L = &s.mu
	return s
}

func (s *condSem) Acquire(ctx context.Context, n int64) error {
	if n > s.size {
		return ErrTooHeavy
	}
	s.mu.Lock()
	if s.size-s.cur >= n {
		s.cur += n
		s.mu.Unlock()
		return nil
	}
	// Slow path only: registering the wake-up costs an allocation.
	stop := context.AfterFunc(ctx, func() {
		s.mu.Lock()
		s.cond.Broadcast()
		s.mu.Unlock()
	})
	defer stop()
	for s.size-s.cur < n {
		if err := ctx.Err(); err != nil {
			s.mu.Unlock()
			return err
		}
		s.cond.Wait()
	}
	s.cur += n
	s.mu.Unlock()
	return nil
}

func (s *condSem) TryAcquire(n int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.size-s.cur < n {
		return false
	}
	s.cur += n
	return true
}

func (s *condSem) Release(n int64) {
	s.mu.Lock()
	s.cur -= n
	if s.cur < 0 {
		s.mu.Unlock()
		panic("semaphores: condsem released more than held")
	}
	s.cond.Broadcast()
	s.mu.Unlock()
}

// Held is the weight held, for the post-run check.
func (s *condSem) Held() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur
}
