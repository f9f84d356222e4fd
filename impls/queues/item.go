package queues

import (
	"math"
	"time"
)

// Item is what a queue holds: one producer's numbered hand-off. A queue must hand
// back every item it accepted exactly once, unchanged (it is a value; copying it
// is how a queue holds it).
type Item struct {
	// Seq numbers the producer's accepted items from 0, in the order its
	// enqueues returned.
	Seq uint64
	// Producer is the index of the producing worker (impls.Op.Worker).
	Producer uint32
	// Stamp is when the producer called Enqueue, in ns on the target's
	// monotonic clock (from 1), for the items whose time in the queue is
	// measured; 0 on the others.
	Stamp int64
	// Work is the busy CPU time a consumer spends on the item after taking it
	// (impls.Op.Work of the op that produced it), modelling its processing.
	Work time.Duration
}

// stopProducer marks the items the target enqueues to stop its consumers: one
// per consumer, after every producer's item (see target.stop).
const stopProducer = math.MaxUint32

// isStop reports whether it is a consumer's stop item.
func (it Item) isStop() bool { return it.Producer == stopProducer }

// MaxProducers is the most producers (Config.Workers) a queue target takes: an
// item's fingerprint packs its producer into producerBits bits.
const MaxProducers = 1 << producerBits

const producerBits = 20

// fingerprint is an item's term in the exactly-once check: a 64-bit mix of its
// producer and number, summed with wrapping over a multiset of items. Producer
// and number are packed into one word without overlap (numbers below 2⁴⁴, 17
// trillion items a producer), and splitmix64's finaliser is a bijection, so
// distinct items have distinct terms. The sum over what the consumers took
// equals the sum over what the producers handed in when the two are the same
// multiset; a lost item and a duplicated or invented one whose terms happen to
// balance escape it with a chance of about 2⁻⁶⁴.
func fingerprint(producer uint32, seq uint64) uint64 {
	x := seq<<producerBits | uint64(producer)
	x *= 0x9E3779B97F4A7C15
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	return x ^ x>>31
}
