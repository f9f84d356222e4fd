package adaptive

import (
	"fmt"
	"math"
	"sync"
	"time"
)

// Window is what a Rule learns from: the calls that ended since the last update.
type Window struct {
	// Samples is the number of calls in the window.
	Samples int
	// AvgRTT is their mean round trip, from admission to end.
	AvgRTT time.Duration
	// MaxInFlight is the most calls in flight (the call itself included) when
	// any of them was admitted: a limit far above it is not being used.
	MaxInFlight int
	// Dropped is set when any of them missed its deadline.
	Dropped bool
}

// Rule is an adaptive limit's update: the new limit, from the current one and
// the last window of samples. A Rule is called under its limiter's lock, one
// window at a time, and may keep state (a no-load round-trip estimate).
type Rule interface {
	// Update returns the new limit (a real number; the limit in force is its
	// floor, at least 1).
	Update(limit float64, w Window) float64
	// Name says what the rule is, e.g. "AIMD (Netflix AIMDLimit)".
	Name() string
}

// Settings configure a Windowed limiter. Zero fields take the defaults stated.
type Settings struct {
	// Initial is the limit at the start (default 16).
	Initial int
	// Min and Max bound the limit (defaults 1 and 1000).
	Min, Max int
	// WindowSamples is how many calls' ends make a window (default 10). Netflix's
	// WindowedLimit closes a window after at least 10 samples and 1 s; a second
	// would leave a 4 s step too few updates to show, so a window here is its
	// samples only, a few round trips at these rates.
	WindowSamples int
	// Now is the clock round trips are read on; nil means time.Now.
	Now func() time.Time
}

// Windowed is a concurrency limit updated by a Rule once per window of samples,
// as Netflix's WindowedLimit feeds any of its limits: the window's mean round
// trip, its most calls in flight and whether any call dropped are the sample.
// It admits a call when fewer than ⌊limit⌋ are in flight. Safe for concurrent use.
type Windowed struct {
	rule     Rule
	now      func() time.Time
	min, max float64
	per      int

	mu       sync.Mutex
	limit    float64
	inflight int
	// the open window
	n       int
	rttSum  time.Duration
	maxIn   int
	dropped bool
	windows int64
}

// NewWindowed returns a limit that follows rule, configured by s.
func NewWindowed(rule Rule, s Settings) (*Windowed, error) {
	if s.Initial == 0 {
		s.Initial = 16
	}
	if s.Min == 0 {
		s.Min = 1
	}
	if s.Max == 0 {
		s.Max = 1000
	}
	if s.WindowSamples == 0 {
		s.WindowSamples = 10
	}
	if s.Min < 1 || s.Max < s.Min || s.Initial < s.Min || s.Initial > s.Max || s.WindowSamples < 1 {
		return nil, fmt.Errorf("adaptive limit settings %+v: need 1 ≤ min ≤ initial ≤ max and a window of at least 1 sample", s)
	}
	now := s.Now
	if now == nil {
		now = time.Now
	}
	return &Windowed{rule: rule, now: now, min: float64(s.Min), max: float64(s.Max), per: s.WindowSamples, limit: float64(s.Initial)}, nil
}

// TryAcquire admits a call if fewer than Limit are in flight.
func (l *Windowed) TryAcquire() (func(dropped bool), bool) {
	l.mu.Lock()
	if l.inflight >= l.limitLocked() {
		l.mu.Unlock()
		return nil, false
	}
	l.inflight++
	inflight := l.inflight
	l.mu.Unlock()
	start := l.now()
	return func(dropped bool) { l.release(start, inflight, dropped) }, true
}

func (l *Windowed) release(start time.Time, inflight int, dropped bool) {
	rtt := l.now().Sub(start)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.inflight--
	l.n++
	l.rttSum += rtt
	l.maxIn = max(l.maxIn, inflight)
	l.dropped = l.dropped || dropped
	if l.n < l.per {
		return
	}
	w := Window{Samples: l.n, AvgRTT: l.rttSum / time.Duration(l.n), MaxInFlight: l.maxIn, Dropped: l.dropped}
	l.n, l.rttSum, l.maxIn, l.dropped = 0, 0, 0, false
	l.windows++
	next := l.rule.Update(l.limit, w)
	if math.IsNaN(next) {
		next = l.limit
	}
	l.limit = min(max(next, l.min), l.max)
}

func (l *Windowed) limitLocked() int { return max(1, int(l.limit)) }

// Limit returns ⌊limit⌋, at least 1.
func (l *Windowed) Limit() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limitLocked()
}

// Estimate returns the rule's limit before flooring.
func (l *Windowed) Estimate() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.limit
}

// Windows returns how many windows have updated the limit.
func (l *Windowed) Windows() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.windows
}

// Rule returns the limit's rule.
func (l *Windowed) Rule() Rule { return l.rule }
