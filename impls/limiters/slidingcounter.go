package limiters

import "github.com/syncbench/syncbench/impls"

// SlidingCounter approximates a sliding window with two counters: the admissions in
// the current aligned window of length Window and in the one before it. At instant
// t, a fraction f = (t − start of current window)/Window into the current window, it
// estimates the last Window's admissions as prev·(1−f) + cur, and admits
// AllowN(n) iff that estimate plus n is at most L = ⌊Limit·Window⌋ and cur + n ≤ L.
// So every aligned window holds at most L admissions; a sliding window can hold a
// little more when the previous window's admissions were bunched at its end (the
// estimate assumes they were spread evenly). n above Burst or L is refused.
//
// Safe for concurrent use (mutex); 40 bytes of state.
type SlidingCounter struct{ locked }

// NewSlidingCounter returns a sliding-counter limiter configured by cfg.
func NewSlidingCounter(cfg impls.Config) (*SlidingCounter, error) {
	s, err := parseConfig(cfg)
	if err != nil {
		return nil, err
	}
	return newSlidingCounter(s)
}

func newSlidingCounter(s settings) (*SlidingCounter, error) {
	l, err := s.windowLimit()
	if err != nil {
		return nil, err
	}
	c := &counterCore{window: s.window, limit: l}
	return &SlidingCounter{locked{c: c, clock: s.clock, max: min(s.burst, l)}}, nil
}

type counterCore struct {
	window, limit int64
	index         int64 // current aligned window
	cur, prev     int64
}

func (c *counterCore) check(now, n int64) (bool, int64) {
	switch idx := now / c.window; {
	case idx == c.index+1:
		c.index, c.prev, c.cur = idx, c.cur, 0
	case idx > c.index+1:
		c.index, c.prev, c.cur = idx, 0, 0
	}
	next := (c.index + 1) * c.window
	if c.cur+n > c.limit {
		return false, next - now
	}
	into := now - c.index*c.window
	// prev·(W−into)/W + cur + n ≤ L, in floats: prev·W can overflow int64.
	room := float64(c.limit - c.cur - n)
	if float64(c.prev)*float64(c.window-into)/float64(c.window) <= room {
		return true, 0
	}
	// The estimate falls as the window slides: it fits once
	// W−into' ≤ room·W/prev.
	need := c.window - int64(room*float64(c.window)/float64(c.prev))
	return false, max(need-into, 1)
}

func (c *counterCore) commit(_, n int64) { c.cur += n }
