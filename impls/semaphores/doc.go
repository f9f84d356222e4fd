// Package semaphores registers the semaphore family: ways to bound how much of a
// resource concurrent goroutines hold at once, measured behind the uniform
// [impls.Target] face.
//
// Implementations:
//
//	chansem   buffered channel of tokens; weight w is w sends under a turn
//	weighted  golang.org/x/sync/semaphore.Weighted
//	fifo      [FIFO], this package's strict-FIFO weighted semaphore
//	condsem   sync.Cond monitor over a weight count
//	errgroup  golang.org/x/sync/errgroup Group.SetLimit (weight 1, no timeout)
//	marusama  github.com/marusama/semaphore/v2
//
// Every op, whatever its kind, acquires op.Units() weight, holds it for op.Hold
// (sleeping) plus op.Work (busy CPU), and releases it. Config.Capacity is the
// total weight ([DefaultCapacity] when zero; negative is an error). Config.Mode
// "acquire" (or "") blocks, bounded by the op's context and, when positive,
// Config.Timeout, and reports impls.Timeout when cut short; "try" never waits and
// reports impls.Denied when the weight is not free. Any other mode is an error. A
// weight above the capacity is impls.Error: no wait could ever satisfy it.
//
// Every target watches its semaphore from outside with the same instrumentation:
// the held weight and its peak (Verify fails the run if the peak exceeded the
// capacity or weight is still held afterwards), and per-worker acquisition counts
// and wait times (asking to getting), reported by Stats as capacity, peak_in_use,
// acquisitions, timeouts, denials, errors, jain_fairness (Jain's index over the
// workers' acquisition counts, 1 = perfectly even), longest_wait_ns, wait_p50_ns,
// wait_p99_ns and wait_mean_ns. The wait histograms are per worker (about 270 KiB
// each, allocated on a worker's first timed acquisition) and merged by Stats.
// Timing a wait costs two clock reads (~100 ns here, more than an uncontended
// semaphore), so weight-1 ops with no hold or work are timed one in 61 per
// worker and the rest always; wait_samples says how many were timed. The held
// weight is counted on every op, so the capacity check stays exact.
//
// # Your own semaphore
//
// NewTarget adapts any Semaphore (Acquire, TryAcquire, Release) with the same
// capacity meter, waits and fairness as the built-ins, which use the same code;
// register the result under impls.FamilySemaphores and loadgen (package cli) or
// package bench measure it beside them.
package semaphores
