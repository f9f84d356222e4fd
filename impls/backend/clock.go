package backend

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Clock is the time a backend and the families in front of it read and sleep on.
// The real one is [RealClock]; tests use a [ManualClock], on which every figure
// is exact and no test waits for wall-clock time.
type Clock interface {
	// Now returns the current instant.
	Now() time.Time
	// SleepUntil blocks until t (returning at once if t has passed) or until ctx
	// is done, and reports whether t was reached.
	SleepUntil(ctx context.Context, t time.Time) bool
}

// RealClock is the wall clock: time.Now and a timer. Safe for concurrent use.
type RealClock struct{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// SleepUntil sleeps on a timer until t or ctx is done.
func (RealClock) SleepUntil(ctx context.Context, t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// ManualClock is a fake clock that moves only when told (Advance, AdvanceTo).
// Sleepers block until the clock reaches their instant; BlockUntil lets a test
// wait until its goroutines are all asleep before moving the clock, so a test
// with concurrent calls is still deterministic. Safe for concurrent use.
type ManualClock struct {
	mu       sync.Mutex
	now      time.Time
	sleepers []*sleeper
	changed  *sync.Cond
}

type sleeper struct {
	at   time.Time
	wake chan struct{}
}

// NewManualClock returns a clock that reads start until moved.
func NewManualClock(start time.Time) *ManualClock {
	c := &ManualClock{now: start}
	c.changed = sync.NewCond(&c.mu)
	return c
}

// Now returns the clock's instant.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// SleepUntil blocks until the clock is moved to t or past it, or ctx is done.
func (c *ManualClock) SleepUntil(ctx context.Context, t time.Time) bool {
	c.mu.Lock()
	if !t.After(c.now) {
		c.mu.Unlock()
		return true
	}
	s := &sleeper{at: t, wake: make(chan struct{})}
	c.sleepers = append(c.sleepers, s)
	c.changed.Broadcast()
	c.mu.Unlock()
	select {
	case <-s.wake:
		return true
	case <-ctx.Done():
		c.mu.Lock()
		defer c.mu.Unlock()
		for i, other := range c.sleepers {
			if other == s {
				c.sleepers = append(c.sleepers[:i], c.sleepers[i+1:]...)
				c.changed.Broadcast()
				return false
			}
		}
		return true // woken as ctx ended: t was reached
	}
}

// Advance moves the clock forward by d and wakes every sleeper whose instant has
// come.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	t := c.now.Add(d)
	c.mu.Unlock()
	c.AdvanceTo(t)
}

// AdvanceTo moves the clock to t (never backwards) and wakes every sleeper whose
// instant has come, earliest first.
func (c *ManualClock) AdvanceTo(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.now) {
		c.now = t
	}
	sort.SliceStable(c.sleepers, func(i, j int) bool { return c.sleepers[i].at.Before(c.sleepers[j].at) })
	n := 0
	for n < len(c.sleepers) && !c.sleepers[n].at.After(c.now) {
		close(c.sleepers[n].wake)
		n++
	}
	c.sleepers = append(c.sleepers[:0], c.sleepers[n:]...)
	c.changed.Broadcast()
}

// Sleepers returns the number of goroutines asleep on the clock.
func (c *ManualClock) Sleepers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.sleepers)
}

// NextWake returns the earliest instant a sleeper waits for, and false when none
// sleeps.
func (c *ManualClock) NextWake() (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.sleepers) == 0 {
		return time.Time{}, false
	}
	next := c.sleepers[0].at
	for _, s := range c.sleepers[1:] {
		if s.at.Before(next) {
			next = s.at
		}
	}
	return next, true
}

// BlockUntil waits until at least n goroutines are asleep on the clock.
func (c *ManualClock) BlockUntil(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.sleepers) < n {
		c.changed.Wait()
	}
}
