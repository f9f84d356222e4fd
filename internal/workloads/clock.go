package workloads

import "time"

// runClock reads nanoseconds since the run's start on the monotonic clock. It is
// cheaper than time.Now (one clock read instead of two: time.Since on a time with a
// monotonic reading reads only the monotonic clock), which matters because every op
// reads it twice and the harness floor is made of those reads. How the open loop
// waits for an instant on it is the pacer's business (pacer.go).
type runClock struct{ base time.Time }

func newRunClock() runClock { return runClock{base: time.Now()} }

// now returns nanoseconds since the run's start.
func (c runClock) now() int64 { return int64(time.Since(c.base)) }
