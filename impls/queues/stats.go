package queues

import (
	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Stats reports the window's figures (the whole life's when no window was
// opened) (see the package documentation): the
// queue's shape (producers, consumers, capacity or unbounded, waits_by_polling),
// the items enqueued and dequeued in the window and the dequeue rate, the
// producers' and consumers' blocked time (total, count, and share of their
// time in the window; absent when the queue cannot try, as then every call
// would have to be timed), the sampled time in the queue (p50, p99, p99.9, max,
// and the sample's size), guard_waits for an unbounded queue, and
// items_checked, every item the exactly-once check covered (warm-up and drain
// included). Call it after Verify.
func (t *target) Stats() map[string]float64 {
	t.stop()
	m := map[string]float64{
		"producers":        float64(len(t.producers)),
		"consumers":        float64(len(t.consumers)),
		"waits_by_polling": b2f(t.opts.Spins),
	}
	if t.capacity > 0 {
		m["capacity"] = float64(t.capacity)
	} else {
		m["unbounded"] = 1
		m["guard_waits"] = float64(t.guardWaits.Load())
	}
	if t.stopErr != nil {
		return m // the consumers' ledgers may still be written
	}
	ph, window := t.reported()
	var enq, pBlocks, pBlocked int64
	for i := range t.producers {
		p := &t.producers[i].producer
		enq += p.enqueued[ph]
		pBlocks += p.blocks[ph]
		pBlocked += p.blockedNs[ph]
	}
	var deq, cBlocks, cBlocked int64
	var checked uint64
	queueTime := hdr.New(queueTimeLowest, queueTimeHighest, queueTimeSigFigs)
	for _, c := range t.consumers {
		deq += c.dequeued[ph]
		cBlocks += c.blocks[ph]
		cBlocked += c.blockedNs[ph]
		checked += c.taken
		queueTime.Merge(c.queueTime[ph])
	}
	checked += t.drained.taken
	m["enqueued"], m["dequeued"], m["items_checked"] = float64(enq), float64(deq), float64(checked)
	if window > 0 {
		m["dequeued_per_s"] = float64(deq) / window * 1e9
	}
	if t.tryEnq != nil {
		m["producer_blocks"], m["producer_blocked_ns"] = float64(pBlocks), float64(pBlocked)
		if window > 0 {
			m["producer_blocked_pct"] = 100 * float64(pBlocked) / (window * float64(len(t.producers)))
		}
	}
	if t.tryDeq != nil {
		m["consumer_blocks"], m["consumer_blocked_ns"] = float64(cBlocks), float64(cBlocked)
		if window > 0 {
			m["consumer_blocked_pct"] = 100 * float64(cBlocked) / (window * float64(len(t.consumers)))
		}
	}
	if n := queueTime.TotalCount(); n > 0 {
		m["queue_time_samples"] = float64(n)
		m["queue_time_p50_ns"] = float64(queueTime.ValueAtQuantile(50))
		m["queue_time_p99_ns"] = float64(queueTime.ValueAtQuantile(99))
		m["queue_time_p999_ns"] = float64(queueTime.ValueAtQuantile(99.9))
		m["queue_time_max_ns"] = float64(queueTime.Max())
	}
	return m
}

// reported is the phase whose figures Stats reports and its length in ns: the
// window, from WindowOpened to WindowClosed (or to stop, if it never closed),
// once it opened; else the target's whole life, from its birth to stop.
func (t *target) reported() (phase int32, ns float64) {
	open, closed := t.winOpen.Load(), t.winClose.Load()
	if open == 0 {
		return phaseBefore, float64(t.stoppedAt)
	}
	if closed == 0 {
		closed = t.stoppedAt
	}
	return phaseIn, float64(max(closed-open, 0))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
