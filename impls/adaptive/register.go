package adaptive

import (
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/backend"
)

// DefaultSchedule is the backend the family runs against when impls.Config.Backend
// leaves a part unset: capacity 16 for 3 s, 4 for 4 s, then 16 again (a drop and a
// recovery inside loadgen's default 10 s window), a 10 ms mean service time drawn
// uniformly from 5–15 ms, and no failures.
var DefaultSchedule = backend.Schedule{
	Capacity: backend.Track{Stages: []backend.Stage{{From: 16, To: 16, Duration: 3 * time.Second}, {From: 4, To: 4, Duration: 4 * time.Second}, {From: 16, To: 16}}},
	Service:  backend.Constant(float64(10 * time.Millisecond)),
	Failure:  backend.Constant(0),
	Dist:     backend.DistUniform,
}

// ruleFor builds the rule of a registered limit for a backend whose healthy mean
// service time is service.
type ruleFor func(cfg impls.Config, service time.Duration) Rule

var registered = []struct {
	name, summary string
	rule          ruleFor
}{
	{"fixedlimit", "fixed concurrency limit at the backend's initial capacity (the baseline): sheds beyond it",
		func(impls.Config, time.Duration) Rule { return Fixed{} }},
	{"aimd", "AIMD limit (Netflix AIMDLimit's rule): +1 per window, halves when a window's mean RTT > 2× healthy service time",
		func(_ impls.Config, service time.Duration) Rule {
			return AIMD{Threshold: max(2*service, time.Millisecond), Backoff: 0.5}
		}},
	{"gradient", "gradient limit (Netflix GradientLimit's rule): limit·min(1, 2·rttNoLoad/rtt) + max(4, √limit)",
		func(impls.Config, time.Duration) Rule { return NewGradient() }},
	{"vegas", "Vegas limit (Netflix VegasLimit's rule): keeps 3–6 calls queued by its RTT estimate",
		func(cfg impls.Config, _ time.Duration) Rule { return NewVegas(cfg.Seed) }},
}

func init() {
	for _, r := range registered {
		impls.Register(impls.Impl{
			Name:    r.name,
			Family:  impls.FamilyAdaptive,
			Summary: r.summary,
			New: func(cfg impls.Config) (impls.Target, error) {
				b, err := newBackend(cfg)
				if err != nil {
					return nil, err
				}
				sched := b.Schedule()
				lim, err := NewWindowed(r.rule(cfg, sched.At(0).Service), Settings{Initial: sched.CapacityAt(0), Max: max(1000, 2*sched.CapacityAt(0)), Now: b.Clock().Now})
				if err != nil {
					return nil, err
				}
				return NewTarget("", lim, b), nil
			},
		})
	}
	impls.Register(impls.Impl{
		Name:    "failsafelimit",
		Family:  impls.FamilyAdaptive,
		Summary: "github.com/failsafe-go/failsafe-go adaptivelimiter (RTT trend vs baseline), try-acquire",
		New: func(cfg impls.Config) (impls.Target, error) {
			b, err := newBackend(cfg)
			if err != nil {
				return nil, err
			}
			return NewTarget("", newFailsafeLimiter(min(b.Schedule().CapacityAt(0), 1000)), b), nil
		},
	})
}

// newBackend builds the scheduled backend of a registered limit: cfg.Backend over
// DefaultSchedule, the run's seed, and cfg.Timeout as the caller's deadline.
func newBackend(cfg impls.Config) (*backend.Backend, error) {
	return backend.Build(cfg.Backend, DefaultSchedule, backend.Options{Seed: cfg.Seed, Timeout: cfg.Timeout})
}
