package main

import (
	"context"
	"sync"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/limiters"
)

// bucket is the limiter being measured: a token bucket of cfg.Burst tokens
// refilled at cfg.Limit tokens per second, full at the start, guarded by a mutex.
// It implements limiters.Limiter.
type bucket struct {
	mu     sync.Mutex
	now    func() time.Time
	rate   float64 // tokens per second
	burst  float64
	tokens float64
	last   time.Time
}

func newBucket(cfg impls.Config) *bucket {
	rate, burst := cfg.Limit, float64(cfg.Burst)
	if rate <= 0 {
		rate = limiters.DefaultLimit
	}
	if burst <= 0 {
		burst = limiters.DefaultBurst
	}
	now := cfg.Clock()
	return &bucket{now: now, rate: rate, burst: burst, tokens: burst, last: now()}
}

// refill adds the tokens earned since the last call; b.mu is held.
func (b *bucket) refill() {
	t := b.now()
	b.tokens = min(b.burst, b.tokens+t.Sub(b.last).Seconds()*b.rate)
	b.last = t
}

// AllowN takes n tokens if there are that many.
func (b *bucket) AllowN(n int64) bool {
	if n < 1 {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill()
	if float64(n) > b.tokens {
		return false
	}
	b.tokens -= float64(n)
	return true
}

// WaitN sleeps until n tokens are there, then takes them; it never charges a
// wait that ctx ends.
func (b *bucket) WaitN(ctx context.Context, n int64) error {
	if float64(n) > b.burst {
		return limiters.ErrExceedsBurst
	}
	for {
		b.mu.Lock()
		b.refill()
		if float64(n) <= b.tokens {
			b.tokens -= float64(n)
			b.mu.Unlock()
			return nil
		}
		short := time.Duration((float64(n) - b.tokens) / b.rate * float64(time.Second))
		b.mu.Unlock()
		timer := time.NewTimer(short)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
	}
}
