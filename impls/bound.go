package impls

import (
	"math"
	"time"
)

// BoundShape selects which formula an [AdmissionBound] follows.
type BoundShape int

// Bound shapes. In the formulas b is Burst, r is Rate (events/s), L is PerWindow,
// W is Window and w the length of the window being judged.
const (
	// BoundRate is the token bucket's envelope, b + r·w: a rate r with b events
	// of slack (token bucket, GCRA, leaky bucket, x/time/rate, uber, throttled).
	BoundRate BoundShape = iota
	// BoundSlidingWindow is L·⌈w/W⌉: no window of length W, however placed,
	// holds more than L (sliding log).
	BoundSlidingWindow
	// BoundAlignedWindow is L per window aligned at Origin, hence L·(⌈w/W⌉+1)
	// for a window of length w placed anywhere, 2L when w ≤ W (fixed window,
	// sliding counter).
	BoundAlignedWindow
	// BoundRateAndWindow is the smaller of b + r·w and L·⌈w/W⌉: both a
	// rate-with-burst and a sliding window hold (multi).
	BoundRateAndWindow
)

// AdmissionBound is a rate limiter's own statement of what it may admit: the most
// events any window of a given length can hold ([AdmissionBound.Max]) and the rate
// it sustains under demand above it. The harness judges a limiter's accuracy
// against this, not against one formula for every algorithm: a sliding log that let
// 1.1·L through a window is wrong, a fixed window that let 2L through a window
// straddling its boundary is not.
//
// A bound is a value: safe to copy and to read from several goroutines.
type AdmissionBound struct {
	// Algorithm names the admission rule, e.g. "token bucket", "sliding log".
	Algorithm string
	// Rule is the bound as a formula, for display, e.g. "b + r·w".
	Rule string
	// Shape selects Max's formula.
	Shape BoundShape
	// Rate is the sustained rate r in events per second: what the limiter admits
	// in the long run under demand above it (for window algorithms L/W). It can
	// be a little below the configured limit where the algorithm rounds (a whole
	// nanosecond interval, a whole number of events per window).
	Rate float64
	// Burst is b, the events admitted at once on top of the rate (the bucket
	// size); 0 for window algorithms, which grant no burst beyond L.
	Burst float64
	// Window is W and PerWindow is L for the window shapes; zero otherwise.
	Window    time.Duration
	PerWindow float64
	// Origin is the instant aligned window 0 starts, for BoundAlignedWindow
	// ([Origin + k·W, Origin + (k+1)·W) holds at most L); the zero Time when it
	// is unknown (a server's clock) or differs per key.
	Origin time.Time
	// PerKey says the bound holds for each Op.Key's admissions separately (one
	// limiter per key) rather than for all admissions together.
	PerKey bool
	// Transient says what the limiter does before it settles into its sustained
	// rate, for display (e.g. the sliding counter's first window); empty when
	// nothing but the burst.
	Transient string
}

// Max returns the most events the limiter may admit in any window of length w
// (w ≤ 0 is treated as an instant: the burst, or L for window shapes).
func (b AdmissionBound) Max(w time.Duration) float64 {
	rate := b.Burst + b.Rate*max(w, 0).Seconds()
	windows := 1.0 // ⌈w/W⌉, at least one window
	if b.Window > 0 && w > b.Window {
		windows = math.Ceil(float64(w) / float64(b.Window))
	}
	switch b.Shape {
	case BoundSlidingWindow:
		return b.PerWindow * windows
	case BoundAlignedWindow:
		return b.PerWindow * (windows + 1)
	case BoundRateAndWindow:
		return min(rate, b.PerWindow*windows)
	default:
		return rate
	}
}

// AlignedMax returns L, the most an aligned window may hold, and true, for the
// aligned-window shape with a known Origin; 0 and false otherwise.
func (b AdmissionBound) AlignedMax() (float64, bool) {
	if b.Shape != BoundAlignedWindow || b.Origin.IsZero() || b.Window <= 0 {
		return 0, false
	}
	return b.PerWindow, true
}

// Stated reports whether the bound was stated at all: the zero AdmissionBound
// (no Algorithm) means a limiter that states none, which the harness then judges
// against b + r·w from its configuration.
func (b AdmissionBound) Stated() bool { return b.Algorithm != "" }

// Bounded is implemented by rate limiters and rate-limiter Targets that state their
// own admission bound. The bound is fixed at construction: AdmissionBound returns
// the same value whenever it is called, and is safe for concurrent use.
type Bounded interface {
	AdmissionBound() AdmissionBound
}
