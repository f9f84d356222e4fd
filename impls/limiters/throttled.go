package limiters

import (
	"context"
	"time"

	"github.com/throttled/throttled/v2"
	"github.com/throttled/throttled/v2/store/memstore"

	"github.com/syncbench/syncbench/impls"
)

// throttledKey is the one key each Throttled limiter uses in its own store.
const throttledKey = "k"

// Throttled adapts github.com/throttled/throttled/v2's GCRA rate limiter over its
// in-memory store (memstore). Its admission rule is GCRA with emission interval
// T = ⌈1e9/Limit⌉ ns and MaxBurst = Burst−1, so Burst events pass at once and at
// most Burst + t/T in any window t. The store is read and updated with
// compare-and-swap; after 10 failed attempts under contention the library gives up
// with an error, which TryAllowN returns and the Target counts as impls.Error, not
// as a denial.
//
// Admission bound (AdmissionBound): b + r·w with b = Burst and r = 1e9/T, as for
// [GCRA]: the library (v2.15) sets its delay variation tolerance to
// (MaxBurst+1)·T = Burst·T, moves the TAT to max(TAT, now) + n·T and admits iff
// that is at most the tolerance ahead of now. Sustained rate r.
//
// Safe for concurrent use.
type Throttled struct {
	lim   *throttled.GCRARateLimiterCtx
	burst int64
	bound impls.AdmissionBound
}

// NewThrottled returns a throttled GCRA limiter configured by cfg; cfg.Now, when
// set, is the store's clock.
func NewThrottled(cfg impls.Config) (*Throttled, error) {
	s, err := parseConfig(cfg)
	if err != nil {
		return nil, err
	}
	return newThrottled(s, cfg.Now)
}

func newThrottled(s settings, now func() time.Time) (*Throttled, error) {
	store, err := memstore.New(0) // one key, so no LRU
	if err != nil {
		return nil, err
	}
	if now != nil {
		store.SetTimeNow(now)
	}
	quota := throttled.RateQuota{MaxRate: throttled.PerDuration(1, time.Duration(s.interval)), MaxBurst: int(s.burst - 1)}
	lim, err := throttled.NewGCRARateLimiterCtx(throttled.WrapStoreWithContext(store), quota)
	if err != nil {
		return nil, err
	}
	return &Throttled{lim: lim, burst: s.burst, bound: s.rateBound("gcra (throttled)")}, nil
}

// AdmissionBound returns b + r·w (see the type's doc comment for the derivation).
func (t *Throttled) AdmissionBound() impls.AdmissionBound { return t.bound }

// Allow is AllowN(1).
func (t *Throttled) Allow() bool { return t.AllowN(1) }

// AllowN reports whether n events may happen now; a store error counts as a
// refusal here (use TryAllowN to tell them apart).
func (t *Throttled) AllowN(n int64) bool {
	ok, _ := t.TryAllowN(n)
	return ok
}

// TryAllowN reports whether n events may happen now and charges them, or the
// store's error (compare-and-swap attempts exhausted). n < 1 reports true; n above
// Burst is refused.
func (t *Throttled) TryAllowN(n int64) (bool, error) {
	ok, _, err := t.try(n)
	return ok, err
}

func (t *Throttled) try(n int64) (bool, time.Duration, error) {
	if n < 1 {
		return true, 0, nil
	}
	if n > t.burst {
		return false, 0, nil
	}
	limited, res, err := t.lim.RateLimitCtx(context.Background(), throttledKey, int(n))
	if err != nil {
		return false, 0, err
	}
	return !limited, res.RetryAfter, nil
}

// Wait is WaitN(ctx, 1).
func (t *Throttled) Wait(ctx context.Context) error { return t.WaitN(ctx, 1) }

// WaitN retries after the library's RetryAfter until admitted, ctx ends (its
// error) or the store fails (that error).
func (t *Throttled) WaitN(ctx context.Context, n int64) error {
	if n < 1 {
		return nil
	}
	if n > t.burst {
		return ErrExceedsBurst
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		ok, retry, err := t.try(n)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if err := sleepCtx(ctx, max(retry, time.Microsecond)); err != nil {
			return err
		}
	}
}
