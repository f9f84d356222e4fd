package backend

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// Options configure a Backend. The zero value is the real clock, seed 0 and no
// caller deadline.
type Options struct {
	// Clock is what the backend reads and sleeps on; nil means RealClock.
	Clock Clock
	// Seed seeds service-time draws and failures, so a run on a ManualClock is
	// reproducible call for call.
	Seed int64
	// Timeout is the caller's deadline for one call, counted from its arrival; 0
	// means none. A call still queued at its deadline never starts service (it
	// leaves the queue, holding no one up); a call in service at its deadline
	// returns Timeout then, while the server finishes its work regardless (it
	// does not know the caller left), as a real server does.
	Timeout time.Duration
}

// Backend is a model server whose behaviour follows a Schedule: it serves up to
// Capacity calls at once, queues the rest in arrival order, takes a service time
// drawn from the schedule's distribution around the mean in force when a call
// starts service, and fails a call with the failure rate in force then. Because
// the schedule is known, so is the backend's true capacity and failure rate at
// every instant ([Backend.Truth]), which is what the breakers and adaptive
// families are scored against.
//
// The queue is computed, not simulated by goroutines: when a call arrives, its
// start of service is the first instant at which fewer than the capacity then in
// force are in service and every earlier arrival has started (FIFO), found from
// the end instants of the calls already placed. The call then sleeps on the clock
// until its end. So the model's behaviour is exact whatever the scheduler does,
// and on a ManualClock a test knows every call's start and end in advance. A
// capacity drop preempts no one: calls in service finish, and new ones wait until
// the number in service is below the new capacity.
//
// Backend is an impls.Target (Do ignores the op's kind, key and weight) and an
// impls.WindowObserver: the schedule's offset 0 is the opening of the measured
// window, or the backend's construction until a window opens. Safe for
// concurrent use.
type Backend struct {
	sched   Schedule
	clock   Clock
	timeout time.Duration
	base    time.Time // instants are kept as ns since base

	mu        sync.Mutex
	origin    int64 // offset 0 of the schedule, ns since base
	closed    int64 // the window's end, ns since base; 0 while open
	rng       *rand.Rand
	ends      []int64 // end instants of placed calls not yet known to be over, ascending
	lastStart int64   // start of service of the latest placed call (FIFO)
	stats     backendStats
}

type backendStats struct {
	calls, failed, timedOut, abandoned int64
	peakInService                      int
	maxQueueWait                       time.Duration
}

// Reservation is where one call was placed: when it starts service and ends, and
// whether it fails. Started is false for a call whose deadline came before its
// turn (it never starts).
type Reservation struct {
	Arrival, Start, End time.Time
	Fail, Started       bool
}

// New returns a backend following s (which must pass Validate).
func New(s Schedule, opts Options) (*Backend, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if opts.Timeout < 0 {
		return nil, fmt.Errorf("backend timeout %v is negative (allowed: 0 for none, or more)", opts.Timeout)
	}
	clock := opts.Clock
	if clock == nil {
		clock = RealClock{}
	}
	seed := uint64(opts.Seed)
	return &Backend{
		sched:   s,
		clock:   clock,
		timeout: opts.Timeout,
		base:    clock.Now(),
		rng:     rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
	}, nil
}

// Schedule returns the schedule the backend follows.
func (b *Backend) Schedule() Schedule { return b.sched }

// Clock returns the clock the backend reads.
func (b *Backend) Clock() Clock { return b.clock }

// Origin returns the instant of the schedule's offset 0.
func (b *Backend) Origin() time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.base.Add(time.Duration(b.origin))
}

// Window returns the measured window, [opened, closed): opened is Origin, closed
// the instant WindowClosed gave, or the zero Time while the window is open.
func (b *Backend) Window() (opened, closed time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	opened = b.base.Add(time.Duration(b.origin))
	if b.closed != 0 {
		closed = b.base.Add(time.Duration(b.closed))
	}
	return opened, closed
}

// WindowOpened restarts the schedule at t: offset 0 is t from now on.
func (b *Backend) WindowOpened(t time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.origin = int64(t.Sub(b.base))
	b.closed = 0
}

// WindowClosed records the end of the measured window, for the scores of the
// families in front of the backend.
func (b *Backend) WindowClosed(t time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = max(int64(t.Sub(b.base)), b.origin+1)
}

// Truth returns the backend's state at t as the schedule says.
func (b *Backend) Truth(t time.Time) Point {
	return b.sched.At(b.Offset(t))
}

// Offset returns t as an offset into the schedule.
func (b *Backend) Offset(t time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	return time.Duration(int64(t.Sub(b.base)) - b.origin)
}

