package adaptive

import (
	"math"
	"math/rand/v2"
)

// Vegas is the rule of TCP Vegas as Netflix's concurrency-limits VegasLimit
// applies it (concurrency-limits-core/.../limit/VegasLimit.java), to each window:
//
//	queue = ⌈limit · (1 − rttNoLoad/rtt)⌉         the calls estimated queued
//	l     = max(1, ⌊log10 limit⌋)                  1 below a limit of 100
//	alpha, beta, threshold = 3l, 6l, l
//	dropped:             limit − l
//	inflight·2 < limit:  unchanged (the limit is not in use)
//	queue ≤ threshold:   limit + beta               (no queue: grow fast)
//	queue < alpha:       limit + l
//	queue > beta:        limit − l
//	otherwise:           unchanged                   (the sweet spot)
//
// rttNoLoad is the least round trip seen; every ProbeMultiplier·limit windows
// (times a jitter drawn from [0.5, 1)) it is reset to the current round trip, so
// that a backend that got slower for good is relearned. Netflix's defaults:
// ProbeMultiplier 30, smoothing 1 (none). By design the limit settles with alpha
// to beta calls queued: a few above the capacity.
type Vegas struct {
	ProbeMultiplier float64
	rttNoLoad       float64
	probeCount      int
	jitter          float64
	rng             *rand.Rand
}

// NewVegas returns the rule with Netflix's defaults; seed draws the probe jitter.
func NewVegas(seed int64) *Vegas {
	v := &Vegas{ProbeMultiplier: 30, rng: rand.New(rand.NewPCG(uint64(seed), 0x5bd1e995))}
	v.jitter = 0.5 + v.rng.Float64()/2
	return v
}

// Update applies the rule to one window.
func (v *Vegas) Update(limit float64, w Window) float64 {
	rtt := float64(w.AvgRTT)
	v.probeCount++
	if v.jitter*v.ProbeMultiplier*limit <= float64(v.probeCount) {
		v.jitter, v.probeCount, v.rttNoLoad = 0.5+v.rng.Float64()/2, 0, rtt
		return limit
	}
	if v.rttNoLoad == 0 || rtt < v.rttNoLoad {
		v.rttNoLoad = rtt
		return limit
	}
	queue := math.Ceil(limit * (1 - v.rttNoLoad/rtt))
	l := math.Max(1, math.Floor(math.Log10(limit)))
	alpha, beta, threshold := 3*l, 6*l, l
	switch {
	case w.Dropped:
		return math.Max(1, limit-l)
	case float64(w.MaxInFlight)*2 < limit:
		return limit
	case queue <= threshold:
		return limit + beta
	case queue < alpha:
		return limit + l
	case queue > beta:
		return math.Max(1, limit-l)
	}
	return limit
}

// Name says what the rule is.
func (*Vegas) Name() string { return "Vegas (Netflix VegasLimit)" }
