package adaptive

// Limiter is a concurrency limit as this family drives it: it admits a call when
// fewer than its limit are in flight, and learns from each call's end. Our own
// limits ([NewWindowed] with [AIMD], [Gradient], [Vegas], or [Fixed]) and a
// library's (failsafe-go's adaptive limiter) are adapted to it; so can a user's
// own, for [NewTarget].
//
// Implementations must be safe for concurrent use.
type Limiter interface {
	// TryAcquire admits one call if the limit allows it now, without waiting.
	// When ok, done must be called exactly once, when the call ends, with
	// dropped true for a call that missed its deadline (the overload signal
	// a limit backs off on; a call that failed fast is not one).
	TryAcquire() (done func(dropped bool), ok bool)
	// Limit returns the limit in force: the most calls admitted at once.
	Limit() int
}
