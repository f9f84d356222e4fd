package breakers

import (
	"errors"
	"time"

	"github.com/failsafe-go/failsafe-go/circuitbreaker"
	"github.com/sony/gobreaker/v2"
)

// Rule is the breaking rule every registered breaker is configured with, so that
// they differ only in how they implement it: trip after TripAfter consecutive
// failures, stay open for OpenFor, then let one probe through and close on its
// success (reopen on its failure).
type Rule struct {
	TripAfter uint32
	OpenFor   time.Duration
}

// DefaultRule trips after 5 consecutive failures and stays open 1 s.
var DefaultRule = Rule{TripAfter: 5, OpenFor: time.Second}

var errFailed = errors.New("call failed")

// gobreakerFrom maps gobreaker's states to the family's.
func gobreakerState(s gobreaker.State) State {
	switch s {
	case gobreaker.StateOpen:
		return Open
	case gobreaker.StateHalfOpen:
		return HalfOpen
	}
	return Closed
}

// NewGobreaker returns github.com/sony/gobreaker/v2's TwoStepCircuitBreaker with
// rule (MaxRequests 1: one probe while half-open, closing on its success; counts
// never cleared while closed), reporting its state changes to t. gobreaker reads
// the real clock for its open period.
func NewGobreaker(rule Rule, t *Target) Breaker {
	cb := gobreaker.NewTwoStepCircuitBreaker[any](gobreaker.Settings{
		Name:        "gobreaker",
		MaxRequests: 1,
		Timeout:     rule.OpenFor,
		ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= rule.TripAfter },
		OnStateChange: func(_ string, from, to gobreaker.State) {
			t.Transition(gobreakerState(from), gobreakerState(to))
		},
	})
	return BreakerFunc(func() (func(bool), bool) {
		done, err := cb.Allow()
		if err != nil {
			return nil, false
		}
		return func(success bool) {
			if success {
				done(nil)
			} else {
				done(errFailed)
			}
		}, true
	})
}

func failsafeState(s circuitbreaker.State) State {
	switch s {
	case circuitbreaker.OpenState:
		return Open
	case circuitbreaker.HalfOpenState:
		return HalfOpen
	}
	return Closed
}

// NewFailsafe returns github.com/failsafe-go/failsafe-go's circuit breaker with
// rule (a consecutive-failure threshold, a delay, a success threshold of 1),
// reporting its state changes to t. failsafe-go reads the real clock for its
// delay.
func NewFailsafe(rule Rule, t *Target) Breaker {
	cb := circuitbreaker.NewBuilder[any]().
		WithFailureThreshold(uint(rule.TripAfter)).
		WithDelay(rule.OpenFor).
		WithSuccessThreshold(1).
		OnStateChanged(func(e circuitbreaker.StateChangedEvent) {
			t.Transition(failsafeState(e.OldState), failsafeState(e.NewState))
		}).
		Build()
	return BreakerFunc(func() (func(bool), bool) {
		if !cb.TryAcquirePermit() {
			return nil, false
		}
		return func(success bool) {
			if success {
				cb.RecordSuccess()
			} else {
				cb.RecordFailure()
			}
		}, true
	})
}

// None is "no breaker": every call goes through, the state stays closed. It is
// the baseline the others are compared with.
var None Breaker = BreakerFunc(func() (func(bool), bool) { return func(bool) {}, true })
