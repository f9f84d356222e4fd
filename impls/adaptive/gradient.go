package adaptive

import (
	"math"
	"time"
)

// Gradient is the rule of Netflix's concurrency-limits GradientLimit
// (concurrency-limits-core/.../limit/GradientLimit.java), applied to each window:
//
//	rttNoLoad = the no-load round-trip estimate (below)
//	rtt'      = rtt / Tolerance
//	gradient  = 1 if rtt' < rttNoLoad, else max(0.5, rttNoLoad / rtt')
//	queue     = max(4, √limit)
//	new       = limit/2 if dropped, else limit·gradient + queue
//	if new < limit: new = (1−Smoothing)·limit + Smoothing·new
//	new       = max(queue, new)
//	(the limit moves only when maxInflight·2 ≥ limit)
//
// The no-load estimate is Netflix's ExpAvgMeasurement(1000, 1.1): it drops to any
// lower round trip at once, and otherwise creeps towards min(1.1·estimate, rtt)
// by a thousandth per window. Defaults are Netflix's: Tolerance 2 (a doubling of
// latency is tolerated before the limit shrinks) and Smoothing 0.2. The queue
// allowance means the limit settles above the capacity by design: with a
// backend of capacity C and Tolerance 2 it settles near 2C + 4.
type Gradient struct {
	Tolerance, Smoothing float64
	rttNoLoad            float64
}

// NewGradient returns the rule with Netflix's defaults.
func NewGradient() *Gradient { return &Gradient{Tolerance: 2, Smoothing: 0.2} }

// Update applies the rule to one window.
func (g *Gradient) Update(limit float64, w Window) float64 {
	sample := float64(w.AvgRTT)
	switch {
	case g.rttNoLoad == 0 || sample < g.rttNoLoad:
		g.rttNoLoad = sample
	default:
		g.rttNoLoad = 0.999*g.rttNoLoad + 0.001*math.Min(1.1*g.rttNoLoad, sample)
	}
	queue := math.Max(4, math.Sqrt(limit))
	rtt := sample / g.Tolerance
	gradient := 1.0
	if rtt >= g.rttNoLoad && rtt > 0 {
		gradient = math.Max(0.5, g.rttNoLoad/rtt)
	}
	next := limit*gradient + queue
	if w.Dropped {
		next = limit / 2
	}
	if next < limit {
		next = (1-g.Smoothing)*limit + g.Smoothing*next
	}
	next = math.Max(queue, next)
	if float64(w.MaxInFlight)*2 < limit {
		return limit // app-limited: no upward drift
	}
	return next
}

// RTTNoLoad returns the current no-load round-trip estimate.
func (g *Gradient) RTTNoLoad() time.Duration { return time.Duration(g.rttNoLoad) }

// Name says what the rule is.
func (*Gradient) Name() string { return "gradient (Netflix GradientLimit)" }
