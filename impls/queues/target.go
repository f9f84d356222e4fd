package queues

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// target drives a Queue: the workers' ops are enqueues, and consumers
// goroutines of its own take the items from the moment it is built until stop.
type target struct {
	impl string
	settings
	opts   Options
	q      Queue
	tryEnq TryEnqueuer // nil when q cannot try
	tryDeq TryDequeuer // nil when q cannot try

	// base is the origin of the target's clock (now): stamps and window
	// bounds are ns since it, from 1.
	base time.Time
	// phase is where the target's life is against the measured window
	// (phaseBefore, phaseIn, phaseAfter): each figure is counted in its
	// phase, and Stats reports phaseIn's once the window opened, the whole
	// life's (phaseBefore) when nobody said. winOpen and winClose are the
	// window's bounds on the target's clock (0 while unknown).
	phase             atomic.Int32
	winOpen, winClose atomic.Int64

	producers []producerSlot
	consumers []*consumer
	drained   *consumer // what stop found left in the queue

	// outstanding is the items in an unbounded queue, give or take
	// guardEvery per goroutine: producers add and consumers subtract in steps
	// of guardEvery. guardWaits counts the producers the guard held.
	outstanding atomic.Int64
	guardWaits  atomic.Int64
	// progress grows as consumers take items (in steps of guardEvery, or one
	// per item that carries work), so stop can tell slow from stuck.
	progress atomic.Int64

	consumerCtx   context.Context
	stopConsumers context.CancelFunc
	wg            sync.WaitGroup
	stopOnce      sync.Once
	stopErr       error
	stoppedAt     int64
	verifyOnce    sync.Once
	verifyErr     error
}

// guardEvery is how many items a goroutine handles between its updates of the
// shared counters (outstanding, progress): a power of two, so the check is a mask.
const guardEvery = 256

func newTarget(impl string, s settings, q Queue, opts Options) *target {
	t := &target{impl: impl, settings: s, opts: opts, q: q, base: time.Now()}
	t.tryEnq, _ = q.(TryEnqueuer)
	t.tryDeq, _ = q.(TryDequeuer)
	t.producers = make([]producerSlot, s.producers)
	for i := range t.producers {
		p := &t.producers[i].producer
		p.skip, p.every, p.rng = 1, 1, uint64(i)*0x9E3779B97F4A7C15|1
	}
	t.consumerCtx, t.stopConsumers = context.WithCancel(context.Background())
	t.consumers = make([]*consumer, s.consumers)
	for i := range t.consumers {
		c := newConsumer(s.producers, true)
		t.consumers[i] = c
		t.wg.Add(1)
		go t.consume(c)
	}
	return t
}

// now is the target's monotonic clock in ns, from 1 (0 marks an unstamped item).
func (t *target) now() int64 { return int64(time.Since(t.base)) + 1 }

// Do enqueues one item for worker op.Worker (see NewTarget). A worker outside
// [0, Config.Workers) is impls.Error: its items could not be numbered.
func (t *target) Do(ctx context.Context, op impls.Op) impls.Outcome {
	if uint(op.Worker) >= uint(len(t.producers)) {
		return impls.Error
	}
	p := &t.producers[op.Worker].producer
	if t.capacity == 0 && p.next&(guardEvery-1) == 0 && !t.guard(ctx, p.next) {
		return impls.Timeout
	}
	item := Item{Seq: p.next, Producer: uint32(op.Worker), Work: op.Work}
	if p.skip--; p.skip == 0 {
		item.Stamp = p.stamp(t.now())
	}
	if t.tryEnq == nil || !t.tryEnq.TryEnqueue(item) {
		if !t.enqueueBlocking(ctx, p, item) {
			return impls.Timeout
		}
	}
	p.next++
	p.enqueued[t.phase.Load()]++
	return impls.OK
}

