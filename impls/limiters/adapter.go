package limiters

import (
	"fmt"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// NewTarget adapts a rate limiter of your own to impls.Target, as every built-in
// limiter is adapted (through this same code). Register the result under
// impls.FamilyLimiters (or with Impl.RateLimiter set) and a run measures its
// accuracy as it does the built-ins': admissions per window against the bound l
// states when it implements impls.Bounded, or else against the envelope the
// configuration implies, burst + limit·window (cfg.Burst, cfg.Limit,
// cfg.Window). l should be built from those same fields.
//
// cfg.Mode "allow" (or "") calls AllowN(op.Units()): admitted is impls.OK,
// refused impls.Denied. "wait" calls WaitN with the op's context: admitted is
// impls.OK, the context ending first impls.Timeout, ErrExceedsBurst
// impls.Denied, any other error impls.Error. l is shared by every worker, so it
// must be safe for concurrent use. cfg.Keys above 1 asks for a limit per key,
// which one limiter cannot give: that is an error; use NewKeyedTarget.
func NewTarget(l Limiter, cfg impls.Config) (impls.Target, error) {
	wait, err := parseMode(cfg.Mode)
	if err != nil {
		return nil, err
	}
	if cfg.Keys > 1 {
		return nil, fmt.Errorf("keys %d asks for a limit per key, which one limiter cannot give (build the target with NewKeyedTarget)", cfg.Keys)
	}
	return newSingleTarget(l, wait), nil
}

// NewKeyedTarget adapts a limit per key: each key op.Key names gets its own
// limiter, made by newLimiter at the key's first use and kept in a concurrent map
// (see Keyed for the memory and eviction rules), as per-user or per-IP limits do.
// cfg.KeyTTL, when positive, evicts limiters idle that long; cfg.Now is the clock
// of the evictions (nil: the real clock). The modes and outcomes are NewTarget's,
// and a run measures the accuracy of each key against the bound of the
// limiters newLimiter makes.
//
// newLimiter is called once up front, and an error there is returned: a
// configuration bad for one key is bad for all. It is then called concurrently,
// and must return a fresh limiter each time. Verify checks the map's bookkeeping
// (limiters created = live + evicted); Stats reports created_limiters,
// live_limiters, evicted and bytes_per_key.
func NewKeyedTarget(newLimiter func() (Limiter, error), cfg impls.Config) (impls.Target, error) {
	wait, err := parseMode(cfg.Mode)
	if err != nil {
		return nil, err
	}
	return newKeyedTarget("", newLimiter, cfg, wait)
}

// parseMode reads cfg.Mode for a user's limiter: "" or ModeAllow, or ModeWait.
func parseMode(mode impls.Mode) (wait bool, err error) {
	switch mode {
	case "", ModeAllow:
		return false, nil
	case ModeWait:
		return true, nil
	}
	return false, fmt.Errorf("mode %q is not allowed: want %q or %q", mode, ModeAllow, ModeWait)
}

// newSingleTarget is the Target of one limiter shared by every key.
func newSingleTarget(l Limiter, wait bool) *target {
	return &target{pick: func(uint64) (Limiter, error) { return l, nil }, wait: wait, bound: boundOf(l)}
}

// newKeyedTarget is the Target of one limiter per key; name is the
// implementation's, for invariant errors ("" for a user's limiter: the run names
// it).
func newKeyedTarget(name string, factory func() (Limiter, error), cfg impls.Config, wait bool) (*target, error) {
	if cfg.KeyTTL < 0 {
		return nil, fmt.Errorf("key TTL %v is not allowed: want a positive duration, or 0 to never evict", cfg.KeyTTL)
	}
	keys, err := newKeyed(name, factory, int64(cfg.KeyTTL), newClock(cfg.Now))
	if err != nil {
		return nil, err
	}
	t := &target{wait: wait, keys: keys, pick: keys.Get}
	if lim, err := factory(); err == nil {
		// Every key gets the same limiter, started at its first use: the same
		// bound for each key, aligned to an origin of its own.
		t.bound = boundOf(lim)
		t.bound.PerKey, t.bound.Origin = true, time.Time{}
	}
	return t, nil
}
