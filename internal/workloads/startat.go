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

// waitForStart returns once Spec.StartAt−Warmup has come (at once without
// StartAt), or when ctx ends: the warm-up is what is left before StartAt. It
// fails with a *StartPassedError when StartAt itself has already passed.
// StartAt is compared on the monotonic clock when it has a reading and on the
// wall clock when it came from elsewhere (another host, a Redis server's TIME).
func waitForStart(ctx context.Context, spec Spec) error {
	if spec.StartAt.IsZero() {
		return nil
	}
	waitUntil(ctx, spec.StartAt.Add(-spec.Warmup))
	if late := time.Since(spec.StartAt); late > startLateTolerance && ctx.Err() == nil {
		return &StartPassedError{StartAt: spec.StartAt, Late: late}
	}
	return nil
}

// startClock returns a run clock starting now and the measured window's start
// on it (ns): after the warm-up, or, with Spec.StartAt (waitForStart having
// returned), at StartAt.
func startClock(spec Spec) (runClock, int64) {
	clock := newRunClock()
	if spec.StartAt.IsZero() {
		return clock, int64(spec.Warmup)
	}
	return clock, max(0, int64(spec.StartAt.Sub(clock.base)))
}
