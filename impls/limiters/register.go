package limiters

import (
	"fmt"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// builder makes one limiter from validated settings; now is cfg.Now (nil: real
// clock) for the reference libraries, which keep their own clocks.
type builder func(s settings, now func() time.Time) (Limiter, error)

// algorithms lists every limiter registered by this package.
var algorithms = []struct {
	name, summary string
	build         builder
}{
	{"tokenbucket", "lock-free token bucket: one CAS on packed tokens+timestamp (ours)",
		func(s settings, _ func() time.Time) (Limiter, error) { return newTokenBucket(s) }},
	{"tokenbucket-mutex", "classic mutex-guarded token bucket in integer ns (ours)",
		func(s settings, _ func() time.Time) (Limiter, error) { return newTokenBucketMutex(s), nil }},
	{"leakybucket", "leaky-bucket pacer: evenly spaced slots, burst as slack; wait mode reserves (ours)",
		func(s settings, _ func() time.Time) (Limiter, error) { return newLeakyBucket(s), nil }},
	{"fixedwindow", "fixed window counter: Limit·Window per aligned window, 2x across a boundary (ours)",
		func(s settings, _ func() time.Time) (Limiter, error) { return newFixedWindow(s) }},
	{"slidinglog", "exact sliding log: ring of the last Limit·Window admission instants (ours)",
		func(s settings, _ func() time.Time) (Limiter, error) { return newSlidingLog(s) }},
	{"slidingcounter", "sliding window counter: weighted previous + current window (ours)",
		func(s settings, _ func() time.Time) (Limiter, error) { return newSlidingCounter(s) }},
	{"gcra", "lock-free GCRA: one CAS on the theoretical arrival time (ours)",
		func(s settings, _ func() time.Time) (Limiter, error) { return newGCRA(s) }},
	{"multi", "token bucket AND sliding log, both must admit, checked atomically (ours)",
		func(s settings, _ func() time.Time) (Limiter, error) { return newMulti(s) }},
	{"xrate", "golang.org/x/time/rate Limiter (reference token bucket)",
		func(s settings, now func() time.Time) (Limiter, error) {
			if now == nil {
				now = time.Now
			}
			return newXRate(s, now), nil
		}},
	{"uber", "go.uber.org/ratelimit pacer (blocking only: -mode wait)",
		func(s settings, now func() time.Time) (Limiter, error) {
			if s.mode != ModeWait {
				return nil, errUberAllow
			}
			return newUber(s, now), nil
		}},
	{"throttled", "github.com/throttled/throttled/v2 GCRA over its memstore",
		func(s settings, now func() time.Time) (Limiter, error) { return newThrottled(s, now) }},
}

// waitOnly are the limiters that cannot refuse, only wait: an unset Mode means
// "wait" for them, so a family run (-impl limiters) includes them; an explicit
// "allow" is still an error.
var waitOnly = map[string]bool{"uber": true}

func init() {
	for _, a := range algorithms {
		impls.Register(impls.Impl{
			Name:    a.name,
			Family:  impls.FamilyLimiters,
			Summary: a.summary,
			New:     func(cfg impls.Config) (impls.Target, error) { return newTarget(a.name, a.build, cfg) },
		})
	}
}

// newTarget validates cfg and builds the Target through the public adapters'
// code: one limiter, or with cfg.Keys > 1 one per key.
func newTarget(name string, build builder, cfg impls.Config) (impls.Target, error) {
	if waitOnly[name] && cfg.Mode == "" {
		cfg.Mode = ModeWait
	}
	s, err := parseConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if cfg.Keys <= 1 {
		lim, err := build(s, cfg.Now)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return newSingleTarget(lim, s.mode == ModeWait), nil
	}
	factory := func() (Limiter, error) {
		ks := s
		ks.clock = newClock(cfg.Now) // each key's limiter starts its own clock at creation
		return build(ks, cfg.Now)
	}
	t, err := newKeyedTarget(name, factory, cfg, s.mode == ModeWait)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

// boundOf is lim's stated admission bound, or the zero bound.
func boundOf(lim Limiter) impls.AdmissionBound {
	if b, ok := lim.(impls.Bounded); ok {
		return b.AdmissionBound()
	}
	return impls.AdmissionBound{}
}
