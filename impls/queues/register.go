package queues

import "github.com/syncbench/syncbench/impls"

func init() {
	// bounded returns the constructor of a bounded queue; build makes it with
	// the configured capacity and returns the capacity it really has.
	bounded := func(name string, opts Options, build func(capacity int) (Queue, int)) func(impls.Config) (impls.Target, error) {
		return func(cfg impls.Config) (impls.Target, error) {
			s, err := parseConfig(name, cfg, false)
			if err != nil {
				return nil, err
			}
			var q Queue
			q, s.capacity = build(s.capacity)
			return newTarget(name, s, q, opts), nil
		}
	}
	for _, impl := range []impls.Impl{
		{
			Name:    "queue-chan",
			Summary: "buffered channel (parks while full or empty)",
			New:     bounded("queue-chan", Options{FIFO: true}, func(c int) (Queue, int) { return newChanQueue(c), c }),
		},
		{
			Name:    "queue-mutex",
			Summary: "ring under a sync.Mutex; waits by polling (try, Gosched, try)",
			New:     bounded("queue-mutex", Options{FIFO: true, Spins: true}, func(c int) (Queue, int) { return newMutexQueue(c), c }),
		},
		{
			Name:    "queue-cond",
			Summary: "ring under a sync.Mutex with two sync.Conds (parks while full or empty)",
			New:     bounded("queue-cond", Options{FIFO: true}, func(c int) (Queue, int) { return newCondQueue(c), c }),
		},
		{
			Name:    "queue-mpmc",
			Summary: "xsync v4 MPMCQueue, lock-free ring (capacity rounded up to 2^n); waits by polling",
			New:     bounded("queue-mpmc", Options{FIFO: true, Spins: true}, func(c int) (Queue, int) { return newMPMCQueue(c), mpmcCapacity(c) }),
		},
		{
			Name:    "queue-umpsc",
			Summary: "xsync v4 UMPSCQueue: unbounded, single-consumer (more take turns under a mutex); producers never wait",
			New: func(cfg impls.Config) (impls.Target, error) {
				s, err := parseConfig("queue-umpsc", cfg, false)
				if err != nil {
					return nil, err
				}
				s.capacity = 0
				return newTarget("queue-umpsc", s, newUMPSCQueue(s.consumers), Options{FIFO: true}), nil
			},
		},
	} {
		impl.Family = impls.FamilyQueues
		impls.Register(impl)
	}
}
