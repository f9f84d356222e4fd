package limiters

import (
	"fmt"

	"github.com/syncbench/syncbench/impls"
)

// maxLogLength bounds the sliding log's ring (8 bytes per entry).
const maxLogLength = 1 << 22

// SlidingLog is the exact sliding-window limiter: it remembers the instants of the
// last L = ⌊Limit·Window⌋ admitted events in a ring buffer, and admits AllowN(n) at
// instant t iff fewer than L−n+1 of them lie in (t − Window, t], i.e. iff the
// (L−n+1)-th most recent admission is at or before t − Window. So no window of
// length Window, aligned or not, ever holds more than L admissions. n above Burst
// or L is refused.
//
// Admission bound (AdmissionBound): L·⌈w/W⌉. Admitting at t requires that
// (t − W, t] then holds at most L admissions; a window [s, s+W) whose last
// admission is at t lies inside (t − W, t] up to t, so it holds at most L too, and a
// window of length w is covered by ⌈w/W⌉ of them. No burst beyond L. Sustained
// rate L/W: under demand above it each of the L slots is reused W after it was
// taken, so the first window's pattern (L admitted as fast as demand arrives)
// repeats every window.
//
// Memory is 8·L bytes per limiter (L at most 4194304), which matters in keyed mode.
//
// Safe for concurrent use (mutex).
type SlidingLog struct{ locked }

// NewSlidingLog returns a sliding-log limiter configured by cfg.
func NewSlidingLog(cfg impls.Config) (*SlidingLog, error) {
	s, err := parseConfig(cfg)
	if err != nil {
		return nil, err
	}
	return newSlidingLog(s)
}

func newSlidingLog(s settings) (*SlidingLog, error) {
	c, err := newLogCore(s)
	if err != nil {
		return nil, err
	}
	bound := s.windowBound("sliding log", "L per any W", impls.BoundSlidingWindow,
		"admits L as fast as demand arrives in its first window; under steady demand that pattern repeats every window")
	return &SlidingLog{locked{c: c, clock: s.clock, max: min(s.burst, c.limit), bound: bound}}, nil
}

type logCore struct {
	window, limit int64
	ring          []int64 // admission instants; ring[head-1] is the latest
	head          int64   // next slot to write
	filled        int64   // entries written, up to limit
}

func newLogCore(s settings) (*logCore, error) {
	l, err := s.windowLimit()
	if err != nil {
		return nil, err
	}
	if l > maxLogLength {
		return nil, fmt.Errorf("slidinglog would keep %d instants per window (at most %d): use slidingcounter", l, maxLogLength)
	}
	return &logCore{window: s.window, limit: l, ring: make([]int64, l)}, nil
}

func (c *logCore) check(now, n int64) (bool, int64) {
	k := c.limit - n + 1 // the k-th most recent admission must have left the window
	if k > c.filled {
		return true, 0
	}
	at := c.ring[(c.head-k+c.limit)%c.limit]
	if at <= now-c.window {
		return true, 0
	}
	return false, at + c.window - now
}

func (c *logCore) commit(now, n int64) {
	for range n {
		c.ring[c.head] = now
		c.head++
		if c.head == c.limit {
			c.head = 0
		}
	}
	c.filled = min(c.filled+n, c.limit)
}
