package workloads

import (
	"math"
	"time"
)

// burstArrivals alternates on periods at a fixed rate with silent off periods: a
// batch job, a retry storm, a cron fleet waking at once.
type burstArrivals struct {
	rate    float64
	on, off float64 // seconds
	perOn   float64 // arrivals per on period (may be fractional)
	i       float64
	done    bool
	mono    monotone
}

// Burst returns a schedule that offers rate ops/s (evenly spaced) during each on
// period and nothing during each off period, starting with an on period at offset
// 0; the cycle is on+off long and the mean rate rate·on/(on+off). When an on
// period holds a fraction of an arrival (rate·on < 1) the fraction carries over
// into later on periods, so the mean is kept. off ≤ 0 gives Constant(rate). rate
// must be positive and finite and on positive, otherwise the schedule is empty.
func Burst(rate float64, on, off time.Duration) Arrivals {
	b := &burstArrivals{rate: rate, on: on.Seconds(), off: max(off.Seconds(), 0)}
	b.perOn = rate * b.on
	b.done = !validRate(rate) || on <= 0
	return b
}

// Next returns the offset of the next arrival.
func (b *burstArrivals) Next() (time.Duration, bool) {
	if b.done {
		return 0, false
	}
	i := b.i
	b.i++
	cycle := math.Floor(i / b.perOn)
	rest := i - cycle*b.perOn
	// Floor of a rounded quotient can land one cycle off; put rest back into
	// [0, perOn) so no arrival falls into an off period.
	if rest < 0 {
		cycle--
		rest += b.perOn
	} else if rest >= b.perOn {
		cycle++
		rest -= b.perOn
	}
	d, ok := offsetAt(cycle*(b.on+b.off) + min(rest/b.rate, b.on))
	if !ok {
		b.done = true
		return 0, false
	}
	return b.mono.clamp(d), true
}

// RateAt returns rate during on periods and 0 during off periods.
func (b *burstArrivals) RateAt(t time.Duration) float64 {
	sec := t.Seconds()
	if sec < 0 || !validRate(b.rate) || !(b.on > 0) {
		return 0
	}
	if math.Mod(sec, b.on+b.off) < b.on {
		return b.rate
	}
	return 0
}

func (b *burstArrivals) expected(t time.Duration) float64 {
	sec := t.Seconds()
	if sec <= 0 || !validRate(b.rate) || !(b.on > 0) {
		return 0
	}
	cycle := b.on + b.off
	n := math.Floor(sec / cycle)
	return n*b.perOn + b.rate*min(sec-n*cycle, b.on)
}
