package limiters

import (
	"context"
	"errors"
	"time"

	"go.uber.org/ratelimit"

	"github.com/syncbench/syncbench/impls"
)

// Uber adapts go.uber.org/ratelimit, a blocking pacer: Take sleeps until the next
// slot, T = ⌈1e9/Limit⌉ ns after the previous one, with Burst−1 slots of slack
// banked while idle (ratelimit.WithSlack), so up to Burst events pass at once after
// an idle period. It has no way to refuse without blocking, so the limiter is wait
// mode only, and Take cannot be cancelled: ctx is checked before each of the n
// slots is taken, and a slot taken is never given back.
//
// Admission bound (AdmissionBound): b + r·w with b = Burst (the slack plus one)
// and r = 1e9/T. In the library (v0.3.1, the atomic int64 limiter) each Take moves
// the last permission instant p to p + T, or, when more than slack·T + T have
// passed since p, to now − slack·T; either way permissions are at least T apart
// and none is more than slack·T before the Take that got it, which returns at
// max(p, now). So the Takes returning in [s, s+w] got permissions in
// [s − (Burst−1)·T, s+w]: at most Burst + w/T. Sustained rate r. The bound is on
// the permissions; a Take that slept returns after its permission by the timer's
// latency, and one woken more than slack·T late lands in a later window than its
// permission — at most one per waiting goroutine, which whoever counts returns
// must allow for.
//
// Safe for concurrent use.
type Uber struct {
	lim   ratelimit.Limiter
	burst int64
	bound impls.AdmissionBound
}

// errUberAllow is returned when the uber limiter is asked for allow mode.
var errUberAllow = errors.New(`uber (go.uber.org/ratelimit) is blocking only: use mode "wait"`)

// NewUber returns a go.uber.org/ratelimit limiter configured by cfg. cfg.Mode must
// be "wait": allow mode is an error, since the library cannot refuse.
func NewUber(cfg impls.Config) (*Uber, error) {
	s, err := parseConfig(cfg)
	if err != nil {
		return nil, err
	}
	if s.mode != ModeWait {
		return nil, errUberAllow
	}
	return newUber(s, cfg.Now), nil
}

func newUber(s settings, now func() time.Time) *Uber {
	var clk ratelimit.Clock
	if now != nil {
		clk = uberClock{now}
	}
	return newUberOn(s, clk)
}

// newUberOn builds the limiter on clk (nil: the library's real clock); the tests
// give it a fake clock whose Sleep moves fake time.
func newUberOn(s settings, clk ratelimit.Clock) *Uber {
	opts := []ratelimit.Option{ratelimit.Per(time.Duration(s.interval)), ratelimit.WithSlack(int(s.burst - 1))}
	if clk != nil {
		opts = append(opts, ratelimit.WithClock(clk))
	}
	return &Uber{lim: ratelimit.New(1, opts...), burst: s.burst, bound: s.rateBound("pacer with slack (go.uber.org/ratelimit)")}
}

// uberClock gives the library the configured clock for Now; sleeping stays real.
type uberClock struct{ now func() time.Time }

func (c uberClock) Now() time.Time        { return c.now() }
func (c uberClock) Sleep(d time.Duration) { time.Sleep(d) }

// AllowN cannot be answered without blocking: it refuses anything but n < 1.
func (u *Uber) AllowN(n int64) bool { return n < 1 }

// Wait is WaitN(ctx, 1).
func (u *Uber) Wait(ctx context.Context) error { return u.WaitN(ctx, 1) }

// WaitN takes n slots, one Take each, checking ctx before each.
func (u *Uber) WaitN(ctx context.Context, n int64) error {
	if n > u.burst {
		return ErrExceedsBurst
	}
	for range n {
		if err := ctx.Err(); err != nil {
			return err
		}
		u.lim.Take()
	}
	return nil
}

// AdmissionBound returns b + r·w (see the type's doc comment for the derivation).
func (u *Uber) AdmissionBound() impls.AdmissionBound { return u.bound }
