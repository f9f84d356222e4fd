package workloads

import (
	"context"
	"fmt"
	"runtime"
	"time"
)

// startLateTolerance is how far past Spec.StartAt a run may begin and still
// count as starting on it: the spin wait wakes microseconds late, which must
// not fail a run without warm-up.
const startLateTolerance = time.Millisecond

// StartPassedError reports a Spec.StartAt that had already passed when Drive
// was called: the window it names can no longer be measured whole.
type StartPassedError struct {
	// StartAt is the instant asked for; Late is how long ago it was.
	StartAt time.Time
	Late    time.Duration
}

func (e *StartPassedError) Error() string {
	return fmt.Sprintf("start instant %s passed %v before the run could begin", e.StartAt.UTC().Format(time.RFC3339Nano), e.Late.Round(time.Microsecond))
}

// startSpin is the last stretch before the start that is spun rather than
// slept: Go's timers overshoot by about a millisecond.
const startSpin = 2 * time.Millisecond

// waitUntil returns at instant at, or when ctx ends: it sleeps (in slices, so
// that ctx is noticed) until startSpin before it, then spins, yielding.
func waitUntil(ctx context.Context, at time.Time) {
	for ctx.Err() == nil {
		d := time.Until(at)
		switch {
		case d <= 0:
			return
		case d > startSpin:
			time.Sleep(min(d-startSpin, 50*time.Millisecond))
		default:
			runtime.Gosched()
		}
	}
}

// startClock returns the run clock and the measured window's start on it (ns).
// Without Spec.StartAt the clock starts now and the window after the warm-up.
// With it, startClock first waits (sleep, then spin) until StartAt−Warmup, or
// until ctx ends, so that the window opens at StartAt; the warm-up is what is
// left before StartAt. StartAt is compared on the monotonic clock when it has a
// reading and on the wall clock when it came from elsewhere (another host, a
// Redis server's TIME).
func startClock(ctx context.Context, spec Spec) (runClock, int64, error) {
	if spec.StartAt.IsZero() {
		return newRunClock(), int64(spec.Warmup), nil
	}
	waitUntil(ctx, spec.StartAt.Add(-spec.Warmup))
	clock := newRunClock()
	start := int64(spec.StartAt.Sub(clock.base))
	if start < 0 {
		if late := time.Duration(-start); late > startLateTolerance && ctx.Err() == nil {
			return runClock{}, 0, &StartPassedError{StartAt: spec.StartAt, Late: late}
		}
		start = 0
	}
	return clock, start, nil
}