// enqueueBlocking is the slow path: the try failed (or q cannot try). It
// times the wait when q can try, so only waits are timed.
func (t *target) enqueueBlocking(ctx context.Context, p *producer, item Item) bool {
	if t.tryEnq == nil {
		return t.q.Enqueue(ctx, item) == nil
	}
	start := t.now()
	err := t.q.Enqueue(ctx, item)
	t.charge(&p.blocks, &p.blockedNs, start, t.now())
	return err == nil
}

// guard holds a producer of an unbounded queue while MaxOutstanding items are
// in it; it is called every guardEvery enqueues, with the producer's count so
// far. It reports false when ctx ended first.
func (t *target) guard(ctx context.Context, accepted uint64) bool {
	if accepted > 0 {
		t.outstanding.Add(guardEvery)
	}
	if t.outstanding.Load() < MaxOutstanding {
		return true
	}
	t.guardWaits.Add(1)
	for t.outstanding.Load() >= MaxOutstanding {
		if ctx.Err() != nil {
			return false
		}
		time.Sleep(guardPoll)
	}
	return true
}

// guardPoll is how often a producer held by the guard looks again: the
// consumers are more than a million items behind, so a millisecond is nothing.
const guardPoll = time.Millisecond

// consume is one consumer goroutine: it takes items until its stop item, or
// until stop gives up and cancels its context.
func (t *target) consume(c *consumer) {
	defer t.wg.Done()
	for {
		item, ok := t.take(c)
		if !ok || item.isStop() {
			t.progress.Add(1)
			return
		}
		if !c.account(item, t.opts.FIFO) {
			continue
		}
		ph := t.phase.Load()
		c.dequeued[ph]++
		if item.Stamp != 0 && ph < phaseAfter {
			c.recordQueueTime(ph, t.now()-item.Stamp)
		}
		if c.taken&(guardEvery-1) == 0 {
			t.progress.Add(1)
			if t.capacity == 0 {
				t.outstanding.Add(-guardEvery)
			}
		}
		if item.Work > 0 {
			impls.BusyWork(item.Work)
			t.progress.Add(1)
		}
	}
}

// take returns the next item, timing the wait when q can try and the try found
// nothing; false when the consumers' context ended first.
func (t *target) take(c *consumer) (Item, bool) {
	if t.tryDeq == nil {
		item, err := t.q.Dequeue(t.consumerCtx)
		return item, err == nil
	}
	if item, ok := t.tryDeq.TryDequeue(); ok {
		return item, true
	}
	start := t.now()
	item, err := t.q.Dequeue(t.consumerCtx)
	t.charge(&c.blocks, &c.blockedNs, start, t.now())
	return item, err == nil
}

// charge counts one wait from start to end in the phase it ended in, and its
// time in the window as the window's: a consumer of an idle queue waits across
// the window's edges, and only the part inside is the window's. (The whole
// wait also counts before the window, for a target never told of one.)
func (t *target) charge(blocks, ns *[phases]int64, start, end int64) {
	ph := t.phase.Load()
	blocks[ph]++
	open := t.winOpen.Load()
	switch ph {
	case phaseBefore:
		ns[phaseBefore] += end - start
	case phaseIn:
		ns[phaseIn] += end - max(start, open)
	case phaseAfter:
		ns[phaseIn] += max(t.winClose.Load()-max(start, open), 0)
	}
}

// WindowOpened starts counting the figures Stats reports (impls.WindowObserver):
// what happened before, the warm-up, is left out. A wait or an item counts in
// the phase in which it ended.
func (t *target) WindowOpened(time.Time) {
	t.winOpen.Store(t.now())
	t.phase.Store(phaseIn)
}

// WindowClosed stops counting them.
func (t *target) WindowClosed(time.Time) {
	t.winClose.Store(t.now())
	t.phase.Store(phaseAfter)
}

// BackgroundGoroutines is the number of consumers (impls.Background).
func (t *target) BackgroundGoroutines() int { return len(t.consumers) }

// Close stops the consumers if Verify has not; it reports consumers that could
// not be stopped.
func (t *target) Close() error {
	t.stop()
	return t.stopErr
}
