package adaptive

import "github.com/failsafe-go/failsafe-go/adaptivelimiter"

// failsafeLimiter adapts github.com/failsafe-go/failsafe-go's adaptive limiter: a
// maintained Go library whose limit follows the trend of recent round trips
// against a moving baseline (Vegas-like queue thresholds on a t-digest quantile
// of recent executions), and which is meant to settle on the backend's capacity
// without queueing. It reads the real clock itself, so it is measured in runs, not
// on a ManualClock. A dropped call releases its permit without a sample, as the
// library asks for timeouts.
type failsafeLimiter struct {
	l adaptivelimiter.AdaptiveLimiter[any]
}

func newFailsafeLimiter(initial int) failsafeLimiter {
	return failsafeLimiter{l: adaptivelimiter.NewBuilder[any]().WithLimits(1, 1000, uint(initial)).Build()}
}

func (f failsafeLimiter) TryAcquire() (func(dropped bool), bool) {
	p, ok := f.l.TryAcquirePermit()
	if !ok {
		return nil, false
	}
	return func(dropped bool) {
		if dropped {
			p.Drop()
		} else {
			p.Record()
		}
	}, true
}

func (f failsafeLimiter) Limit() int { return f.l.Limit() }

func (failsafeLimiter) Name() string { return "failsafe-go adaptivelimiter" }
