package coalescing

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// cacheLine keeps per-worker counters off each other's cache lines.
const cacheLine = 64

// Coalescer stands between callers and a slow backend: the API NewTarget adapts
// and every built-in is reduced to. Get returns the answer for req.Key, calling
// fetch (the backend) as often as it decides: once per caller, or once for all
// the callers of a key that overlap. It must return, for every caller, the
// answer of its own key or an error. Its methods are called concurrently.
type Coalescer interface {
	Get(ctx context.Context, req Request, fetch Fetch) (Answer, error)
}

// settings are the parts of impls.Config a coalescing target reads, validated.
type settings struct {
	workers     int
	cancelRatio float64
	timeout     time.Duration
	seed        uint64
}

// parseConfig validates cfg for impl ("" for a user's coalescer).
func parseConfig(impl string, cfg impls.Config) (settings, error) {
	prefix := ""
	if impl != "" {
		prefix = impl + ": "
	}
	s := settings{workers: max(cfg.Workers, 1), cancelRatio: cfg.CancelRatio, timeout: cfg.Timeout, seed: uint64(cfg.Seed)}
	switch {
	case !(cfg.CancelRatio >= 0 && cfg.CancelRatio <= 1):
		return s, fmt.Errorf(prefix+"cancel ratio %v is outside [0,1]", cfg.CancelRatio)
	case cfg.Timeout < 0:
		return s, fmt.Errorf(prefix+"timeout %v is negative (allowed: > 0, with a cancel ratio)", cfg.Timeout)
	case cfg.CancelRatio > 0 && cfg.Timeout == 0:
		return s, fmt.Errorf(prefix+"cancel ratio %v needs a timeout: how long a cancelling caller waits (allowed: > 0, e.g. a quarter of the backend's latency)", cfg.CancelRatio)
	}
	return s, nil
}

// NewTarget adapts a coalescer of your own to impls.Target with the backend,
// checks and statistics of the built-ins, which use this same adapter.
//
// Each op is one caller asking for op.Key; the backend it may reach sleeps
// op.Hold and then spins op.Work before answering (ending early, with the
// context's error, when the context it is given ends). A share
// cfg.CancelRatio of callers, drawn per worker from cfg.Seed, give up after
// cfg.Timeout (a context.WithTimeout around their Get). Outcomes: impls.OK
// for the caller's own answer; impls.Timeout for a caller that gave up (or
// was cut off at the end of the run); impls.Error for a caller that did not
// give up and still got an error, the cost another caller's cancellation put
// on it (counted as collateral_errors), or an answer that is not its key's.
//
// Verify fails with an *impls.InvariantError when any caller got an answer for
// another key, or a wrong value, with a nil error. Stats reports requests,
// backend_calls, calls_per_request, shared_pct (the requests answered
// without a backend call of their own), aborted_calls (backend calls ended by
// their context), gave_up (callers that gave up) and collateral_errors, all
// over the target's life, warm-up included.
//
// A cancel ratio outside [0,1], a negative timeout, or a cancel ratio without
// a timeout is an error naming the value. The Target is safe for concurrent
// use as the impls.Target contract requires; Close ends any backend call still
// running (a detached one, say) and waits for it.
func NewTarget(c Coalescer, cfg impls.Config) (impls.Target, error) {
	s, err := parseConfig("", cfg)
	if err != nil {
		return nil, err
	}
	return newTarget("", c, s), nil
}

// target drives one Coalescer. Counters live in per-worker slots written by
// their worker alone (a worker never issues two ops at once).
type target struct {
	impl    string
	c       Coalescer
	s       settings
	backend *backend
	fetch   Fetch // backend.fetch, made once so no op allocates a method value
	workers []workerSlot

	overflowMu sync.Mutex
	overflow   workerSlot

	firstMu sync.Mutex
	first   string // the first violation, described
}

// workerSlot is one worker's counts and its cancellation draw.
type workerSlot struct {
	requests, gaveUp, collateral, violations int64
	rng                                      *rand.PCG
	_                                        [cacheLine - 5*8]byte
}

