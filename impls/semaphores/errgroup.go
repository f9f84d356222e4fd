package semaphores

import (
	"context"
	"math"
	"time"

	"github.com/syncbench/syncbench/impls"
	"golang.org/x/sync/errgroup"
)

// errgroupTarget measures errgroup.Group with SetLimit used as a semaphore, a
// common idiom for bounding concurrent tasks. Each op runs its hold inside a
// goroutine started by Go (or TryGo in try mode) and waits for it, so the figure
// includes a goroutine start per op — which is what the idiom costs.
//
// Its limits, honestly:
//   - Weight 1 only: a group slot is one goroutine. A heavier op is impls.Error.
//   - Go cannot be cancelled: a blocking op waits for a free slot however long it
//     takes, ignoring Config.Timeout and ctx once it has started waiting (a ctx
//     already done before the op is impls.Timeout). It never deadlocks, since
//     every slot holder finishes after its hold, but it never times out either.
//   - The slot is freed after the goroutine's function returns, a moment after
//     the worker has been told its op is done. A worker's next op can find its
//     own previous slot still taken: in try mode that is a spurious Denied at
//     small capacities, in blocking mode a short extra wait.
//   - Wait times run from asking to the goroutine starting its hold, scheduling
//     latency included.
type errgroupTarget struct {
	settings
	g     errgroup.Group
	meter *meter
	done  []chan struct{} // one per worker, reused: a worker never has two ops in flight
}

func newErrgroupTarget(s settings) *errgroupTarget {
	t := &errgroupTarget{settings: s, meter: newMeter("errgroup", s.capacity, s.workers)}
	t.g.SetLimit(int(min(s.capacity, math.MaxInt)))
	t.done = make([]chan struct{}, max(s.workers, 1))
	for i := range t.done {
		t.done[i] = make(chan struct{}, 1)
	}
	return t
}

// Do runs one op's hold in a group goroutine and waits for it. See the type's
// documentation for what it cannot do. Safe for concurrent use.
func (t *errgroupTarget) Do(ctx context.Context, op impls.Op) impls.Outcome {
	if op.Units() > 1 {
		t.meter.failed(op.Worker, impls.Error)
		return impls.Error
	}
	if !t.try && ctx.Err() != nil {
		t.meter.failed(op.Worker, impls.Timeout)
		return impls.Timeout
	}
	var done chan struct{}
	if uint(op.Worker) < uint(len(t.done)) {
		done = t.done[op.Worker]
	} else {
		done = make(chan struct{}, 1) // a Worker out of range: still correct, just slower
	}
	var got time.Time
	run := func() error {
		got = time.Now()
		t.meter.hold(op.Worker, 1)
		holdFor(ctx, op.Hold, op.Work)
		t.meter.unhold(1)
		done <- struct{}{}
		return nil
	}
	asked := time.Now()
	if t.try {
		if !t.g.TryGo(run) {
			t.meter.failed(op.Worker, impls.Denied)
			return impls.Denied
		}
	} else {
		t.g.Go(run)
	}
	<-done
	t.meter.acquired(op.Worker, got.Sub(asked))
	return impls.OK
}

// Verify reports an *impls.InvariantError if more goroutines than the limit ever
// held a slot at once, or one is still counted after the run.
func (t *errgroupTarget) Verify() error { return t.meter.verify() }

// Stats reports the same figures as every semaphore target.
func (t *errgroupTarget) Stats() map[string]float64 { return t.meter.stats() }

// Close waits for the group's goroutines, which have all finished their holds
// once every Do has returned.
func (t *errgroupTarget) Close() error { return t.g.Wait() }
