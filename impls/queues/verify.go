package queues

import (
	"context"
	"fmt"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// stallTimeout is how long stop waits for consumers that make no progress
// before it gives up on its stop items and cancels their context: only a queue
// that lost items (or its stop items) stalls that long, since the consumers
// keep taking whatever is in it.
const stallTimeout = 10 * time.Second

// stop ends the consumers once every op has returned: one stop item each,
// enqueued after every real item, so a queue that keeps one FIFO order hands
// each consumer all the real items it will get before its stop item. It then
// drains what is left, when q can try. A consumer that makes no progress for
// stallTimeout is cancelled; one that still does not return is reported in
// stopErr (its ledger is then not read: it may still be writing it).
func (t *target) stop() {
	t.stopOnce.Do(func() {
		defer t.stopConsumers()
		done := make(chan struct{})
		go func() { t.wg.Wait(); close(done) }()
		stalled := t.watch(done)
		for range t.consumers {
			if t.q.Enqueue(stalled, Item{Producer: stopProducer}) != nil {
				break
			}
		}
		select {
		case <-done:
		case <-stalled.Done():
			t.stopConsumers()
			select {
			case <-done:
			case <-time.After(stallTimeout):
				t.stopErr = fmt.Errorf("%d consumers did not return within %v of being cancelled: the queue's Dequeue ignores its context and lost their stop items", len(t.consumers), stallTimeout)
				return
			}
		}
		t.stoppedAt = t.now()
		t.drained = newConsumer(len(t.producers), false)
		if t.tryDeq != nil {
			for {
				it, ok := t.tryDeq.TryDequeue()
				if !ok {
					break
				}
				if !it.isStop() {
					t.drained.account(it, t.opts.FIFO)
				}
			}
		}
	})
}

// watch returns a context that ends when the consumers made no progress for
// stallTimeout, or once done is closed.
func (t *target) watch(done <-chan struct{}) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		defer cancel()
		tick := time.NewTicker(stallTimeout / 20)
		defer tick.Stop()
		last, since := t.progress.Load(), time.Now()
		for {
			select {
			case <-done:
				return
			case now := <-tick.C:
				if p := t.progress.Load(); p != last {
					last, since = p, now
				} else if now.Sub(since) >= stallTimeout {
					return
				}
			}
		}
	}()
	return ctx
}

// Verify stops the consumers and checks that every accepted item was taken
// exactly once and nothing else was (see NewTarget). It returns the same answer
// if called again.
func (t *target) Verify() error {
	t.verifyOnce.Do(func() { t.verifyErr = t.verify() })
	return t.verifyErr
}

func (t *target) verify() error {
	t.stop()
	fail := func(format string, args ...any) error {
		return &impls.InvariantError{Impl: t.impl, Detail: fmt.Sprintf(format, args...)}
	}
	if t.stopErr != nil {
		return fail("%v", t.stopErr)
	}
	var accepted, want uint64
	for p := range t.producers {
		n := t.producers[p].next
		accepted += n
		for s := range n {
			want += fingerprint(uint32(p), s)
		}
	}
	var taken, got uint64
	ledgers := append(append([]*consumer(nil), t.consumers...), t.drained)
	for i, c := range ledgers {
		who := fmt.Sprintf("consumer %d", i)
		if c == t.drained {
			who = "the drain after the run"
		}
		if c.invented > 0 {
			it := c.firstInvented
			return fail("%s took %d items from producers that do not exist (first: producer %d, item %d; there are %d producers): items invented", who, c.invented, it.Producer, it.Seq, len(t.producers))
		}
		for p, last := range c.last {
			if n := t.producers[p].next; last > n {
				return fail("%s took producer %d's item %d, but that producer had only %d accepted: an item invented", who, p, last-1, n)
			}
		}
		if c.reordered > 0 {
			r := c.firstReorder
			return fail("%s took producer %d's item %d after its item %d (%d items out of order or taken twice): per-producer FIFO broken", who, r.producer, r.got, r.after, c.reordered)
		}
		taken += c.taken
		got += c.sum
	}
	switch {
	case taken < accepted:
		return fail("%d items accepted, %d taken: %d lost", accepted, taken, accepted-taken)
	case taken > accepted:
		return fail("%d items accepted, %d taken: %d taken twice (or invented)", accepted, taken, taken-accepted)
	case got != want:
		return fail("%d items accepted and %d taken, but not the same items (their fingerprints differ): some lost and as many taken twice", accepted, taken)
	}
	return nil
}
