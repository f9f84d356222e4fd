package limiters

import (
	"context"
	"time"

	"golang.org/x/time/rate"

	"github.com/syncbench/syncbench/impls"
)

// XRate adapts golang.org/x/time/rate's Limiter, the reference token bucket:
// rate.NewLimiter(Limit, Burst), a mutex and float64 tokens. Its admission rule is
// the token bucket's (at most Burst + Limit·t in a window t), computed in floating
// point. AllowN reads the configured clock (cfg.Now); WaitN uses the library's own
// WaitN, which always reads the real clock, and refunds its reservation when ctx
// ends first.
//
// Admission bound (AdmissionBound): b + r·w with b = Burst and r = Limit exactly
// (the library keeps fractional tokens, so no rounding of the interval). Tokens
// grow continuously at r up to b and an admission of n needs n of them, so a
// window [s, s+w] admits at most tokens(s) + r·w ≤ b + r·w. WaitN reserves instead,
// letting the count go negative, and returns at the instant it is back to zero:
// the same bound holds for those instants. Sustained rate r.
//
// Safe for concurrent use.
type XRate struct {
	lim   *rate.Limiter
	now   func() time.Time
	burst int64
	bound impls.AdmissionBound
}

// NewXRate returns an x/time/rate limiter configured by cfg.
func NewXRate(cfg impls.Config) (*XRate, error) {
	s, err := parseConfig(cfg)
	if err != nil {
		return nil, err
	}
	return newXRate(s, cfg.Clock()), nil
}

func newXRate(s settings, now func() time.Time) *XRate {
	b := s.rateBound("token bucket (x/time/rate)")
	b.Rate = s.limit
	return &XRate{lim: rate.NewLimiter(rate.Limit(s.limit), int(s.burst)), now: now, burst: s.burst, bound: b}
}

// AdmissionBound returns b + r·w (see the type's doc comment for the derivation).
func (x *XRate) AdmissionBound() impls.AdmissionBound { return x.bound }

// Allow is AllowN(1).
func (x *XRate) Allow() bool { return x.AllowN(1) }

// AllowN calls rate.Limiter.AllowN at the configured clock's now. n < 1 reports
// true; n > Burst is refused.
func (x *XRate) AllowN(n int64) bool {
	if n < 1 {
		return true
	}
	if n > x.burst {
		return false
	}
	return x.lim.AllowN(x.now(), int(n))
}

// Wait is WaitN(ctx, 1).
func (x *XRate) Wait(ctx context.Context) error { return x.WaitN(ctx, 1) }

// WaitN calls rate.Limiter.WaitN. A ctx deadline sooner than the wait needed makes
// the library refuse at once, reported as context.DeadlineExceeded.
func (x *XRate) WaitN(ctx context.Context, n int64) error {
	if n < 1 {
		return nil
	}
	if n > x.burst {
		return ErrExceedsBurst
	}
	if err := x.lim.WaitN(ctx, int(n)); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// The library refuses without waiting when the deadline comes first.
		if _, ok := ctx.Deadline(); ok {
			return context.DeadlineExceeded
		}
		return err
	}
	return nil
}
