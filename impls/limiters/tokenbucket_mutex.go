package limiters

import "github.com/syncbench/syncbench/impls"

// TokenBucketMutex is the classic token bucket guarded by a mutex, the shape of
// golang.org/x/time/rate, but computing in integer nanoseconds.
//
// Admission rule: the same as [TokenBucket] — the bucket holds up to Burst tokens,
// starts full, gains one token per T = ⌈1e9/Limit⌉ ns (fractions carried by
// advancing the refill instant by whole intervals), and AllowN(n) admits iff it
// holds at least n tokens, removing them. At most ⌊Burst + t/T⌋ events in any
// window of length t; at least Burst + t/T − 1 under saturating demand. Unlike the
// packed bucket it has no limit on Burst and no wrap-around.
//
// Admission bound (AdmissionBound): b + r·w with b = Burst, r = 1e9/T, derived as
// for [TokenBucket]: at most b tokens at the start of a window, and at most ⌊w/T⌋
// refills, at least T apart, inside it. Sustained rate r.
//
// Safe for concurrent use (one mutex around a few integer operations).
type TokenBucketMutex struct{ locked }

// NewTokenBucketMutex returns a full mutex-guarded token bucket configured by cfg.
func NewTokenBucketMutex(cfg impls.Config) (*TokenBucketMutex, error) {
	s, err := parseConfig(cfg)
	if err != nil {
		return nil, err
	}
	return newTokenBucketMutex(s), nil
}

func newTokenBucketMutex(s settings) *TokenBucketMutex {
	return &TokenBucketMutex{locked{c: newBucketCore(s), clock: s.clock, max: s.burst, bound: s.rateBound("token bucket")}}
}

// bucketCore is the token bucket's state machine.
type bucketCore struct {
	burst, interval int64
	tokens          int64
	last            int64 // instant the token count was exact
}

func newBucketCore(s settings) *bucketCore {
	return &bucketCore{burst: s.burst, interval: s.interval, tokens: s.burst}
}

func (b *bucketCore) check(now, n int64) (bool, int64) {
	// A full bucket earns nothing, so its refill instant moves to now even before
	// a whole interval has passed: else the time spent full would count later.
	if since := now - b.last; since >= b.interval || b.tokens == b.burst {
		add := since / b.interval
		if add >= b.burst-b.tokens {
			b.tokens, b.last = b.burst, now
		} else {
			b.tokens += add
			b.last += add * b.interval
		}
	}
	if b.tokens >= n {
		return true, 0
	}
	return false, (n-b.tokens)*b.interval - (now - b.last)
}

func (b *bucketCore) commit(_, n int64) { b.tokens -= n }
