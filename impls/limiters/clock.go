package limiters

import "time"

// clock reads instants as nanoseconds since the limiter was built. Working in int64
// nanoseconds keeps float maths and time.Time out of the admission path, and the
// real clock reads only the runtime's monotonic nanotime (time.Since's fast path),
// which is cheaper than time.Now's wall-and-monotonic read.
type clock struct {
	base time.Time
	now  func() time.Time // nil: real monotonic clock
}

func newClock(now func() time.Time) clock {
	if now == nil {
		return clock{base: time.Now()}
	}
	return clock{base: now(), now: now}
}

// nanos returns the current instant in ns since construction. With a fake clock
// that goes backwards it may be negative; every algorithm treats time that goes
// backwards as time that stands still.
func (c *clock) nanos() int64 {
	if c.now == nil {
		return int64(time.Since(c.base))
	}
	return int64(c.now().Sub(c.base))
}
