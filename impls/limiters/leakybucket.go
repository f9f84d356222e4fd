package limiters

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// LeakyBucket is a pacer: it hands out evenly spaced slots, T = ⌈1e9/Limit⌉ ns
// apart, and lets a caller fall behind the schedule by at most Burst−1 slots (the
// bucket's depth), so idle time banks at most Burst−1 slots of slack.
//
// Admission rule: a request for n events takes the n slots starting at
// s = max(next, t − (Burst−1)·T), where next is the first unreserved slot and t
// now, and may proceed at its last slot, s + (n−1)·T; next becomes s + n·T.
// AllowN admits iff that instant is not in the future (so at most Burst at once,
// at most Burst + t/T in any window of length t) and otherwise takes nothing.
// WaitN reserves the slots unconditionally and sleeps until the last one: waiters
// are served in arrival order. A WaitN whose ctx ends first gives its slots back if
// no later reservation was made (otherwise they stay taken, which only slows later
// callers).
//
// Admission bound (AdmissionBound): b + r·w with b = Burst and r = 1e9/T. Every
// admitted event owns a slot, slots are at least T apart, and an event admitted at
// a holds a slot in [a − (Burst−1)·T, a] (AllowN admits only slots not in the
// future, and s is never before now − (Burst−1)·T; WaitN returns at its slot, or at
// once when the slot was already past). So the events admitted in [s, s+w] own
// slots in [s − (Burst−1)·T, s+w]: at most (w + (Burst−1)·T)/T + 1 = Burst + w/T.
// Sustained rate r: under demand above r every slot is taken.
//
// Safe for concurrent use (mutex).
type LeakyBucket struct {
	mu       sync.Mutex
	next     int64 // first unreserved slot, ns
	clock    clock
	burst    int64
	interval int64 // T, ns
	slack    int64 // (Burst−1)·T, ns
	bound    impls.AdmissionBound
}

// NewLeakyBucket returns an idle leaky-bucket pacer configured by cfg.
func NewLeakyBucket(cfg impls.Config) (*LeakyBucket, error) {
	s, err := parseConfig(cfg)
	if err != nil {
		return nil, err
	}
	return newLeakyBucket(s), nil
}

func newLeakyBucket(s settings) *LeakyBucket {
	return &LeakyBucket{next: math.MinInt64 / 2, clock: s.clock, burst: s.burst, interval: s.interval, slack: (s.burst - 1) * s.interval,
		bound: s.rateBound("leaky bucket")}
}

// AdmissionBound returns b + r·w (see the type's doc comment for the derivation).
func (lb *LeakyBucket) AdmissionBound() impls.AdmissionBound { return lb.bound }

// Allow is AllowN(1).
func (lb *LeakyBucket) Allow() bool { return lb.AllowN(1) }

// AllowN reports whether n events may proceed now and, if so, takes their slots.
// n < 1 admits nothing and reports true; n > Burst is always refused.
func (lb *LeakyBucket) AllowN(n int64) bool {
	if n < 1 {
		return true
	}
	if n > lb.burst {
		return false
	}
	now := lb.clock.nanos()
	lb.mu.Lock()
	defer lb.mu.Unlock()
	s := max(lb.next, now-lb.slack)
	if s+(n-1)*lb.interval > now {
		return false
	}
	lb.next = s + n*lb.interval
	return true
}

// Wait is WaitN(ctx, 1).
func (lb *LeakyBucket) Wait(ctx context.Context) error { return lb.WaitN(ctx, 1) }

// WaitN reserves n slots and sleeps until the last of them.
func (lb *LeakyBucket) WaitN(ctx context.Context, n int64) error {
	if n < 1 {
		return nil
	}
	if n > lb.burst {
		return ErrExceedsBurst
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	now := lb.clock.nanos()
	lb.mu.Lock()
	prev := lb.next
	s := max(prev, now-lb.slack)
	lb.next = s + n*lb.interval
	mine := lb.next
	lb.mu.Unlock()
	err := sleepCtx(ctx, time.Duration(s+(n-1)*lb.interval-now))
	if err != nil {
		lb.mu.Lock()
		if lb.next == mine { // nobody reserved after us: give the slots back
			lb.next = prev
		}
		lb.mu.Unlock()
	}
	return err
}
