package limiters

import (
	"time"

	"github.com/syncbench/syncbench/impls"
)

// Each algorithm states its admission bound (impls.AdmissionBound) from its
// validated settings; the derivation of each is in the algorithm's doc comment.
// These helpers build the two families of bounds they share.

// rateBound is b + r·w for the algorithms that space events T = ⌈1e9/Limit⌉ ns
// apart with Burst of slack: r = 1e9/T, which equals Limit when Limit divides 1e9
// and is otherwise a little below it.
func (s settings) rateBound(algorithm string) impls.AdmissionBound {
	return impls.AdmissionBound{
		Algorithm: algorithm,
		Rule:      "b + r·w",
		Shape:     impls.BoundRate,
		Rate:      1e9 / float64(s.interval),
		Burst:     float64(s.burst),
	}
}

// windowBound is the bound of a window algorithm admitting L = ⌊Limit·Window⌋ per
// window: sustained rate L/W.
func (s settings) windowBound(algorithm, rule string, shape impls.BoundShape, transient string) impls.AdmissionBound {
	return impls.AdmissionBound{
		Algorithm: algorithm,
		Rule:      rule,
		Shape:     shape,
		Rate:      float64(s.perWindow) / time.Duration(s.window).Seconds(),
		Window:    time.Duration(s.window),
		PerWindow: float64(s.perWindow),
		Transient: transient,
	}
}

// alignedBound is windowBound for the algorithms counting per window aligned to
// the limiter's construction instant, which is their Origin.
func (s settings) alignedBound(algorithm, transient string) impls.AdmissionBound {
	b := s.windowBound(algorithm, "L per aligned W, 2L per any W", impls.BoundAlignedWindow, transient)
	b.Origin = s.clock.base
	return b
}

// AdmissionBound returns the bound the embedding algorithm stated at construction
// (see its doc comment).
func (l *locked) AdmissionBound() impls.AdmissionBound { return l.bound }