// Reserve places a call arriving now with the given deadline (the zero Time for
// none) and returns where it went, without sleeping. Call and Do use it; it is
// exported so that a test, or a family's own driver, can see the model's
// decisions.
func (b *Backend) Reserve(now, deadline time.Time) Reservation {
	arrival := int64(now.Sub(b.base))
	limit := int64(Forever)
	if !deadline.IsZero() {
		limit = int64(deadline.Sub(b.base))
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stats.calls++
	// Every placed call has started by lastStart, so from x ≥ lastStart on the
	// calls in service at x are those ending after x; ends at or before the
	// earliest instant any later call can be placed are over for good.
	x := max(arrival, b.lastStart)
	over, _ := slices.BinarySearch(b.ends, x+1)
	b.ends = b.ends[over:]
	for {
		gone, _ := slices.BinarySearch(b.ends, x+1) // ends ≤ x
		inService := len(b.ends) - gone
		if inService < b.sched.CapacityAt(time.Duration(x-b.origin)) {
			break
		}
		next := int64(Forever)
		if gone < len(b.ends) {
			next = b.ends[gone]
		}
		if change := b.sched.Capacity.NextIntChange(time.Duration(x - b.origin)); change != Forever {
			next = min(next, int64(change)+b.origin)
		}
		if next == int64(Forever) || next > limit {
			b.stats.abandoned++
			return Reservation{Arrival: now}
		}
		x = next
	}
	if x > limit {
		b.stats.abandoned++
		return Reservation{Arrival: now}
	}
	p := b.sched.At(time.Duration(x - b.origin))
	end := x + int64(b.sched.Dist.draw(b.rng, p.Service))
	fail := p.Failure > 0 && b.rng.Float64() < p.Failure
	at, _ := slices.BinarySearch(b.ends, end+1)
	b.ends = slices.Insert(b.ends, at, end)
	b.lastStart = x
	gone, _ := slices.BinarySearch(b.ends, x+1)
	b.stats.peakInService = max(b.stats.peakInService, len(b.ends)-gone)
	b.stats.maxQueueWait = max(b.stats.maxQueueWait, time.Duration(x-arrival))
	return Reservation{Arrival: now, Start: b.base.Add(time.Duration(x)), End: b.base.Add(time.Duration(end)), Fail: fail, Started: true}
}

// Call makes one call: it is placed (Reserve), then sleeps until it ends, or until
// its deadline (Options.Timeout after now) or ctx is done. It returns OK, Error
// for a call that failed, or Timeout for one that missed its deadline or whose
// ctx ended first.
func (b *Backend) Call(ctx context.Context) impls.Outcome {
	now := b.clock.Now()
	var deadline time.Time
	if b.timeout > 0 {
		deadline = now.Add(b.timeout)
	}
	r := b.Reserve(now, deadline)
	wake, late := r.End, false
	if !r.Started || !deadline.IsZero() && r.End.After(deadline) {
		wake, late = deadline, true
	}
	if !b.clock.SleepUntil(ctx, wake) || late {
		b.mu.Lock()
		b.stats.timedOut++
		b.mu.Unlock()
		return impls.Timeout
	}
	if r.Fail {
		b.mu.Lock()
		b.stats.failed++
		b.mu.Unlock()
		return impls.Error
	}
	return impls.OK
}

// Do makes one call (see Call); the op's fields are ignored.
func (b *Backend) Do(ctx context.Context, _ impls.Op) impls.Outcome { return b.Call(ctx) }

// Verify has no invariant to check: the model places calls within its capacity
// by construction (TestReserve checks that).
func (b *Backend) Verify() error { return nil }

// Close does nothing: the backend holds no goroutine.
func (b *Backend) Close() error { return nil }

// Stats reports what the backend did: calls placed, failed, timed out, abandoned
// in the queue, the most in service at once and the longest queue wait.
func (b *Backend) Stats() map[string]float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return map[string]float64{
		"backend_calls":           float64(b.stats.calls),
		"backend_failed":          float64(b.stats.failed),
		"backend_timed_out":       float64(b.stats.timedOut),
		"backend_abandoned":       float64(b.stats.abandoned),
		"backend_peak_in_service": float64(b.stats.peakInService),
		"backend_max_queue_ns":    float64(b.stats.maxQueueWait),
	}
}

var (
	_ impls.Target         = (*Backend)(nil)
	_ impls.StatsReporter  = (*Backend)(nil)
	_ impls.WindowObserver = (*Backend)(nil)
)

// Truthful is a target that knows the true state of the backend behind it: a
// *Backend, or a wrapper of one that forwards these, so a family in front of
// either is scored against the schedule. Safe for concurrent use.
type Truthful interface {
	// Schedule is the schedule the backend follows.
	Schedule() Schedule
	// Origin is the instant of the schedule's offset 0 (the window's opening).
	Origin() time.Time
	// Clock is the clock the backend reads, which a family in front of it
	// must read too for its figures to line up with the schedule.
	Clock() Clock
}

var _ Truthful = (*Backend)(nil)
