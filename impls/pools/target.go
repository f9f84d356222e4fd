package pools

import (
	"context"
	"fmt"
	"sync"

	"github.com/syncbench/syncbench/impls"
)

// DefaultSize is the object size in bytes when Config.Size is zero: a 4 KiB
// buffer, the usual size of a pooled I/O or encoding buffer.
const DefaultSize = 4096

// touchStride is the step at which an op writes its object's payload: one byte
// per 64-byte cache line, as a holder filling the buffer would bring every line
// into its cache, without timing a memset the size of the object.
const touchStride = 64

// cacheLine keeps per-worker counters off each other's cache lines.
const cacheLine = 64

// Pool is an object pool, the API NewTarget adapts and every built-in pool is
// reduced to. Its methods are called concurrently.
//
// Get returns an object of the configured size that nobody else holds, making
// one (NewObject) when it has none idle; Put takes back an object Get returned,
// which its caller no longer holds. A pool may drop objects it is given.
type Pool interface {
	Get() *Object
	Put(*Object)
}

// idleReporter is implemented by pools that can say how many objects they hold
// idle (the channel free list), reported as idle_objects.
type idleReporter interface {
	Idle() int
}

// NewTarget adapts an object pool of your own to impls.Target with the checks
// and statistics of the built-in pools, which use this same adapter. p must hand
// out objects of at least cfg.Size bytes (DefaultSize when zero), made with
// NewObject.
//
// Each op takes an object with Get, marks it held by its worker (a
// compare-and-swap of the object's owner word from free to the worker), writes
// one byte in every 64 of its payload, spins op.Work and sleeps op.Hold while
// holding it, clears the mark (a compare-and-swap back, which fails if anyone
// else wrote the mark meanwhile) and returns it with Put. An object that is
// already marked when Get returns it, or whose mark changed while held, or that
// is smaller than the size, or a nil object, is a violation: the op is
// impls.Error and Verify fails with an *impls.InvariantError naming the first.
//
// Stats reports gets, new_objects (objects taken on their first use: those the
// pool had to make), reused_pct (the share of gets that found an object made
// earlier), object_bytes and, when the pool has an Idle() int method,
// idle_objects after the run. A negative cfg.Size, or one outside [HeaderSize,
// MaxSize], is an error naming the value. The Target is safe for concurrent use
// as the impls.Target contract requires.
func NewTarget(p Pool, cfg impls.Config) (impls.Target, error) {
	size, err := objectSize("", cfg)
	if err != nil {
		return nil, err
	}
	return newTarget("", p, size, cfg.Workers), nil
}

// objectSize validates cfg.Size for impl ("" for a user's pool).
func objectSize(impl string, cfg impls.Config) (int, error) {
	prefix := ""
	if impl != "" {
		prefix = impl + ": "
	}
	switch {
	case cfg.Size == 0:
		return DefaultSize, nil
	case cfg.Size < HeaderSize || cfg.Size > MaxSize:
		return 0, fmt.Errorf(prefix+"size %d is out of range (allowed: %d to %d bytes, the first %d holding the owner mark; 0 for %d)",
			cfg.Size, HeaderSize, MaxSize, HeaderSize, DefaultSize)
	}
	return cfg.Size, nil
}

// target drives one Pool. Its counters live in per-worker slots written by
// their worker alone (a worker never issues two ops at once), so counting adds
// no shared write to an op.
type target struct {
	impl    string
	pool    Pool
	size    int
	workers []workerSlot

	// overflowMu serialises ops whose Worker is outside [0, Workers) (a driver
	// bug) on a slot of their own, so they corrupt no worker's counts.
	overflowMu sync.Mutex
	overflow   workerSlot

	firstMu sync.Mutex
	first   string // the first violation, described
}

// workerSlot is one worker's counts.
type workerSlot struct {
	gets, news, violations int64
	_                      [cacheLine - 3*8]byte
}

func newTarget(impl string, p Pool, size, workers int) *target {
	return &target{impl: impl, pool: p, size: size, workers: make([]workerSlot, max(workers, 1))}
}

// Do takes an object, uses it and gives it back (see NewTarget). Safe for
// concurrent use.
func (t *target) Do(ctx context.Context, op impls.Op) impls.Outcome {
	if op.Worker < 0 || op.Worker >= len(t.workers) {
		t.overflowMu.Lock()
		defer t.overflowMu.Unlock()
		return t.use(ctx, op, &t.overflow)
	}
	return t.use(ctx, op, &t.workers[op.Worker])
}

func (t *target) use(ctx context.Context, op impls.Op, w *workerSlot) impls.Outcome {
	o := t.pool.Get()
	if o == nil {
		return t.violated(w, "Get returned nil")
	}
	mark := uint64(op.Worker) + 1
	if !o.owner.CompareAndSwap(0, mark) {
		// Another op holds it: touch nothing, give nothing back.
		return t.violated(w, fmt.Sprintf("worker %d got an object worker %d still held", op.Worker, int64(o.owner.Load())-1))
	}
	if o.Size() < t.size {
		o.owner.Store(0)
		return t.violated(w, fmt.Sprintf("Get returned an object of %d bytes, want at least %d", o.Size(), t.size))
	}
	w.gets++
	if o.uses.Add(1) == 1 {
		w.news++
	}
	b := o.Bytes()
	for i := 0; i < len(b); i += touchStride {
		b[i] = byte(mark)
	}
	impls.BusyWork(op.Work)
	impls.Hold(ctx, op.Hold)
	if !o.owner.CompareAndSwap(mark, 0) {
		return t.violated(w, fmt.Sprintf("worker %d's object was marked by worker %d while it held it", op.Worker, int64(o.owner.Load())-1))
	}
	t.pool.Put(o)
	return impls.OK
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

// Verify reports an *impls.InvariantError when any op found an object another
// held, or a nil or undersized one.
func (t *target) Verify() error {
	n := t.overflow.violations
	for i := range t.workers {
		n += t.workers[i].violations
	}
	if n == 0 {
		return nil
	}
	return &impls.InvariantError{Impl: t.impl, Detail: fmt.Sprintf("%d ops found an object not theirs alone; the first: %s", n, t.first)}
}

// Stats reports gets, new_objects, reused_pct, object_bytes and, where the pool
// says, idle_objects.
func (t *target) Stats() map[string]float64 {
	gets, news := t.overflow.gets, t.overflow.news
	for i := range t.workers {
		gets += t.workers[i].gets
		news += t.workers[i].news
	}
	s := map[string]float64{"gets": float64(gets), "new_objects": float64(news), "object_bytes": float64(t.size)}
	if gets > 0 {
		s["reused_pct"] = 100 * float64(gets-news) / float64(gets)
	}
	if r, ok := t.pool.(idleReporter); ok {
		s["idle_objects"] = float64(r.Idle())
	}
	return s
}

// Close does nothing: a pool holds only memory.
func (t *target) Close() error { return nil }
