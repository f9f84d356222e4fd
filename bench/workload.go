package bench

import (
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/workloads"
)

// Workload is one way of exercising a target in a benchmark: its op mix and the
// configuration it needs.
type Workload struct {
	// Name names the workload in sub-benchmark names (op=NAME).
	Name string
	// ReadRatio is the share of ops that are reads (impls.OpRead); the others are
	// writes (impls.OpWrite), placed as loadgen places them for the seed and
	// worker (workloads.KindOrder: shuffled decks holding the mix exactly), so
	// 0.9 is one write in ten, 0 writes only and 1 reads only.
	ReadRatio float64
	// Configure adjusts the configuration the target is built with (a limit, a
	// capacity); nil leaves it.
	Configure func(*impls.Config)
	// Hold is every op's impls.Op.Hold: how long a pooled object is held, or
	// how long a coalescing backend takes to answer. Zero holds nothing.
	Hold time.Duration
}

// familyWorkloads are the key workloads per family: reads and writes for locks
// (contended: every goroutine shares one target), the admit and deny regimes for
// limiters, an acquire for semaphores, an enqueue for queues, reads with and
// without reloads for snapshots.
var familyWorkloads = map[string][]Workload{
	impls.FamilyHarness: {{Name: "read", ReadRatio: 1}},
	impls.FamilyLocks: {
		{Name: "read", ReadRatio: 1},
		{Name: "write", ReadRatio: 0},
		{Name: "read-heavy", ReadRatio: 0.9},
	},
	impls.FamilySemaphores: {{Name: "acquire", Configure: func(c *impls.Config) { c.Capacity = 4 }}},
	impls.FamilyLimiters: {
		// allow: a limit far above what the benchmark can ask for, so every call
		// is admitted; deny: a spent bucket, so every call but the first is refused.
		{Name: "allow", Configure: func(c *impls.Config) { c.Limit, c.Burst, c.Window = 1e9, 1<<20, time.Millisecond }},
		{Name: "deny", Configure: func(c *impls.Config) { c.Limit, c.Burst, c.Window = 1, 1, time.Second }},
	},
	impls.FamilyFileLocks: {
		{Name: "read", ReadRatio: 1},
		{Name: "write", ReadRatio: 0},
	},
	impls.FamilyRedis: {{Name: "op", ReadRatio: 0, Configure: func(c *impls.Config) { c.Limit, c.Burst = 1e9, 1<<20 }}},
	// breakers and adaptive limits in front of a backend that serves at once
	// (no service time, no queue), so ns/op is the breaker's or limit's own
	// admission and bookkeeping plus the backend model's: healthy admits every
	// call; failing trips the breaker on its fifth call and sheds the rest.
	impls.FamilyBreakers: {
		{Name: "healthy", Configure: func(c *impls.Config) { c.Backend = "capacity=1000000;service=0;failure=0" }},
		{Name: "failing", Configure: func(c *impls.Config) { c.Backend = "capacity=1000000;service=0;failure=1" }},
	},
	impls.FamilyAdaptive: {{Name: "admit", Configure: func(c *impls.Config) { c.Backend = "capacity=1000000;service=0;failure=0" }}},
	// Every goroutine a producer, one consumer, the default capacity.
	impls.FamilyQueues: {{Name: "enqueue", Configure: func(c *impls.Config) { c.Capacity, c.Consumers = 1024, 1 }}},
	// Reads alone, and reads with one reload in a hundred ops, over 64 entries.
	impls.FamilySnapshots: {
		{Name: "read", ReadRatio: 1, Configure: func(c *impls.Config) { c.Keys = 64 }},
		{Name: "read-99", ReadRatio: 0.99, Configure: func(c *impls.Config) { c.Keys = 64 }},
	},
	// A 4 KiB buffer taken and given back by every goroutine.
	impls.FamilyPools: {{Name: "get-put", Configure: func(c *impls.Config) { c.Size = 4096 }}},
	// Every goroutine asks for one key of a backend taking 50 µs: a herd of
	// Parallelism×GOMAXPROCS callers per key.
	impls.FamilyCoalescing: {{Name: "herd", Hold: 50 * time.Microsecond, Configure: func(c *impls.Config) { c.Keys = 1 }}},
}

// Workloads returns the key workloads of a family (impls.FamilyLocks, ...), in
// order; nil for a family without any. The slice is the caller's.
func Workloads(family string) []Workload {
	return append([]Workload(nil), familyWorkloads[family]...)
}

// Find returns the workload of family called name.
func Find(family, name string) (Workload, bool) {
	for _, w := range familyWorkloads[family] {
		if w.Name == name {
			return w, true
		}
	}
	return Workload{}, false
}

// kindOrder returns worker's op kinds for the workload's read share: loadgen's
// placement (workloads.KindOrder, the driver's shuffled decks) for seed, so
// both tools run the same sequence of kinds. Every n-th op a write, as bench
// placed them before, had RBMutex and RWMutex at one write in 1000 disagree
// in direction between the two tools.
func (w Workload) kindOrder(seed int64, worker int) *workloads.KindOrder {
	return workloads.NewKindOrder(min(max(w.ReadRatio, 0), 1), seed, worker)
}

// mixed reports whether the workload has both reads and writes.
func (w Workload) mixed() bool { return w.ReadRatio > 0 && w.ReadRatio < 1 }
