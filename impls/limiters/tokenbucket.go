package limiters

import (
	"context"
	"fmt"
	"math/bits"
	"sync/atomic"

	"github.com/syncbench/syncbench/impls"
)

// maxPackedBurst is the largest burst the lock-free token bucket packs: its token
// count shares one 64-bit word with the timestamp.
const maxPackedBurst = 1<<24 - 1

// TokenBucket is a lock-free token bucket: the token count and the instant of the
// last refill live packed in one 64-bit word, updated with a single
// compare-and-swap per admission. A refusal writes nothing, so an exhausted bucket
// costs each caller only an atomic load and a clock read.
//
// Admission rule: the bucket holds up to Burst tokens and starts full. Tokens are
// added one whole token per T = ⌈1e9/Limit⌉ ns elapsed (the fraction of a token
// not yet earned is kept by advancing the refill instant by whole intervals only,
// so nothing is lost to rounding), never above Burst. AllowN(n) admits iff the
// bucket then holds at least n tokens, and removes them. Hence in any window of
// length t it admits at most ⌊Burst + t/T⌋ events, and under saturating demand at
// least Burst + t/T − 1.
//
// Admission bound (AdmissionBound): b + r·w with b = Burst and r = 1e9/T. A window
// [s, s+w] holds what the bucket held at s (at most b) plus one token per refill
// instant in (s, s+w]; refill instants are at least T apart (the refill instant
// only ever moves forward by whole intervals, or to now when full), so there are
// at most ⌊w/T⌋ of them. Sustained rate r: under demand above r the bucket is
// empty after its first b admissions and then admits exactly one event per T.
//
// Packing: with k = bits.Len(Burst) bits for tokens, the other 64−k bits hold the
// refill instant in units of u = 2^max(0, k−12) ns (1 ns for bursts below 4096),
// modulo 2^(64−k), which wraps no sooner than 2^52 ns (52 days). T is rounded up to
// whole units. A bucket idle for more than half the wrap period may see its refill
// as smaller than it was (a spurious refusal, never an extra admission).
//
// Safe for concurrent use.
type TokenBucket struct {
	_     [64]byte // keep the hot word off the cache line of whatever precedes it
	state atomic.Uint64
	_     [56]byte

	clock     clock
	burst     uint64
	interval  uint64 // T in units
	unitShift uint   // u = 2^unitShift ns
	tokenBits uint
	tokenMask uint64
	timeMask  uint64
	half      uint64 // half the wrap period, in units
	bound     impls.AdmissionBound
}

// NewTokenBucket returns a full lock-free token bucket configured by cfg (see the
// package doc for Limit, Burst and their defaults). Bursts above 16777215 are an
// error: use gcra, whose state has no such limit.
func NewTokenBucket(cfg impls.Config) (*TokenBucket, error) {
	s, err := parseConfig(cfg)
	if err != nil {
		return nil, err
	}
	return newTokenBucket(s)
}

func newTokenBucket(s settings) (*TokenBucket, error) {
	if s.burst > maxPackedBurst {
		return nil, fmt.Errorf("burst %d is too large for tokenbucket (at most %d): use gcra", s.burst, maxPackedBurst)
	}
	k := uint(bits.Len64(uint64(s.burst)))
	timeBits := 64 - k
	shift := uint(0)
	if k > 12 {
		shift = k - 12
	}
	unit := int64(1) << shift
	tb := &TokenBucket{
		clock:     s.clock,
		burst:     uint64(s.burst),
		interval:  uint64((s.interval + unit - 1) / unit),
		unitShift: shift,
		tokenBits: k,
		tokenMask: 1<<k - 1,
		timeMask:  1<<timeBits - 1,
		half:      1 << (timeBits - 1),
		bound:     s.rateBound("token bucket"),
	}
	// T rounded up to whole units is the interval the bucket really uses.
	tb.bound.Rate = 1e9 / float64(int64(tb.interval)<<shift)
	tb.state.Store(tb.burst) // full, refilled at instant 0
	return tb, nil
}

// AdmissionBound returns b + r·w (see the type's doc comment for the derivation).
func (tb *TokenBucket) AdmissionBound() impls.AdmissionBound { return tb.bound }

// Allow is AllowN(1).
func (tb *TokenBucket) Allow() bool { return tb.AllowN(1) }

// AllowN reports whether n events may happen now and, if so, takes n tokens. n < 1
// admits nothing and reports true; n > Burst is always refused.
func (tb *TokenBucket) AllowN(n int64) bool {
	ok, _ := tb.try(n)
	return ok
}

// Wait is WaitN(ctx, 1).
func (tb *TokenBucket) Wait(ctx context.Context) error { return tb.WaitN(ctx, 1) }

// WaitN blocks until n tokens can be taken, retrying when the bucket says enough
// will have accrued. It does not reserve, so waiters are not served in order.
func (tb *TokenBucket) WaitN(ctx context.Context, n int64) error {
	return waitRetry(ctx, n, int64(tb.burst), tb.try)
}

func (tb *TokenBucket) try(n int64) (bool, int64) {
	if n < 1 {
		return true, 0
	}
	if uint64(n) > tb.burst {
		return false, 0
	}
	want := uint64(n)
	now := uint64(tb.clock.nanos()>>tb.unitShift) & tb.timeMask
	for {
		old := tb.state.Load()
		tokens := old & tb.tokenMask
		last := old >> tb.tokenBits
		newLast := last
		since := (now - last) & tb.timeMask
		// Refill unless time stood still or went back. A full bucket earns
		// nothing, so its refill instant moves to now even before a whole
		// interval has passed: else the time spent full would count later.
		if since < tb.half && (since >= tb.interval || tokens == tb.burst) {
			// Test for "full" with a multiplication first: the division is
			// needed only for a partial refill, rare at either extreme of load.
			if since >= (tb.burst-tokens)*tb.interval {
				tokens, newLast = tb.burst, now
			} else {
				add := since / tb.interval
				tokens += add
				newLast = (last + add*tb.interval) & tb.timeMask
			}
		}
		if tokens < want {
			var accrued uint64 // time already earned towards the next token
			if since < tb.half {
				accrued = (now - newLast) & tb.timeMask
			}
			wait := (want-tokens)*tb.interval - min(accrued, tb.interval)
			return false, int64(wait << tb.unitShift)
		}
		if tb.state.CompareAndSwap(old, newLast<<tb.tokenBits|(tokens-want)) {
			return true, 0
		}
	}
}
