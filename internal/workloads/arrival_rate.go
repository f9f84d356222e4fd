package workloads

import (
	"math"
	"time"
)

// RateReporter is implemented by arrival schedules that know their nominal
// (intended) rate at each instant. Reports use it to show the offered rate of a
// shaped schedule next to what was achieved; a schedule that cannot say (an
// ArrivalsFunc) simply does not implement it.
type RateReporter interface {
	// RateAt returns the nominal arrival rate in ops/s at offset t from the start
	// of the schedule. It is 0 before the start, during pauses and after a finite
	// schedule ends. It does not advance the schedule and may be called at any time
	// from the goroutine that owns the schedule.
	RateAt(t time.Duration) float64
}

// expecter is implemented by schedules that can give the exact integral of their
// rate: the number of arrivals expected in [0, t). MeanRate prefers it to sampling
// RateAt, which would alias against on/off cycles.
type expecter interface {
	expected(t time.Duration) float64
}

// meanRateSamples is how many points MeanRate averages when a schedule offers only
// RateAt: enough for a smooth shape to be exact to well under a percent.
const meanRateSamples = 10000

// MeanRate returns the nominal mean rate of a over [0, d) in ops/s, and false when
// a does not report its rate (it is not a RateReporter) or d is not positive. It
// does not advance a.
func MeanRate(a Arrivals, d time.Duration) (float64, bool) {
	if d <= 0 {
		return 0, false
	}
	if e, ok := a.(expecter); ok {
		return e.expected(d) / d.Seconds(), true
	}
	r, ok := a.(RateReporter)
	if !ok {
		return 0, false
	}
	// Midpoint rule: each sample stands for an equal slice of [0, d).
	var sum float64
	step := float64(d) / meanRateSamples
	for i := range meanRateSamples {
		sum += r.RateAt(time.Duration((float64(i) + 0.5) * step))
	}
	return sum / meanRateSamples, true
}

// constantArrivals is Constant with its rate attached, so the schedule built by
// ParseArrival("constant", ...) reports its rate like every other shape.
type constantArrivals struct {
	Arrivals
	rate float64
}

// RateAt returns the constant rate from offset 0 on.
func (c constantArrivals) RateAt(t time.Duration) float64 {
	if t < 0 {
		return 0
	}
	return c.rate
}

func (c constantArrivals) expected(t time.Duration) float64 {
	if t <= 0 {
		return 0
	}
	return c.rate * t.Seconds()
}

// offsetAt converts an offset in seconds to a Duration, reporting false when it is
// not representable (NaN, negative, or beyond ~292 years): schedules end there
// rather than wrap around.
func offsetAt(sec float64) (time.Duration, bool) {
	ns := sec * float64(time.Second)
	if !(ns >= 0) || ns >= 0x1p63 {
		return 0, false
	}
	return time.Duration(ns), true
}

// validRate reports whether r is a usable rate in ops/s: positive and finite.
func validRate(r float64) bool {
	return r > 0 && !math.IsInf(r, 1)
}

// monotone keeps a schedule's offsets non-decreasing in the face of floating-point
// rounding at segment boundaries (a stage change, a cycle wrap), which could
// otherwise step an offset back by a nanosecond.
type monotone struct{ last time.Duration }

func (m *monotone) clamp(d time.Duration) time.Duration {
	if d < m.last {
		return m.last
	}
	m.last = d
	return d
}

// Finite is implemented by schedules that end by themselves (Step, Replay). The
// driver can use Span to default or cap a run's duration; after Span the schedule
// yields nothing more.
type Finite interface {
	// Span returns the offset at which the schedule ends.
	Span() time.Duration
}
