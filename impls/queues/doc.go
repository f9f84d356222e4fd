// Package queues registers the queue family: ways of handing items from
// producer goroutines to consumer goroutines, measured behind the uniform
// [impls.Target] face.
//
// Implementations:
//
//	queue-chan   buffered channel; parks while full or empty
//	queue-mutex  ring under a sync.Mutex; waits by polling (try, Gosched, try)
//	queue-cond   the same ring with two sync.Conds; parks while full or empty
//	queue-mpmc   xsync v4 MPMCQueue, a lock-free ring; waits by polling
//	queue-umpsc  xsync v4 UMPSCQueue: unbounded, single-consumer, never blocks a producer
//
// # Producers and consumers
//
// The workers are the producers: every op, whatever its kind, is one enqueue
// by worker op.Worker of an item numbered in that producer's order, carrying
// op.Work. It is impls.OK once the item is in, impls.Timeout when the op's
// context ended while the queue was full. Config.Consumers goroutines (0 means
// 1), run by the target from the moment it is built, take the items and spend
// each one's Work busy on it. So a closed loop measures how fast producers can
// hand items over (throughput is the enqueue rate, which the consumers' pace
// caps once the queue is full), and an open loop offers items at a rate and
// shows what the consumers cost while they wait for them: at 10 ops/s, a
// consumer that polls keeps a processor busy, one that parks costs nothing.
// The consumers' CPU is the target's, but an open loop's sampled CPU/op is
// taken on the workers' threads and cannot see it (impls.Background): compare
// the process's CPU in that case.
//
// The bounded queues hold Config.Capacity items ([DefaultCapacity] when 0;
// queue-mpmc rounds up to a power of two). queue-umpsc is unbounded; a guard of
// syncbench's makes producers wait while [MaxOutstanding] items are in it, so a
// run whose consumers fall behind fills memory no further (guard_waits says
// when it engaged). With more than one consumer, queue-umpsc's take turns
// under a mutex, as xsync's documentation asks.
//
// # Figures
//
// Stats, confined to the measured window (impls.WindowObserver; the target's
// whole life when it is not told), reports:
//
//   - enqueued, dequeued and dequeued_per_s: items in and out in the window;
//   - producer_blocked_ns, producer_blocks, producer_blocked_pct: the time
//     producers spent in an Enqueue whose first try failed (the queue was full,
//     or a lock-free try lost a race), how many did, and the share of the
//     producers' time in the window; a try that succeeds is not timed;
//   - consumer_blocked_ns, consumer_blocks, consumer_blocked_pct: the same for
//     consumers finding the queue empty (not measured for queue-umpsc, which
//     has no TryDequeue: every Dequeue would have to be timed);
//   - queue_time_p50_ns, _p99_ns, _p999_ns, _max_ns, _samples: the time from a
//     producer's call to Enqueue to a consumer's Dequeue returning the item,
//     on a sample of items (every item when producers are slow, one in 64 at
//     random gaps when they enqueue faster than one per 20 µs), so a wait to
//     get into a full queue is part of it;
//   - producers, consumers, capacity (or unbounded and guard_waits),
//     waits_by_polling (1 when the queue's waits keep a processor busy), and
//     items_checked (every item the invariant covered, warm-up included).
//
// # Invariant
//
// Verify stops the consumers (each gets a stop item, enqueued after every real
// item) and drains what is left when the queue can try, then requires that
// every item accepted was taken exactly once and nothing else was: the counts
// match, the wrapping sum of a 64-bit mix of each item taken equals that of
// the items accepted, no item names a producer or a number never handed in,
// and, for the queues that promise it (all the built-ins), each consumer saw
// each producer's items in increasing order. Every check is per goroutine and
// uncontended: the ledgers cost the queue nothing it would not pay anyway. A
// violation is an [*impls.InvariantError].
//
// # Your own queue
//
// NewTarget adapts any [Queue] (Enqueue and Dequeue with a context, and
// TryEnqueue and TryDequeue when it has them) with the same figures and checks
// as the built-ins, which use the same code; register the result under
// impls.FamilyQueues and loadgen (package cli) or package bench measure it
// beside them.
package queues
