package workloads

import "time"

// Arrivals is an open-loop arrival schedule: it yields the absolute intended start
// of each op as an offset from the start of the schedule. Offsets never decrease.
// Computing absolute instants (rather than sleeping a gap after each op) means a
// late op does not push every later op back: the schedule is what was offered.
//
// An Arrivals need not be safe for concurrent use: the driver's workers take
// turns calling Next under a lock. Implementations that draw random gaps take a
// seed and are reproducible.
type Arrivals interface {
	// Next returns the intended offset of the next op, or ok == false when the
	// schedule has no more ops.
	Next() (offset time.Duration, ok bool)
}

// ArrivalsFunc adapts a function to the Arrivals interface.
type ArrivalsFunc func() (time.Duration, bool)

// Next calls f.
func (f ArrivalsFunc) Next() (time.Duration, bool) { return f() }

// Constant returns a schedule of evenly spaced arrivals at rate ops/s, the i-th op
// (from 0) at i/rate seconds. Each offset is computed from i, not by adding a gap to
// the previous one, so rounding never accumulates. rate must be positive.
func Constant(rate float64) Arrivals {
	return &constantSchedule{rate: rate}
}