func newTarget(impl string, c Coalescer, s settings) *target {
	b := newBackend()
	t := &target{impl: impl, c: c, s: s, backend: b, fetch: b.fetch, workers: make([]workerSlot, s.workers)}
	for i := range t.workers {
		t.workers[i].rng = rand.NewPCG(s.seed, uint64(i)+1)
	}
	t.overflow.rng = rand.NewPCG(s.seed, 0)
	return t
}

// Do is one caller's request (see NewTarget). Safe for concurrent use.
func (t *target) Do(ctx context.Context, op impls.Op) impls.Outcome {
	if op.Worker < 0 || op.Worker >= len(t.workers) {
		t.overflowMu.Lock()
		defer t.overflowMu.Unlock()
		return t.request(ctx, op, &t.overflow)
	}
	return t.request(ctx, op, &t.workers[op.Worker])
}

func (t *target) request(ctx context.Context, op impls.Op, w *workerSlot) impls.Outcome {
	w.requests++
	callerCtx := ctx
	cancels := t.cancels(w)
	if cancels {
		var cancel context.CancelFunc
		callerCtx, cancel = context.WithTimeout(ctx, t.s.timeout)
		defer cancel()
	}
	a, err := t.c.Get(callerCtx, Request{Key: op.Key, Hold: op.Hold, Work: op.Work}, t.fetch)
	switch {
	case err == nil:
		if a.Key != op.Key || a.Value != ValueOf(op.Key) {
			return t.violated(w, fmt.Sprintf("worker %d asked for key %d and got key %d's answer (value %#x, want %#x)", op.Worker, op.Key, a.Key, a.Value, ValueOf(op.Key)))
		}
		return impls.OK
	case ctx.Err() != nil:
		return impls.Timeout // the run's cut-off
	case cancels && callerCtx.Err() != nil && !errors.Is(err, ErrClosed):
		w.gaveUp++
		return impls.Timeout
	}
	w.collateral++
	return impls.Error
}

// cancels draws whether w's next caller gives up after the timeout: a uniform
// draw in [0, 1) from w's own stream below the cancel ratio.
func (t *target) cancels(w *workerSlot) bool {
	return t.s.cancelRatio > 0 && float64(w.rng.Uint64()>>11)/(1<<53) < t.s.cancelRatio
}

// violated counts a violation, keeps the first one's description, and returns
// the op's outcome.
func (t *target) violated(w *workerSlot, what string) impls.Outcome {
	w.violations++
	t.firstMu.Lock()
	if t.first == "" {
		t.first = what
	}
	t.firstMu.Unlock()
	return impls.Error
}

// Verify reports an *impls.InvariantError when any caller got another key's
// answer.
func (t *target) Verify() error {
	n := t.overflow.violations
	for i := range t.workers {
		n += t.workers[i].violations
	}
	if n == 0 {
		return nil
	}
	return &impls.InvariantError{Impl: t.impl, Detail: fmt.Sprintf("%d callers got an answer that is not their key's; the first: %s", n, t.first)}
}

// Stats reports requests, backend_calls, calls_per_request, shared_pct,
// aborted_calls, gave_up and collateral_errors.
func (t *target) Stats() map[string]float64 {
	w := t.overflow
	for i := range t.workers {
		w.requests += t.workers[i].requests
		w.gaveUp += t.workers[i].gaveUp
		w.collateral += t.workers[i].collateral
	}
	calls := t.backend.calls.Load()
	s := map[string]float64{
		"requests":          float64(w.requests),
		"backend_calls":     float64(calls),
		"aborted_calls":     float64(t.backend.aborted.Load()),
		"gave_up":           float64(w.gaveUp),
		"collateral_errors": float64(w.collateral),
	}
	if w.requests > 0 {
		s["calls_per_request"] = float64(calls) / float64(w.requests)
		s["shared_pct"] = 100 * max(1-float64(calls)/float64(w.requests), 0)
	}
	return s
}

// Close ends the backend calls still running and waits for them.
func (t *target) Close() error {
	t.backend.close()
	return nil
}
