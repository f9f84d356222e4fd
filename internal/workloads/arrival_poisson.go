package workloads

import (
	"math/rand/v2"
	"time"
)

// seedStream is the PCG stream constant every seeded schedule and chooser in this
// package uses, so one -seed value reproduces a whole run.
const seedStream = 0x5eed_5eed_5eed_5eed

// newRand returns a generator seeded from seed, reproducible across runs and
// platforms (PCG is specified exactly).
func newRand(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), seedStream))
}

// poissonArrivals is a Poisson process: exponentially distributed gaps with mean
// 1/rate, the memoryless arrivals of many independent clients.
type poissonArrivals struct {
	rate float64
	rng  *rand.Rand
	t    float64 // offset of the last arrival, seconds
	done bool
}

// Poisson returns a Poisson arrival schedule of mean rate ops/s: the gaps between
// arrivals are independent and exponentially distributed with mean 1/rate, so
// arrivals bunch and spread as real independent clients' do (coefficient of
// variation 1, against 0 for Constant). The first arrival comes one random gap
// after offset 0. The same seed gives the same offsets.
//
// rate must be positive and finite; otherwise the schedule is empty (Next reports
// false at once). Absolute offsets are accumulated in float64 seconds, which keeps
// nanosecond resolution for runs of months.
func Poisson(rate float64, seed int64) Arrivals {
	return &poissonArrivals{rate: rate, rng: newRand(seed), done: !validRate(rate)}
}

// Next returns the offset of the next arrival.
func (p *poissonArrivals) Next() (time.Duration, bool) {
	if p.done {
		return 0, false
	}
	p.t += p.rng.ExpFloat64() / p.rate
	d, ok := offsetAt(p.t)
	if !ok {
		p.done = true
	}
	return d, ok
}

// RateAt returns the mean rate for any t ≥ 0.
func (p *poissonArrivals) RateAt(t time.Duration) float64 {
	if t < 0 || !validRate(p.rate) {
		return 0
	}
	return p.rate
}

func (p *poissonArrivals) expected(t time.Duration) float64 {
	return p.RateAt(t) * max(t.Seconds(), 0)
}
