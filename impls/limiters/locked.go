package limiters

import (
	"context"
	"sync"

	"github.com/syncbench/syncbench/impls"
)

// core is a limiter's admission rule as a plain state machine on explicit instants
// (ns since construction), not safe for concurrent use. Splitting the test from the
// charge lets [multi] admit only when every part admits, without refunds.
type core interface {
	// check reports whether n events may happen at now (bringing the state up to
	// now first) and, if not, how many ns until they might.
	check(now, n int64) (ok bool, retryNs int64)
	// commit charges n events at now; called only right after a successful check
	// at the same instant.
	commit(now, n int64)
}

// locked makes a core safe for concurrent use with a mutex, and clamps the clock
// so that time never goes backwards for the core (a caller that read the clock
// before another but locked after it sees the later instant).
type locked struct {
	mu    sync.Mutex
	c     core
	clock clock
	last  int64 // latest instant the core has seen
	max   int64 // largest n that can ever be admitted
	bound impls.AdmissionBound
}

// Allow is AllowN(1).
func (l *locked) Allow() bool { return l.AllowN(1) }

// AllowN reports whether n events may happen now and, if so, charges them. n < 1
// admits nothing and reports true; n above the burst is always refused.
func (l *locked) AllowN(n int64) bool {
	ok, _ := l.try(n)
	return ok
}

// Wait is WaitN(ctx, 1).
func (l *locked) Wait(ctx context.Context) error { return l.WaitN(ctx, 1) }

// WaitN blocks until n events are admitted, retrying after the core's hint; it does
// not reserve, so waiters are not served in order.
func (l *locked) WaitN(ctx context.Context, n int64) error {
	return waitRetry(ctx, n, l.max, l.try)
}

func (l *locked) try(n int64) (bool, int64) {
	if n < 1 {
		return true, 0
	}
	if n > l.max {
		return false, 0
	}
	now := l.clock.nanos()
	l.mu.Lock()
	defer l.mu.Unlock()
	now = max(now, l.last)
	l.last = now
	ok, retry := l.c.check(now, n)
	if ok {
		l.c.commit(now, n)
	}
	return ok, retry
}
