package workloads

import (
	"math"
	"time"
)

// sineArrivals has rate(t) = mean + amplitude·sin(2πt/period), a daily-traffic
// shape compressed in time. The integrated rate
// N(t) = mean·t + amplitude·period/(2π)·(1 − cos(2πt/period)) has no closed-form
// inverse, so each arrival is found numerically (safeguarded Newton within a
// bracket), starting from the previous one.
type sineArrivals struct {
	mean, amp float64
	period    float64 // seconds; 0 means a flat rate of mean
	i         float64
	t         float64 // offset of the previous arrival, seconds
	done      bool
	mono      monotone
}

// Sine returns a schedule whose rate oscillates as mean + amplitude·sin(2πt/period)
// ops/s, starting at the mean and rising first. Its mean rate over whole periods is
// `mean`. amplitude is clamped to [0, mean] because a rate cannot go negative
// (amplitude == mean touches 0 once a period); period ≤ 0 gives a flat rate of
// mean. mean must be positive and finite, otherwise the schedule is empty.
func Sine(mean, amplitude float64, period time.Duration) Arrivals {
	s := &sineArrivals{mean: mean, period: max(period.Seconds(), 0), done: !validRate(mean)}
	if !(amplitude > 0) {
		amplitude = 0
	}
	s.amp = min(amplitude, mean)
	if s.period == 0 {
		s.amp = 0
	}
	return s
}

// rate is the instantaneous rate at t seconds.
func (s *sineArrivals) rate(t float64) float64 {
	if s.amp == 0 {
		return s.mean
	}
	return s.mean + s.amp*math.Sin(2*math.Pi*t/s.period)
}

// count is N(t), the arrivals expected in [0, t) seconds.
func (s *sineArrivals) count(t float64) float64 {
	if s.amp == 0 {
		return s.mean * t
	}
	return s.mean*t + s.amp*s.period/(2*math.Pi)*(1-math.Cos(2*math.Pi*t/s.period))
}

// Next returns the offset of the next arrival.
func (s *sineArrivals) Next() (time.Duration, bool) {
	if s.done {
		return 0, false
	}
	i := s.i
	s.i++
	if i > 0 {
		s.t = s.solve(i)
	}
	d, ok := offsetAt(s.t)
	if !ok {
		s.done = true
		return 0, false
	}
	return s.mono.clamp(d), true
}

// solve returns t with N(t) = i, given N(s.t) = i−1. N never decreases (rate ≥ 0)
// and N(t) ≥ mean·t, so the root lies in [s.t, i/mean]; Newton converges in a few
// steps, and bisection takes over where the rate is near 0 (the trough when
// amplitude == mean) or Newton leaves the bracket.
func (s *sineArrivals) solve(i float64) float64 {
	lo, hi := s.t, i/s.mean
	if hi <= lo {
		return lo
	}
	t := min(lo+1/s.rate(lo+0.5/s.mean), hi)
	if !(t > lo) {
		t = (lo + hi) / 2
	}
	// Tolerances are relative because N and t grow without bound: an absolute
	// 1e-9 is below float64 resolution once N passes ~1e7.
	for range 100 {
		f := s.count(t) - i
		if math.Abs(f) <= 1e-9*max(1, i) {
			return t
		}
		if f < 0 {
			lo = t
		} else {
			hi = t
		}
		if hi-lo <= 1e-12*max(1, hi) {
			return hi
		}
		next := t - f/s.rate(t)
		if !(next > lo && next < hi) {
			next = (lo + hi) / 2
		}
		t = next
	}
	return t
}

// RateAt returns mean + amplitude·sin(2πt/period) for t ≥ 0.
func (s *sineArrivals) RateAt(t time.Duration) float64 {
	if t < 0 || !validRate(s.mean) {
		return 0
	}
	return s.rate(t.Seconds())
}

func (s *sineArrivals) expected(t time.Duration) float64 {
	if t <= 0 || !validRate(s.mean) {
		return 0
	}
	return s.count(t.Seconds())
}
