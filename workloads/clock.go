package workloads

import (
	"runtime"
	"time"
)

// runClock reads nanoseconds since the run's start on the monotonic clock. It is
// cheaper than time.Now (one clock read instead of two: time.Since on a time with a
// monotonic reading reads only the monotonic clock), which matters because every op
// reads it twice and the harness floor is made of those reads.
type runClock struct{ base time.Time }

func newRunClock() runClock { return runClock{base: time.Now()} }

// now returns nanoseconds since the run's start.
func (c runClock) now() int64 { return int64(time.Since(c.base)) }

// sleepSlack is how much earlier than the target instant a sleep must end. Go's
// timers on Linux overshoot by about 1 ms for short sleeps (measured here: a 100 µs
// sleep takes ~1.1 ms), so the last stretch before an instant is spun instead.
const sleepSlack = 1500 * time.Microsecond

// waitUntil blocks until the run clock reaches at (ns): a sleep for the bulk of a
// long wait, then a spin that yields the processor between clock reads, so the
// wake-up is late by microseconds rather than the timer's millisecond. stop is
// polled while waiting; waitUntil returns false if it was set.
func (c runClock) waitUntil(at int64, stop func() bool) bool {
	for {
		d := at - c.now()
		if d <= 0 {
			return true
		}
		if stop() {
			return false
		}
		if d > int64(sleepSlack)+int64(500*time.Microsecond) {
			// Sleep at most 50 ms at a time so stop is noticed promptly.
			time.Sleep(min(time.Duration(d)-sleepSlack, 50*time.Millisecond))
			continue
		}
		// Yield between clock reads: when workers outnumber processors, a
		// spinner that never yields keeps a worker whose instant has come off
		// the processor until the scheduler preempts it, 10 ms later.
		runtime.Gosched()
	}
}
