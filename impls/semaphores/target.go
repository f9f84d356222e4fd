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
	ModeAcquire = impls.ModeAcquire
	// ModeTry never waits: a weight that is not free at once is impls.Denied.
	ModeTry = impls.ModeTry
)

// settings are the parts of impls.Config every semaphore target reads, validated.
type settings struct {
	capacity int64
	try      bool
	timeout  time.Duration
	workers  int
}

// NewTarget adapts a weighted semaphore of your own to impls.Target with every
// check and statistic the built-in semaphores have, which they get through this
// same adapter. s must have been made with cfg.Capacity units of weight
// (DefaultCapacity when it is zero): the adapter meters the weight held against
// that capacity.
//
// Each op acquires op.Units() of weight (an op above the capacity is
// impls.Error, as no wait could grant it), holds it for op.Hold sleeping plus
// op.Work of busy CPU, and releases it. cfg.Mode "acquire" (or "") blocks in
// Acquire, bounded by the op's context and cfg.Timeout when positive
// (impls.Timeout when either ends first); "try" calls TryAcquire and counts a
// refusal as impls.Denied. cfg.Workers sizes the per-worker wait statistics.
//
// Verify fails with an *impls.InvariantError when the weight held ever exceeded
// the capacity, or is not zero after the run; when s also has a Held() int64
// method, the weight s itself counts as held must be zero too. Stats reports
// capacity, peak_in_use, acquisitions, timeouts, denials, errors,
// jain_fairness (Jain's index over the workers' acquisitions) and the waits
// (longest_wait_ns, wait_p50_ns, wait_p99_ns, wait_mean_ns, over wait_samples
// timed acquisitions: every op with a hold, work or a weight above 1, and one
// in 61 of the others, whose two clock reads would otherwise cost more than
// the semaphore).
//
// A bad cfg (negative capacity or timeout, unknown mode) is an error naming the
// value. The Target is safe for concurrent use as the impls.Target contract
// requires.
func NewTarget(s Semaphore, cfg impls.Config) (impls.Target, error) {
	set, err := parseConfig("", cfg)
	if err != nil {
		return nil, err
	}
	return newTarget("", set, s), nil
}

// parseConfig validates cfg for impl ("" for a user's semaphore). A zero capacity means DefaultCapacity; a
// negative one, a negative timeout, or a mode other than "", "acquire" or "try"
// is an error naming the bad value.
func parseConfig(impl string, cfg impls.Config) (settings, error) {
	s := settings{capacity: cfg.Capacity, timeout: cfg.Timeout, workers: cfg.Workers}
	prefix := ""
	if impl != "" {
		prefix = impl + ": "
	}
	switch {
	case cfg.Capacity < 0:
		return s, fmt.Errorf(prefix+"capacity %d is negative (allowed: 0 for the default %d, or more)", cfg.Capacity, DefaultCapacity)
	case cfg.Capacity == 0:
		s.capacity = DefaultCapacity
	}
	if cfg.Timeout < 0 {
		return s, fmt.Errorf(prefix+"timeout %v is negative (allowed: 0 for none, or more)", cfg.Timeout)
	}
	switch cfg.Mode {
	case "", ModeAcquire:
	case ModeTry:
		s.try = true
	default:
		return s, fmt.Errorf(prefix+"unknown mode %q (allowed: %q or %q)", cfg.Mode, ModeAcquire, ModeTry)
	}
	return s, nil
}

// Semaphore is a weighted semaphore, the API NewTarget adapts (and that every
// built-in semaphore is reduced to); golang.org/x/sync/semaphore.Weighted has it.
// Its methods are called concurrently.
//
// Acquire blocks until n units of weight are free and takes them, or returns an
// error when ctx ends first; it must then leave the semaphore unchanged.
// TryAcquire takes n units only if they are free at once. Release returns n
// units taken earlier.
type Semaphore interface {
	Acquire(ctx context.Context, n int64) error
	TryAcquire(n int64) bool
	Release(n int64)
}

// target adapts a Semaphore to impls.Target: one op acquires its weight,
// holds it for op.Hold plus op.Work of busy CPU, and releases it.
type target struct {
	settings
	sem   Semaphore
	meter *meter
}

