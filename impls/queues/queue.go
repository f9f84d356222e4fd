package queues

import (
	"context"
	"fmt"

	"github.com/syncbench/syncbench/impls"
)

// DefaultCapacity is a bounded queue's capacity when Config.Capacity is zero.
const DefaultCapacity = 1024

// Queue is a concurrent FIFO of Items, the API NewTarget adapts and every
// built-in queue is reduced to. Its methods are called concurrently: Enqueue by
// the producers (the workers), Dequeue by the target's consumer goroutines.
//
// Enqueue adds item, blocking while the queue is full, and returns nil once it is
// in; when ctx ends first it returns an error and must leave the item out.
// Dequeue removes and returns an item, blocking while the queue is empty; when
// ctx ends first it returns an error and must take nothing. A queue that cannot
// abandon a blocked Dequeue (xsync's UMPSCQueue) is still stopped cleanly: the
// target ends each consumer by handing it a stop item after every real one.
type Queue interface {
	Enqueue(ctx context.Context, item Item) error
	Dequeue(ctx context.Context) (Item, error)
}

// TryEnqueuer is implemented by queues that can try to add an item without
// waiting, reporting whether it went in. With it the target times a producer's
// wait only when the try fails, so the blocked-producer figure costs no clock
// read on the fast path.
type TryEnqueuer interface {
	TryEnqueue(item Item) bool
}

// TryDequeuer is implemented by queues that can try to take an item without
// waiting. With it the target times a consumer's wait only when the try fails
// (without it the blocked-consumer figure is not measured), and drains what is
// left after the consumers stop, so a queue that does not keep one FIFO order
// across producers is checked too.
type TryDequeuer interface {
	TryDequeue() (Item, bool)
}

// Options describe what a queue promises, for NewTarget.
type Options struct {
	// FIFO promises per-producer order: a producer's items come out in the
	// order its enqueues returned. Verify then checks that each consumer saw
	// each producer's items in increasing number.
	FIFO bool
	// Capacity is the queue's bound, for the figures; 0 means unbounded.
	// An unbounded queue is given a memory guard: producers wait while
	// MaxOutstanding items are in it (see MaxOutstanding).
	Capacity int
	// Spins says the queue's blocking calls wait by polling (the processor
	// stays busy) rather than parking the goroutine; it is reported, not
	// acted on.
	Spins bool
	// SingleConsumer says Dequeue must never run on two goroutines at once:
	// the target refuses more than one consumer.
	SingleConsumer bool
}

// MaxOutstanding is how many items an unbounded queue may hold before its
// producers wait for the consumers (a guard against filling memory when the
// consumers are slower, 32 MiB of items; a benchmark of an unbounded queue
// whose producers outrun its consumers measures how fast memory fills, not the
// queue). The guard is checked every guardEvery enqueues of each producer, so
// it adds nothing measurable until it engages; Stats reports guard_waits.
const MaxOutstanding = 1 << 20

// settings are the parts of impls.Config a queue target reads, validated.
type settings struct {
	producers, consumers int
	capacity             int // 0: unbounded
}

// parseConfig validates cfg for impl ("" for a user's queue): at most
// MaxProducers producers (0 means 1), consumers ≥ 0 (0 means 1) and at most one
// when single, and a capacity ≥ 0 (0 means DefaultCapacity).
func parseConfig(impl string, cfg impls.Config, single bool) (settings, error) {
	prefix := ""
	if impl != "" {
		prefix = impl + ": "
	}
	s := settings{producers: max(cfg.Workers, 1), consumers: max(cfg.Consumers, 1), capacity: int(cfg.Capacity)}
	switch {
	case cfg.Workers > MaxProducers:
		return s, fmt.Errorf(prefix+"%d producers is too many (allowed: up to %d)", cfg.Workers, MaxProducers)
	case cfg.Consumers < 0:
		return s, fmt.Errorf(prefix+"consumers %d is negative (allowed: 1 or more, or 0 for one)", cfg.Consumers)
	case single && s.consumers > 1:
		return s, fmt.Errorf(prefix+"consumers %d is more than this queue allows (allowed: 1; it is single-consumer)", cfg.Consumers)
	case cfg.Consumers > maxConsumers:
		return s, fmt.Errorf(prefix+"consumers %d is too many (allowed: up to %d)", cfg.Consumers, maxConsumers)
	case cfg.Capacity < 0:
		return s, fmt.Errorf(prefix+"capacity %d is negative (allowed: 1 or more, or 0 for the default %d)", cfg.Capacity, DefaultCapacity)
	case cfg.Capacity > maxCapacity:
		return s, fmt.Errorf(prefix+"capacity %d is too large (allowed: up to %d)", cfg.Capacity, maxCapacity)
	}
	if s.capacity == 0 {
		s.capacity = DefaultCapacity
	}
	return s, nil
}

// Bounds parseConfig enforces: a consumer is a goroutine with a ledger of one
// word per producer, and a bounded queue allocates its capacity up front.
const (
	maxConsumers = 1 << 12
	maxCapacity  = 1 << 26
)

// NewTarget adapts a queue of your own to impls.Target with every check and
// figure the built-in queues have, which they get through this same code. opts
// says what q promises and its capacity (0: unbounded); cfg.Capacity is not
// read, as q is already made.
//
// Each op is one enqueue by worker op.Worker, whatever its kind: an item
// numbered in that producer's order, carrying op.Work for the consumer to spend
// on it. It is impls.OK once in, impls.Timeout when ctx ended while the queue
// was full. cfg.Consumers goroutines (0 means 1) take items with Dequeue from
// the moment the target is built until Verify or Close stops them.
//
// Verify stops the consumers (a stop item each, after every real one), drains
// what is left when q is a TryDequeuer, and fails with an *impls.InvariantError
// unless every accepted item was taken exactly once and nothing else was: the
// counts must match, a fingerprint of the items taken must equal that of the
// items accepted, no item may name a producer or number that was never handed
// in, and, with opts.FIFO, each consumer must have seen each producer's items in
// increasing order. Stats reports the window's figures (see the package
// documentation).
//
// A bad cfg (negative or too many consumers, more than one for a
// single-consumer queue, a negative capacity, more than MaxProducers workers)
// is an error naming the value. The Target is safe for concurrent use as the
// impls.Target contract requires.
func NewTarget(q Queue, cfg impls.Config, opts Options) (impls.Target, error) {
	cfg.Capacity = 0
	s, err := parseConfig("", cfg, opts.SingleConsumer)
	if err != nil {
		return nil, err
	}
	if opts.Capacity < 0 {
		return nil, fmt.Errorf("capacity %d is negative (allowed: 1 or more, or 0 for an unbounded queue)", opts.Capacity)
	}
	s.capacity = opts.Capacity
	return newTarget("", s, q, opts), nil
}
