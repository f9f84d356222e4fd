package workloads

import (
	"math"
	"time"
)

// rampArrivals changes its rate linearly from `from` to `to` over `over`, then holds
// `to`. The i-th arrival (from 0) is placed where the integrated rate
// N(t) = from·t + (to−from)·t²/(2·over) reaches i, solved in closed form, so
// offsets are exact and never accumulate rounding.
type rampArrivals struct {
	from, to float64
	over     float64 // seconds; 0 means no ramp, hold `to` from the start
	nOver    float64 // N(over): arrivals during the ramp
	i        float64
	done     bool
	mono     monotone
}

// Ramp returns a schedule whose rate goes linearly from `from` ops/s at offset 0
// to `to` ops/s at offset `over`, and stays at `to` afterwards. Either rate may be
// 0: ramping up from 0 starts with one arrival at offset 0 and then sparse ones; a
// ramp down to 0 ends the schedule (Next reports false) once the ramp's arrivals
// are used up, rather than waiting forever. over ≤ 0 means a constant rate of
// `to`. Negative or non-finite rates make the schedule empty.
func Ramp(from, to float64, over time.Duration) Arrivals {
	r := &rampArrivals{from: from, to: to, over: max(over.Seconds(), 0)}
	bad := func(x float64) bool { return !(x >= 0) || math.IsInf(x, 1) }
	r.done = bad(from) || bad(to) || (from == 0 && to == 0)
	r.nOver = (from + to) / 2 * r.over
	return r
}

// Next returns the offset of the next arrival.
func (r *rampArrivals) Next() (time.Duration, bool) {
	if r.done {
		return 0, false
	}
	i := r.i
	r.i++
	var t float64
	if i <= r.nOver && r.over > 0 {
		// Solve a·t² + b·t − i = 0 with a = (to−from)/(2·over), b = from, in the
		// form 2i / (b + √(b²+4ai)) that stays accurate when a is tiny or negative.
		// For 0 ≤ i ≤ N(over) the discriminant is ≥ to² ≥ 0, so the root is real.
		a := (r.to - r.from) / (2 * r.over)
		disc := max(r.from*r.from+4*a*i, 0)
		if den := r.from + math.Sqrt(disc); den > 0 {
			t = min(2*i/den, r.over)
		}
	} else {
		if r.to == 0 {
			r.done = true
			return 0, false
		}
		t = r.over + (i-r.nOver)/r.to
	}
	d, ok := offsetAt(t)
	if !ok {
		r.done = true
		return 0, false
	}
	return r.mono.clamp(d), true
}

// RateAt returns the ramp's rate at offset t: linear during the ramp, `to` after.
func (r *rampArrivals) RateAt(t time.Duration) float64 {
	s := t.Seconds()
	switch {
	case s < 0 || !(r.from >= 0 && r.to >= 0):
		return 0
	case s >= r.over:
		return r.to
	default:
		return r.from + (r.to-r.from)*s/r.over
	}
}

func (r *rampArrivals) expected(t time.Duration) float64 {
	s := t.Seconds()
	switch {
	case s <= 0 || !(r.from >= 0 && r.to >= 0):
		return 0
	case s >= r.over:
		return r.nOver + (s-r.over)*r.to
	default:
		return r.from*s + (r.to-r.from)*s*s/(2*r.over)
	}
}
