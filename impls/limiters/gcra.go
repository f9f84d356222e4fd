package limiters

import (
	"context"
	"sync/atomic"

	"github.com/syncbench/syncbench/impls"
)

// GCRA is the generic cell rate algorithm (virtual scheduling form), lock-free: its
// whole state is the theoretical arrival time (TAT) of the next event, one int64
// updated with a single compare-and-swap per admission; a refusal writes nothing.
//
// Admission rule: with emission interval T = ⌈1e9/Limit⌉ ns and tolerance
// τ = (Burst−1)·T, AllowN(n) at instant t computes TAT' = max(TAT, t) + n·T and
// admits iff TAT' − t ≤ τ + T, then stores TAT'. The TAT starts at the
// construction instant, so Burst events pass at once. In any window of length t it
// admits at most 1 + (τ+t)/T = Burst + t/T events — the token bucket's envelope:
// GCRA is a token bucket measured in time instead of tokens, which is why it needs
// no packing.
//
// Admission bound (AdmissionBound): b + r·w with b = Burst and r = 1e9/T. If the
// window [s, s+w] admits k events, each of them set TAT' = max(TAT, t) + n·T with
// t ≥ s, so after the last of them, at t ≤ s+w, TAT ≥ s + k·T; admitting it needed
// TAT − t ≤ Burst·T, so k·T ≤ Burst·T + w, k ≤ Burst + w/T. Sustained rate r: under
// demand above r the TAT stays a tolerance ahead of now and each admission waits
// for one more T.
//
// Safe for concurrent use.
type GCRA struct {
	_   [64]byte // keep the hot word on a cache line of its own
	tat atomic.Int64
	_   [56]byte

	clock    clock
	burst    int64
	interval int64 // T, ns
	limit    int64 // τ + T = Burst·T, ns
	bound    impls.AdmissionBound
}

// NewGCRA returns a GCRA limiter configured by cfg (see the package doc).
func NewGCRA(cfg impls.Config) (*GCRA, error) {
	s, err := parseConfig(cfg)
	if err != nil {
		return nil, err
	}
	return newGCRA(s)
}

func newGCRA(s settings) (*GCRA, error) {
	return &GCRA{clock: s.clock, burst: s.burst, interval: s.interval, limit: s.burst * s.interval, bound: s.rateBound("gcra")}, nil
}

// AdmissionBound returns b + r·w (see the type's doc comment for the derivation).
func (g *GCRA) AdmissionBound() impls.AdmissionBound { return g.bound }

// Allow is AllowN(1).
func (g *GCRA) Allow() bool { return g.AllowN(1) }

// AllowN reports whether n events may happen now and, if so, advances the TAT by
// n·T. n < 1 admits nothing and reports true; n > Burst is always refused.
func (g *GCRA) AllowN(n int64) bool {
	ok, _ := g.try(n)
	return ok
}

// Wait is WaitN(ctx, 1).
func (g *GCRA) Wait(ctx context.Context) error { return g.WaitN(ctx, 1) }

// WaitN blocks until n events conform, retrying when the TAT says they will. It
// does not reserve, so waiters are not served in order.
func (g *GCRA) WaitN(ctx context.Context, n int64) error {
	return waitRetry(ctx, n, g.burst, g.try)
}

func (g *GCRA) try(n int64) (bool, int64) {
	if n < 1 {
		return true, 0
	}
	if n > g.burst {
		return false, 0
	}
	now := g.clock.nanos()
	inc := n * g.interval
	for {
		old := g.tat.Load()
		next := max(old, now) + inc
		if over := next - now - g.limit; over > 0 {
			return false, over
		}
		if g.tat.CompareAndSwap(old, next) {
			return true, 0
		}
	}
}
