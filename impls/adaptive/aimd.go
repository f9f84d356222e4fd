package adaptive

import (
	"math"
	"time"
)

// AIMD is additive increase, multiplicative decrease, the rule of TCP Reno's
// congestion window as Netflix's concurrency-limits AIMDLimit applies it to a
// concurrency limit (concurrency-limits-core/.../limit/AIMDLimit.java):
//
//	if dropped or rtt > Threshold:   limit = ⌊limit · Backoff⌋
//	else if inflight·2 ≥ limit:      limit = limit + 1
//	(else the limit is not in use, and stays)
//
// Here rtt and inflight are a window's mean round trip and its most calls in
// flight (see Windowed), so the limit halves at most once per window rather than
// once per late call. Netflix's defaults are Backoff 0.9 and a 5 s Threshold; the
// registered "aimd" halves (Backoff 0.5) and takes as overload a window whose
// mean round trip is above twice the backend's healthy mean service time (at
// least 1 ms: below that a timer's lateness would read as overload).
type AIMD struct {
	// Threshold is the round trip above which a window counts as a drop.
	Threshold time.Duration
	// Backoff is the factor a drop multiplies the limit by, in (0, 1).
	Backoff float64
}

// Update applies the rule to one window.
func (a AIMD) Update(limit float64, w Window) float64 {
	if w.Dropped || w.AvgRTT > a.Threshold {
		return math.Floor(limit * a.Backoff)
	}
	if float64(w.MaxInFlight)*2 >= limit {
		return limit + 1
	}
	return limit
}

// Name says what the rule is.
func (AIMD) Name() string { return "AIMD (Netflix AIMDLimit)" }
