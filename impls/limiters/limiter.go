package limiters

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// Limiter is the face every algorithm in this package offers. Implementations are
// safe for concurrent use.
type Limiter interface {
	// AllowN reports whether n events may happen now, and if so charges them. It
	// never blocks. n < 1 admits nothing and reports true; n above the burst is
	// always refused.
	AllowN(n int64) bool
	// WaitN blocks until n events may happen and charges them. It returns
	// ErrExceedsBurst at once when n can never be admitted, and ctx.Err() when ctx
	// ends first (having charged nothing, or having refunded its reservation where
	// the algorithm reserves).
	WaitN(ctx context.Context, n int64) error
}

// fallibleLimiter is implemented by limiters whose admission can fail for a reason
// other than the limit (throttled's store exhausting its compare-and-swap retries).
// The Target adapter counts such failures as impls.Error, not as denials.
type fallibleLimiter interface {
	TryAllowN(n int64) (bool, error)
}

// ErrExceedsBurst is returned by WaitN when n is larger than the limiter's burst (or,
// for window algorithms, its per-window limit L), so it could never be admitted.
var ErrExceedsBurst = errors.New("limiters: request exceeds the burst and can never be admitted")

// Modes of a limiter Target (impls.Config.Mode).
const (
	ModeAllow = impls.ModeAllow
	ModeWait  = impls.ModeWait
)

// Defaults applied to zero Config fields.
const (
	DefaultLimit  = 1000.0
	DefaultBurst  = 100
	DefaultWindow = time.Second
)

// maxLimit is the highest rate representable with a whole-nanosecond emission
// interval.
const maxLimit = 1e9

// settings is a validated Config with defaults applied, in the units the
// algorithms compute in.
type settings struct {
	limit  float64 // events per second
	burst  int64   // events
	window int64   // ns
	mode   impls.Mode
	// interval is T = ⌈1e9/limit⌉ ns, the spacing of events at the sustained rate.
	interval int64
	// perWindow is L = ⌊limit·window⌋, what window algorithms admit per window.
	perWindow int64
	clock     clock
}

// parseConfig validates cfg and applies defaults. Errors name the bad field and
// value and say what is allowed.
func parseConfig(cfg impls.Config) (settings, error) {
	s := settings{limit: cfg.Limit, burst: int64(cfg.Burst), window: int64(cfg.Window), mode: cfg.Mode}
	switch {
	case math.IsNaN(s.limit) || s.limit < 0 || s.limit > maxLimit:
		return s, fmt.Errorf("limit %v events/s is out of range (allowed: > 0 up to %g events/s, one per nanosecond)", cfg.Limit, maxLimit)
	case s.limit == 0:
		s.limit = DefaultLimit
	}
	switch {
	case s.burst < 0:
		return s, fmt.Errorf("burst %d is negative (allowed: 1 or more events)", cfg.Burst)
	case s.burst == 0:
		s.burst = DefaultBurst
	}
	switch {
	case s.window < 0:
		return s, fmt.Errorf("window %v is negative (allowed: a positive duration)", cfg.Window)
	case s.window == 0:
		s.window = int64(DefaultWindow)
	}
	switch s.mode {
	case "":
		s.mode = ModeAllow
	case ModeAllow, ModeWait:
	default:
		return s, fmt.Errorf("mode %q is not allowed: want %q or %q", cfg.Mode, ModeAllow, ModeWait)
	}
	s.interval = int64(math.Ceil(1e9 / s.limit))
	if s.burst > math.MaxInt64/4/s.interval { // keeps every n·T and Burst·T far from overflow
		return s, fmt.Errorf("burst %d at limit %g events/s spans more time than can be represented: lower the burst", s.burst, s.limit)
	}
	perWindow := math.Floor(s.limit * float64(s.window) / 1e9)
	if perWindow > math.MaxInt32 {
		perWindow = math.MaxInt32
	}
	s.perWindow = int64(perWindow)
	s.clock = newClock(cfg.Now)
	return s, nil
}

// windowLimit checks that the window admits at least one event, for the window
// algorithms.
func (s settings) windowLimit() (int64, error) {
	if s.perWindow < 1 {
		return 0, fmt.Errorf("limit %g events/s over window %v admits no event per window: lengthen the window or raise the limit",
			s.limit, time.Duration(s.window))
	}
	return s.perWindow, nil
}
