package queues

import (
	"unsafe"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// cacheLine is the padding unit that keeps one goroutine's hot counters off
// another's cache line.
const cacheLine = 64

// producer is one worker's slot, written by that worker alone (a worker never
// issues two ops at once) and read by Verify and Stats after every op returned.
type producer struct {
	// next is the number of items accepted so far, so the next item's Seq.
	next uint64
	// The figures, by phase (see target.phase).
	enqueued, blocks, blockedNs [phases]int64
	// Stamping: the enqueues left until the next stamped one, the mean gap
	// between stamps, the stamp before, and the draw's state.
	skip, every uint32
	lastStamp   int64
	rng         uint64
}

// producerSlot pads a producer to whole cache lines.
type producerSlot struct {
	producer
	_ [cacheLine - unsafe.Sizeof(producer{})%cacheLine]byte
}

// Stamping adapts to the producer's pace so that time in the queue costs
// neither a clock read on every fast enqueue nor the whole sample of a slow
// run: a producer stamps one enqueue in every (on average, at random gaps), and
// every doubles (up to maxStampEvery) when two stamps came less than
// stampFastGap apart and halves (down to 1) when more than stampSlowGap. At
// tens of ns an enqueue that is one clock read per 64 items; at 10 ops/s it is
// every item.
const (
	maxStampEvery = 64
	stampFastGap  = 20_000  // ns
	stampSlowGap  = 200_000 // ns
)

// stamp returns the instant for the item being enqueued and draws the gap to
// the next stamped one.
func (p *producer) stamp(now int64) int64 {
	gap := now - p.lastStamp
	p.lastStamp = now
	switch {
	case gap < stampFastGap && p.every < maxStampEvery:
		p.every *= 2
	case gap > stampSlowGap && p.every > 1:
		p.every /= 2
	}
	// xorshift64: a few ns, only on stamped enqueues.
	p.rng ^= p.rng << 13
	p.rng ^= p.rng >> 7
	p.rng ^= p.rng << 17
	p.skip = 1 + uint32(p.rng%uint64(2*p.every-1))
	return now
}

// consumer is one consumer goroutine's ledger and figures, written by it alone
// and read after it stopped.
type consumer struct {
	// last holds, per producer, one more than the highest number this
	// consumer took from it (0: none yet).
	last []uint64
	// taken counts the real items taken, sum their fingerprints.
	taken, sum uint64
	// invented counts items naming a producer that does not exist; reordered
	// counts items older than one already taken from the same producer.
	invented, reordered uint64
	firstInvented       Item
	firstReorder        reorder
	// The figures, by phase (see target.phase); no time in the queue is
	// kept after the window.
	dequeued, blocks, blockedNs [phases]int64
	queueTime                   [phaseAfter]*hdr.Histogram
	_                           [cacheLine]byte
}

// Phases of a target's life, for its figures: before the measured window
// (the warm-up, or the whole run when nobody says where the window is), in
// it, and after it.
const (
	phaseBefore = iota
	phaseIn
	phaseAfter
	phases
)

// reorder is one per-producer FIFO violation: item got was taken after after.
type reorder struct {
	producer uint32
	after    uint64
	got      uint64
}

// Histogram geometry of the time in the queue: that of every syncbench
// latency histogram, so the figures compare with the recorded response times.
const (
	queueTimeLowest  = 1
	queueTimeHighest = int64(3600e9)
	queueTimeSigFigs = 3
)

func newConsumer(producers int, timed bool) *consumer {
	c := &consumer{last: make([]uint64, producers)}
	if timed {
		for i := range c.queueTime {
			c.queueTime[i] = hdr.New(queueTimeLowest, queueTimeHighest, queueTimeSigFigs)
		}
	}
	return c
}

// account checks and counts one real item. It reports whether the item named
// a known producer.
func (c *consumer) account(it Item, fifo bool) bool {
	if uint(it.Producer) >= uint(len(c.last)) {
		if c.invented == 0 {
			c.firstInvented = it
		}
		c.invented++
		return false
	}
	c.taken++
	c.sum += fingerprint(it.Producer, it.Seq)
	last := &c.last[it.Producer]
	if it.Seq < *last {
		if fifo {
			if c.reordered == 0 {
				c.firstReorder = reorder{producer: it.Producer, after: *last - 1, got: it.Seq}
			}
			c.reordered++
		}
		return true
	}
	*last = it.Seq + 1
	return true
}

// recordQueueTime adds one sampled time in the queue to phase's histogram.
func (c *consumer) recordQueueTime(phase int32, ns int64) {
	if phase < phaseAfter && c.queueTime[phase] != nil {
		_ = c.queueTime[phase].RecordValue(min(max(ns, queueTimeLowest), queueTimeHighest)) // clamped: cannot fail
	}
}
