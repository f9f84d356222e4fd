package limiters

import "github.com/syncbench/syncbench/impls"

// SlidingCounter approximates a sliding window with two counters: the admissions in
// the current aligned window of length Window and in the one before it. At instant
// t, a fraction f = (t − start of current window)/Window into the current window, it
// estimates the last Window's admissions as prev·(1−f) + cur, and admits
// AllowN(n) iff the estimate is below L = ⌊Limit·Window⌋ until the last of the n
// events (prev·(1−f) + cur + n − 1 < L) and cur + n ≤ L. So every aligned window
// holds at most L admissions; a sliding window can hold more when the previous
// window's admissions were bunched at its end (the estimate assumes they were
// spread evenly). n above Burst or L is refused.
//
// The test is "below L before the event", as the sliding-window counters in common
// use write it, rather than "at most L after it": with prev = L the stricter form
// can never admit a window's L-th event before the window ends (it would need
// prev·(1−f) = 0), so it sustains only (L−1)/W, 10% short at L = 10.
//
// Admission bound (AdmissionBound): L per aligned window (cur + n ≤ L), so at most
// 2L in any window of length W, which meets two aligned windows. The bound is
// approached: such a window covers the tail of aligned window k from a fraction α
// on and the head of window k+1 up to α; the head's last admission, at f ≤ α,
// needed c_k·(1−f) + h − 1 < L, so the head holds h < L − c_k·(1−α) + 1, and the tail
// at most c_k: together about L + α·c_k, near 2L when window k's admissions bunch at
// its end (as in its first window, which has nothing before it to weigh). For a
// window of length w placed anywhere, L·(⌈w/W⌉+1) as for a fixed window.
// Sustained rate L/W, with a transient: the first window has no previous one to
// weigh (prev = 0), so it admits its L as fast as demand arrives and then nothing
// until the next window; from the second window on, prev = L and it admits evenly,
// ⌈L·f⌉ by fraction f of the window. A measurement that starts inside the first
// window, after its L were admitted, therefore reads low until the second window
// begins.
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
	bound := s.alignedBound("sliding counter",
		"its first window has no previous one to weigh, so it admits L as fast as demand arrives, then nothing until the second window; from then on it admits evenly at L/W")
	return &SlidingCounter{locked{c: c, clock: s.clock, max: min(s.burst, l), bound: bound}}, nil
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
	// prev·(W−into)/W + cur + n − 1 < L, in floats: prev·W can overflow int64.
	room := float64(c.limit - c.cur - n + 1) // ≥ 1, as cur + n ≤ L
	if float64(c.prev)*float64(c.window-into)/float64(c.window) < room {
		return true, 0
	}
	// The estimate falls as the window slides: it fits once
	// W−into' < room·W/prev.
	need := c.window - int64(room*float64(c.window)/float64(c.prev))
	return false, max(need-into+1, 1)
}

func (c *counterCore) commit(_, n int64) { c.cur += n }
