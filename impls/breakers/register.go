package breakers

import (
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/backend"
)

// DefaultSchedule is the backend the family runs against when impls.Config.Backend
// leaves a part unset: an outage (every call fails) from 3 s to 7 s of loadgen's
// default 10 s window and a recovery after it, on a backend of capacity 64 (no
// queueing at the rates the family is run at) with a 10 ms mean service time
// drawn uniformly from 5–15 ms. A failed call takes its service time too.
var DefaultSchedule = backend.Schedule{
	Capacity: backend.Constant(64),
	Service:  backend.Constant(float64(10 * time.Millisecond)),
	Failure:  backend.Track{Stages: []backend.Stage{{From: 0, To: 0, Duration: 3 * time.Second}, {From: 1, To: 1, Duration: 4 * time.Second}, {From: 0, To: 0}}},
	Dist:     backend.DistUniform,
}

func init() {
	for _, r := range []struct {
		name, summary string
		build         func(*Target) Breaker
	}{
		{"gobreaker", "github.com/sony/gobreaker/v2 TwoStepCircuitBreaker: opens after 5 consecutive failures, 1 s open, 1 probe",
			func(t *Target) Breaker { return NewGobreaker(DefaultRule, t) }},
		{"failsafebreaker", "github.com/failsafe-go/failsafe-go circuit breaker: opens after 5 consecutive failures, 1 s delay, 1 probe",
			func(t *Target) Breaker { return NewFailsafe(DefaultRule, t) }},
		{"nobreaker", "no breaker: every call reaches the backend (the baseline)",
			func(*Target) Breaker { return None }},
	} {
		impls.Register(impls.Impl{
			Name:    r.name,
			Family:  impls.FamilyBreakers,
			Summary: r.summary,
			New: func(cfg impls.Config) (impls.Target, error) {
				b, err := backend.Build(cfg.Backend, DefaultSchedule, backend.Options{Seed: cfg.Seed, Timeout: cfg.Timeout})
				if err != nil {
					return nil, err
				}
				t := NewTarget("", nil, b)
				t.SetBreaker(r.build(t))
				return t, nil
			},
		})
	}
}
