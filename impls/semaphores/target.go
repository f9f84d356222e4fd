package semaphores

import (
	"context"
	"fmt"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// DefaultCapacity is the semaphore size used when Config.Capacity is zero.
const DefaultCapacity = 4

// Modes accepted in Config.Mode.
const (
	// ModeAcquire (or "") blocks until the weight is granted, the op's context is
	// done, or Config.Timeout passes (-> impls.Timeout).
	ModeAcquire = "acquire"
	// ModeTry never waits: a weight that is not free at once is impls.Denied.
	ModeTry = "try"
)

// settings are the parts of impls.Config every semaphore target reads, validated.
type settings struct {
	capacity int64
	try      bool
	timeout  time.Duration
	workers  int
}

// parseConfig validates cfg for impl. A zero capacity means DefaultCapacity; a
// negative one, a negative timeout, or a mode other than "", "acquire" or "try"
// is an error naming the bad value.
func parseConfig(impl string, cfg impls.Config) (settings, error) {
	s := settings{capacity: cfg.Capacity, timeout: cfg.Timeout, workers: cfg.Workers}
	switch {
	case cfg.Capacity < 0:
		return s, fmt.Errorf("%s: capacity %d is negative (allowed: 0 for the default %d, or more)", impl, cfg.Capacity, DefaultCapacity)
	case cfg.Capacity == 0:
		s.capacity = DefaultCapacity
	}
	if cfg.Timeout < 0 {
		return s, fmt.Errorf("%s: timeout %v is negative (allowed: 0 for none, or more)", impl, cfg.Timeout)
	}
	switch cfg.Mode {
	case "", ModeAcquire:
	case ModeTry:
		s.try = true
	default:
		return s, fmt.Errorf("%s: unknown mode %q (allowed: %q or %q)", impl, cfg.Mode, ModeAcquire, ModeTry)
	}
	return s, nil
}

// weightedSemaphore is the native API every adapted semaphore is reduced to.
// Acquire must leave the semaphore unchanged when it returns an error.
type weightedSemaphore interface {
	Acquire(ctx context.Context, n int64) error
	TryAcquire(n int64) bool
	Release(n int64)
}

// target adapts a weightedSemaphore to impls.Target: one op acquires its weight,
// holds it for op.Hold plus op.Work of busy CPU, and releases it.
type target struct {
	settings
	sem   weightedSemaphore
	meter *meter
}

func newTarget(impl string, s settings, sem weightedSemaphore) *target {
	return &target{settings: s, sem: sem, meter: newMeter(impl, s.capacity, s.workers)}
}

// Do performs one acquire-hold-release. A weight above the capacity is
// impls.Error, since no wait could satisfy it; a try that finds the weight taken is
// impls.Denied; a blocking acquire cut short by ctx or the configured timeout is
// impls.Timeout. Safe for concurrent use.
func (t *target) Do(ctx context.Context, op impls.Op) impls.Outcome {
	n := op.Units()
	if n > t.capacity {
		t.meter.failed(op.Worker, impls.Error)
		return impls.Error
	}
	asked := time.Now()
	if t.try {
		if !t.sem.TryAcquire(n) {
			t.meter.failed(op.Worker, impls.Denied)
			return impls.Denied
		}
	} else if err := t.acquire(ctx, n); err != nil {
		t.meter.failed(op.Worker, impls.Timeout)
		return impls.Timeout
	}
	got := time.Now()
	t.meter.hold(n)
	holdFor(op)
	t.meter.unhold(n)
	t.sem.Release(n)
	t.meter.acquired(op.Worker, got.Sub(asked))
	return impls.OK
}

func (t *target) acquire(ctx context.Context, n int64) error {
	if t.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t.timeout)
		defer cancel()
	}
	return t.sem.Acquire(ctx, n)
}

// holdFor models the work done while holding the weight.
func holdFor(op impls.Op) {
	if op.Hold > 0 {
		time.Sleep(op.Hold)
	}
	impls.BusyWork(op.Work)
}

// heldReporter is implemented by semaphores that can say how much weight they
// think is held, so Verify can also catch a count that leaked inside the
// semaphore (a timed-out acquire that kept part of its weight), which the meter,
// watching from outside, cannot see.
type heldReporter interface {
	Held() int64
}

// Verify reports an *impls.InvariantError if the held weight ever exceeded the
// capacity, or is not zero after the run by the meter's count or, where the
// semaphore reports one, its own.
func (t *target) Verify() error {
	if err := t.meter.verify(); err != nil {
		return err
	}
	if h, ok := t.sem.(heldReporter); ok {
		if held := h.Held(); held != 0 {
			return &impls.InvariantError{Impl: t.meter.impl, Detail: fmt.Sprintf("the semaphore still counts %d weight held after every op returned (want 0): a failed acquire leaked weight", held)}
		}
	}
	return nil
}

// Stats reports capacity, peak_in_use, acquisitions, timeouts, denials, errors,
// jain_fairness and the wait-time figures (longest_wait_ns, wait_p50_ns,
// wait_p99_ns, wait_mean_ns).
func (t *target) Stats() map[string]float64 { return t.meter.stats() }

// Close does nothing: the semaphores hold no resources beyond memory.
func (t *target) Close() error { return nil }
