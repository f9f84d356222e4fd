package redis

import "github.com/syncbench/syncbench/impls"

// limiterBound is the admission bound each Redis limiter states (impls.Bounded),
// derived from its script, in the terms of impls.AdmissionBound: b = Burst,
// r = Limit, L = round(Limit·Window), W = Window.
//
//   - redis-gcra: the TAT moves to max(TAT, now) + n·T and an admission needs it
//     within τ = Burst·T of now, so a window [s, s+w] admits k events only if
//     s + k·T − (s+w) ≤ Burst·T: b + r·w, as for the in-process GCRA.
//   - redis-tokenbucket: fractional tokens refilled at r up to b, n taken per
//     admission: at most tokens(s) + r·w ≤ b + r·w.
//   - redis-rate (go-redis/redis_rate, GCRA with Burst and Rate per Period):
//     b + r·w as for GCRA.
//   - redis-fixedwindow: INCRBY on a key expiring at the end of the window,
//     aligned to multiples of W on the server's clock, refusing (and taking back)
//     past L: L per aligned window, 2L across a boundary. The origin is the
//     server's epoch, unknown here, so only the 2L bound is checked.
//   - redis-slidinglog: admits iff the sorted set, trimmed to (now − W, now],
//     then holds at most L: L per any window W.
//
// With several keys each key has its own state, so the bound is per key.
func limiterBound(name string, l limits, keys int) impls.AdmissionBound {
	b := impls.AdmissionBound{Algorithm: name, Rule: "b + r·w", Shape: impls.BoundRate,
		Rate: l.rate, Burst: float64(l.burst), PerKey: keys > 1}
	switch name {
	case NameFixedWindow:
		b.Rule, b.Shape, b.Burst = "L per aligned W, 2L per any W", impls.BoundAlignedWindow, 0
	case NameSlidingLog:
		b.Rule, b.Shape, b.Burst = "L per any W", impls.BoundSlidingWindow, 0
	default:
		return b
	}
	b.Window, b.PerWindow = l.window, float64(l.perWindow)
	b.Rate = float64(l.perWindow) / l.window.Seconds()
	return b
}

// AdmissionBound returns the limiter's bound (see limiterBound).
func (t *limiterTarget) AdmissionBound() impls.AdmissionBound { return t.bound }