func newTarget(impl string, s settings, sem Semaphore) *target {
	return &target{settings: s, sem: sem, meter: newMeter(impl, s.capacity, s.workers)}
}

// Do performs one acquire-hold-release. A weight above the capacity is
// impls.Error, since no wait could satisfy it; a try that finds the weight taken is
// impls.Denied; a blocking acquire cut short by ctx or the configured timeout is
// impls.Timeout. Safe for concurrent use.
//
// The path of a cheap op is the semaphore's two calls plus what the capacity
// check needs (two atomic adds on the meter's counter) and a few plain
// updates of the worker's own slot: BenchmarkAdapter measures it.
func (t *target) Do(ctx context.Context, op impls.Op) impls.Outcome {
	// op.Units() spelt out: the method call copied the whole Op through the
	// stack, and reading the copy back stalled on store forwarding (a third
	// of the adapter's remaining cost, in BenchmarkAdapter's profile).
	n := op.Weight
	if n <= 0 {
		n = 1
	}
	s := t.meter.slot(op.Worker)
	if n > t.capacity || s == nil {
		return t.doSlow(ctx, op, n)
	}
	// An op that holds for some time is timed whole: two clock reads are small
	// beside it. So is a heavy one (weight above 1), which some semaphores can
	// starve: its long waits are what longest_wait_ns is for. A weight-1 op
	// that holds nothing is as cheap as the semaphore, so its wait is timed on
	// a sample (see meter).
	busy := op.Hold > 0 || op.Work > 0
	timed := busy || n > 1 || s.sampled()
	var asked time.Time
	if timed {
		asked = time.Now()
	}
	if o := t.take(ctx, n); o != impls.OK {
		s.failed(o)
		return o
	}
	wait := time.Duration(-1) // untimed
	if timed {
		wait = max(time.Since(asked), 0)
	}
	s.held(t.meter.inUse.Add(n))
	if busy {
		holdFor(ctx, op.Hold, op.Work)
	}
	t.meter.inUse.Add(-n)
	t.sem.Release(n)
	s.acquired(wait)
	return impls.OK
}

// doSlow is Do for a weight above the capacity (impls.Error) and for a worker
// outside [0, Workers), a driver bug whose figures go to the meter's locked
// overflow slot rather than a neighbour's. Every op it takes is timed.
func (t *target) doSlow(ctx context.Context, op impls.Op, n int64) impls.Outcome {
	if n > t.capacity {
		t.meter.failed(op.Worker, impls.Error)
		return impls.Error
	}
	asked := time.Now()
	if o := t.take(ctx, n); o != impls.OK {
		t.meter.failed(op.Worker, o)
		return o
	}
	wait := time.Since(asked)
	t.meter.hold(op.Worker, n)
	holdFor(ctx, op.Hold, op.Work)
	t.meter.unhold(n)
	t.sem.Release(n)
	t.meter.acquired(op.Worker, wait)
	return impls.OK
}

// take acquires n units in the configured mode: impls.OK, impls.Denied (a try
// that found them taken) or impls.Timeout (ctx or the timeout ended first).
func (t *target) take(ctx context.Context, n int64) impls.Outcome {
	switch {
	case t.try:
		if !t.sem.TryAcquire(n) {
			return impls.Denied
		}
	case t.timeout > 0:
		if t.acquireWithin(ctx, n) != nil {
			return impls.Timeout
		}
	default:
		if t.sem.Acquire(ctx, n) != nil {
			return impls.Timeout
		}
	}
	return impls.OK
}

// acquireWithin blocks for n units for at most the configured timeout: the
// timeout's context and defer stay here, off the path of a run without one.
func (t *target) acquireWithin(ctx context.Context, n int64) error {
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	return t.sem.Acquire(ctx, n)
}

// holdFor models the work done while holding the weight; the hold ends early
// when ctx is done, so an interrupt is not held up by every worker's sleep.
func holdFor(ctx context.Context, hold, work time.Duration) {
	impls.Hold(ctx, hold)
	impls.BusyWork(work)
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
