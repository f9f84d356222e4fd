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
// Safe for concurrent use.
type Uber struct {
	lim   ratelimit.Limiter
	burst int64
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
	opts := []ratelimit.Option{ratelimit.Per(time.Duration(s.interval)), ratelimit.WithSlack(int(s.burst - 1))}
	if now != nil {
		opts = append(opts, ratelimit.WithClock(uberClock{now}))
	}
	return &Uber{lim: ratelimit.New(1, opts...), burst: s.burst}
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
