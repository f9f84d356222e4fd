package limiters

import "github.com/syncbench/syncbench/impls"

// FixedWindow counts admissions in consecutive windows of length Window aligned to
// the limiter's construction instant, and admits AllowN(n) iff the current
// window's count plus n is at most L = ⌊Limit·Window⌋ (and n ≤ Burst). The count
// resets when a new window begins.
//
// It keeps the rate over each aligned window, but not over a window that straddles
// a boundary: L events at the end of one window and L more at the start of the next
// put 2L through a window of length Window — the behaviour the accuracy metrics
// are built to show.
//
// Admission bound (AdmissionBound): L per aligned window (the count is reset at
// each boundary and never exceeds L), and so L·(⌈w/W⌉+1) for a window of length w
// placed anywhere — it meets at most ⌈w/W⌉+1 aligned windows — which is 2L for
// w ≤ W, reached by L at the end of one window and L at the start of the next.
// Sustained rate L/W: under demand above it every aligned window admits L, early
// in the window, so the rate over a span that is not a whole number of windows
// swings by up to L.
//
// Safe for concurrent use (mutex).
type FixedWindow struct{ locked }

// NewFixedWindow returns a fixed-window limiter configured by cfg.
func NewFixedWindow(cfg impls.Config) (*FixedWindow, error) {
	s, err := parseConfig(cfg)
	if err != nil {
		return nil, err
	}
	return newFixedWindow(s)
}

func newFixedWindow(s settings) (*FixedWindow, error) {
	l, err := s.windowLimit()
	if err != nil {
		return nil, err
	}
	c := &fixedCore{window: s.window, limit: l}
	bound := s.alignedBound("fixed window",
		"admits each window's L as fast as demand arrives, then nothing until the next window")
	return &FixedWindow{locked{c: c, clock: s.clock, max: min(s.burst, l), bound: bound}}, nil
}

type fixedCore struct {
	window, limit int64
	index         int64 // current window: instants [index·window, (index+1)·window)
	count         int64
}

func (f *fixedCore) check(now, n int64) (bool, int64) {
	if idx := now / f.window; idx != f.index {
		f.index, f.count = idx, 0
	}
	if f.count+n <= f.limit {
		return true, 0
	}
	return false, (f.index+1)*f.window - now
}

func (f *fixedCore) commit(_, n int64) { f.count += n }
