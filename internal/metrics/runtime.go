package metrics

import (
	"math"
	"runtime"
	"runtime/metrics"
	"slices"
	"syscall"
	"time"

	"github.com/syncbench/syncbench/result"
)

// runtime/metrics names read by Telemetry. The scheduler and GC-pause histograms
// are cumulative, so a run's own figures are the difference of two reads.
const (
	metricSchedLatencies = "/sched/latencies:seconds"
	metricMutexWait      = "/sync/mutex/wait/total:seconds"
	metricGCPauses       = "/sched/pauses/total/gc:seconds"
	metricGCCycles       = "/gc/cycles/total:gc-cycles"
	metricHeapGoal       = "/gc/heap/goal:bytes"
)

// The target's figures, apart from the harness's. Telemetry reads process-wide
// counters, so every figure it reads includes the harness: the pacer waiting for
// instants (in an open loop, a spinning pacer burns a core whatever the target
// does), clock reads, op generation and recording. How each per-op figure is made
// the target's:
//
//   - CPU/op, open loop: measured directly on a random sample of ops (about
//     cpuSamplesPerSecond a second, internal/workloads/cpu.go): the worker is locked
//     to its OS thread and the thread's CPU clock is read around the target's
//     Do, so nothing but the op runs on that thread in between (a blocked op
//     parks the thread and costs nothing; but an op that parks pays the
//     runtime's hand-off of a locked thread, so a blocking target's figure is
//     an upper bound). The span also holds the measurement: the clock reads
//     are system calls (~600–900 ns a pair here, swinging with the machine's
//     load), and how much of them a span holds depends on the state the op's
//     position leaves the processor in. So the measurement is subtracted
//     with a control taken in exactly that position: on as many other random
//     ops, the same span is taken around a call to the noop target in the
//     op's place (the real op runs right after it, unmeasured, its start read
//     after the control), and CPUNsPerOp is mean(op spans) − mean(control
//     spans), both without their top 1% (a sampled op the scheduler preempts
//     is charged the runtime's rescheduling of a locked thread, up to a
//     millisecond). The noop's code is called after every op, so the control
//     is as warm as a target's entry point; a noop target then measures like
//     its own control and reads 0 by construction (checked exactly on a fake
//     thread clock). Before the control, an empty pair of reads just before
//     each op was subtracted, which read 0–36 ns for the noop and left the
//     call's own after-the-wait cost in. The harness's CPU is the rest of the
//     process's (Result.Harness.CPUNs). Subtracting a harness estimate from
//     the process's CPU cannot work here: at 5000 ops/s the pacer's CPU is
//     10^3–10^5 times a lock-free limiter's.
//
//     What stays in is the target's own cost where the open loop runs it: an
//     op right after its worker's wait for the op's instant finds its code
//     and data evicted (the worker slept, its processor idled, other work ran
//     there), and pays for it. That is the target's, in that regime, so it is
//     not taken off; it is shown apart instead: the sample is split by how
//     long the op's worker had been idle (CPUWarmNsPerOp: back to back, under
//     50 µs; CPUColdNsPerOp: after a longer wait). Measured on 2 cores,
//     medians of 5 interleaved rounds (make bench-cpu): gcra's op costs 39 ns
//     back to back (the closed loop's figure, 39 ns), 87 ns after a 200 µs
//     spin and 231 ns (149–293) after a 200 µs timerfd sleep; timed in wall
//     time with no system call near it, 38, 72 and 204 ns: it is the op that
//     got slower, not the measurement (whose own after-effect on the op is
//     the ~25 ns difference), and not because it resumed on another
//     processor (under 1% of the ops did). In the open loop at 5000 ops/s gcra reads 170
//     ns (162–192) with the hybrid pacer and 128 ns with the spin pacer,
//     4.4× and 3.3× its closed-loop CPU/op; a noop reads 0–5 ns. How much a
//     wait evicts is the host's doing: on a quiet machine the same rounds read
//     36 ns back to back, 56 ns after the timerfd sleep (wall 44), and 47 ns
//     (1.3×) and 42 ns (1.2×) in the open loop.
//   - CPU/op, closed loop: the process's CPU minus the harness floor per op
//     (the noop target's process CPU per op in the same timing mode: the loop,
//     op generation, counting and, for timed ops, clock reads and recording).
//     The thread-clock method is not used here: locking a thread makes a
//     target that parks or yields (a contended mutex, a spinning CAS with
//     Gosched) pay for the runtime's hand-off of a locked thread, microseconds
//     that would be charged to the target.
//   - Mutex wait: the harness takes no sync.Mutex on an op's path (its
//     recorder shards use a spin lock that /sync/mutex/wait does not see), so
//     the runtime's figure is the target's, less whatever pacing hand-off still
//     uses a mutex (reported in Result.Harness.HandoffWaitNs when measured).
//   - Allocations: read exactly at the window's two ends (ReadMemStats), the
//     window ending when every op is recorded, before the result is assembled
//     (Telemetry.End). Recording allocates nothing per op or per interval once
//     a run's histograms exist; the histograms themselves, made as a run first
//     records each op kind and outcome, are the harness's, entered in a ledger
//     as they are made (harness_allocs.go) and taken off the process's count:
//     allocs/op is the target's, the ledger's share is Result.Harness.Allocs.
//     The run's hooks (an interval log, -out: hdrhistogram-go's encoder
//     allocates per count, ~0.9 objects an op at 5000/s) run inside
//     HarnessWork, which enters what the process allocated meanwhile (so a
//     target allocating concurrently loses its allocations over the hooks'
//     share of the run, ~0.1%). What stays in is the harness's fixed setup
//     outside the ledger: about a hundred objects and 20 KiB a run (the
//     pacer, the workers' generators).
//
// ProcessCPUNsPerOp keeps the undivided figure for comparison.

// CPU methods stored in RuntimeStats.CPUMethod.
const (
	// CPUMethodThreadSample: thread CPU time around Do on a sample of ops,
	// less two back-to-back clock reads (results written before the control
	// existed).
	CPUMethodThreadSample = "thread CPU around the target's Do, on a sample of ops (top 1% trimmed)"
	// CPUMethodThreadControl: thread CPU time around Do on a sample of ops,
	// less the same span around an empty call in the op's place.
	CPUMethodThreadControl = "thread CPU around the target's Do on a sample of ops, less an empty call's in the same position (top 1% trimmed)"
	// CPUMethodThreadControlOwnGoroutines: CPUMethodThreadControl for a target
	// that runs goroutines of its own (impls.Background): what they burn is
	// in neither figure, only in the process's CPU.
	CPUMethodThreadControlOwnGoroutines = CPUMethodThreadControl + "; the target's own goroutines are not in it, only in the process's CPU"
	// CPUMethodProcessMinusFloor: process CPU less the harness floor per op.
	CPUMethodProcessMinusFloor = "process CPU less the harness floor per op"
	// CPUMethodProcess: process CPU per op, harness included (nothing better known).
	CPUMethodProcess = "process CPU per op, harness included"
)

// RuntimeStats is what the Go runtime and the OS did during one run, as deltas
// between StartTelemetry and Stop. Field names carry their unit. Percentiles come
// from the runtime's bucketed histograms and are the upper bound of the bucket
// holding the percentile (the runtime's buckets are a few percent wide); totals
// estimated from a histogram use bucket midpoints. The raw counters cover the
// whole process; the per-op CPU figure is the target's (see above).
type RuntimeStats struct {
	// Ops is the op count per-op figures are divided by.
	Ops int64 `json:"ops"`
	// WallNs is the time between StartTelemetry and Stop.
	WallNs int64 `json:"wall_ns"`
	// SchedLatencyP50Ns and SchedLatencyP99Ns are how long runnable goroutines
	// waited for a P: high values mean more runnable work than GOMAXPROCS.
	// With more workers than GOMAXPROCS, latency tails above these include
	// scheduler time slices taken between an op's two clock reads.
	SchedLatencyP50Ns  float64 `json:"sched_latency_p50_ns"`
	SchedLatencyP99Ns  float64 `json:"sched_latency_p99_ns"`
	SchedLatencyP999Ns float64 `json:"sched_latency_p999_ns"`
	// SchedLatencyMaxNs is the lower bound of the highest non-empty bucket.
	SchedLatencyMaxNs float64 `json:"sched_latency_max_ns"`
	// MutexWaitNs is the total time goroutines spent blocked on sync.Mutex,
	// sync.RWMutex and runtime-internal locks (approximate, per the runtime).
	MutexWaitNs float64 `json:"mutex_wait_total_ns"`
	// GCCycles is the number of completed GC cycles. The driver collects
	// garbage before the window opens, so these come from what was allocated
	// in it: the target's allocations, and the harness's (HarnessAllocs).
	GCCycles uint64 `json:"gc_cycles"`
	// GCPauses is the number of stop-the-world pauses for GC.
	GCPauses uint64 `json:"gc_pauses"`
	// GCPauseTotalNs is the estimated total of those pauses.
	GCPauseTotalNs float64 `json:"gc_pause_total_ns"`
	// GCPauseP99Ns is the 99th percentile GC pause.
	GCPauseP99Ns float64 `json:"gc_pause_p99_ns"`
	// CPUUserNs and CPUSysNs are the process's user and system CPU time
	// (getrusage); over WallNs they show how many cores the run kept busy.
	CPUUserNs int64 `json:"cpu_user_ns"`
	CPUSysNs  int64 `json:"cpu_sys_ns"`
	// EffectiveCores is (CPUUserNs + CPUSysNs) / WallNs: how many cores the
	// process ran on. A closed loop of a target that never blocks should
	// reach GOMAXPROCS; see result.ShortOfCores for when it counts as short.
	EffectiveCores float64 `json:"effective_cores"`
	// RunQueueWaitNs is how long the process's threads were runnable but
	// waiting for a CPU during the window (RunQueueWaitNs); nil when it
	// cannot be read. Over WallNs it is the cores other processes held.
	RunQueueWaitNs *int64 `json:"run_queue_wait_ns,omitempty"`
	// CPUNsPerOp is the target's CPU per op, by CPUMethod; 0 when Ops is 0.
	CPUNsPerOp float64 `json:"cpu_ns_per_op"`
	// CPUMethod says how CPUNsPerOp was measured (the CPUMethod constants).
	CPUMethod string `json:"cpu_method"`
	// CPUSampleOps is the number of ops CPUNsPerOp was measured on, when it
	// comes from a sample.
	CPUSampleOps int64 `json:"cpu_sample_ops,omitempty"`
	// ProcessCPUNsPerOp is (user + sys) / Ops, the harness included.
	ProcessCPUNsPerOp float64 `json:"process_cpu_ns_per_op"`
	// CPUSpanNs and CPUControlNs are, with CPUMethodThreadControl, the two
	// means CPUNsPerOp is the difference of: the sampled ops' spans and the
	// controls' (the measurement's own cost in the op's position), over
	// CPUControlOps controls.
	CPUSpanNs     float64 `json:"cpu_span_ns,omitempty"`
	CPUControlNs  float64 `json:"cpu_control_ns,omitempty"`
	CPUControlOps int64   `json:"cpu_control_ops,omitempty"`
	// CPUWarmNsPerOp and CPUColdNsPerOp split an open loop's CPU/op by how
	// long the op's worker had been idle since its previous op: warm under
	// CPUWarmGapNs (back to back), cold from it on (the op follows the pacer's
	// wait, often a sleep, and finds its code and data evicted). nil when the
	// class has too few sampled ops (CPUWarmOps, CPUColdOps) for a figure.
	CPUWarmNsPerOp *float64 `json:"cpu_warm_ns_per_op,omitempty"`
	CPUColdNsPerOp *float64 `json:"cpu_cold_ns_per_op,omitempty"`
	CPUWarmOps     int64    `json:"cpu_warm_ops,omitempty"`
	CPUColdOps     int64    `json:"cpu_cold_ops,omitempty"`
	CPUWarmGapNs   int64    `json:"cpu_warm_gap_ns,omitempty"`
	// Allocs and AllocBytes are the process's heap allocations during the run,
	// the harness's included, read exactly (runtime.ReadMemStats at both ends).
	Allocs     uint64 `json:"allocs"`
	AllocBytes uint64 `json:"alloc_bytes"`
	// HarnessAllocs and HarnessAllocBytes are the part of them the harness
	// entered in its ledger (the histograms it made during the run; see
	// HarnessAllocs in harness_allocs.go).
	HarnessAllocs     uint64 `json:"harness_allocs"`
	HarnessAllocBytes uint64 `json:"harness_alloc_bytes"`
	// AllocsPerOp and AllocBytesPerOp are the target's: the process's less the
	// harness's, divided by Ops; 0 when Ops is 0. (Before the ledger existed
	// they were the process's, and results of that time hold no
	// harness_allocs.)
	AllocsPerOp     float64 `json:"allocs_per_op"`
	AllocBytesPerOp float64 `json:"alloc_bytes_per_op"`
	// ProcessAllocsPerOp and ProcessAllocBytesPerOp keep the undivided
	// figures, the harness's included, for comparison.
	ProcessAllocsPerOp     float64 `json:"process_allocs_per_op"`
	ProcessAllocBytesPerOp float64 `json:"process_alloc_bytes_per_op"`
	// HeapInUseBytes is the heap's in-use spans at the window's end
	// (MemStats.HeapInuse): live objects and garbage not yet swept, the
	// harness's histograms included. HeapGoalBytes is the heap size the
	// collector was aiming to finish its next cycle under then (GOGC's
	// growth over the live heap, or the memory limit): what a pool that keeps
	// its objects, or an allocator that leaves garbage, costs in memory. The
	// goal is absent (0) when nothing sets one: GOGC off and no memory limit.
	HeapInUseBytes uint64 `json:"heap_inuse_bytes,omitempty"`
	HeapGoalBytes  uint64 `json:"heap_goal_bytes,omitempty"`
}

// Map returns s keyed by its JSON field names, the shape of a Result.Extras
// entry.
func (s RuntimeStats) Map() map[string]any {
	return result.ExtrasMap(s)
}

// Telemetry is a snapshot of the runtime's cumulative counters taken at the start
// of a run. It is used by one goroutine: StartTelemetry, then Stop.
type Telemetry struct {
	start    time.Time
	samples  []metrics.Sample
	user     int64 // ns
	sys      int64 // ns
	runQueue int64 // ns, −1 when not read
	mem      allocReading
	// end is the reading End took; Stop measures up to it when set.
	end *telemetryEnd
}

// telemetryEnd is the second reading of a run's counters.
type telemetryEnd struct {
	at        time.Time
	samples   []metrics.Sample
	user, sys int64
	runQueue  int64
	mem       allocReading
}

// allocReading is the process's cumulative heap allocations and the harness's
// ledger of its own, read together.
type allocReading struct {
	objects, bytes               uint64
	harnessObjects, harnessBytes uint64
	heapInUse                    uint64
}

// readAllocs reads the process's allocations exactly: ReadMemStats flushes
// every P's allocation cache (runtime/metrics counts small objects a span at
// a time, so a short run's figure would be off by up to a span per size class
// and P). It stops the world for some microseconds, so it is read only at the
// window's two ends. It holds the ledger's lock, so a harness histogram is
// made and entered wholly before or wholly after the reading: in both
// counters' deltas or in neither.
func readAllocs() allocReading {
	var ms runtime.MemStats
	harnessLedger.mu.lock()
	defer harnessLedger.mu.unlock()
	runtime.ReadMemStats(&ms)
	var r allocReading
	r.objects, r.bytes, r.heapInUse = ms.Mallocs, ms.TotalAlloc, ms.HeapInuse
	r.harnessObjects, r.harnessBytes = harnessLedger.objects.Load(), harnessLedger.bytes.Load()
	return r
}

// StartTelemetry reads the runtime's counters and the process's CPU time. Reading
// costs a few microseconds, so call it outside the measured loop.
func StartTelemetry() *Telemetry {
	t := &Telemetry{samples: newRuntimeSamples()}
	metrics.Read(t.samples) // allocates: read before the allocation counters
	t.mem = readAllocs()
	t.runQueue = RunQueueWaitNs()
	t.user, t.sys = cpuTimes()
	t.start = time.Now()
	return t
}

// End takes the run's closing reading without yet dividing by ops, so what
// follows (assembling the result: merging and encoding histograms) is not in
// the run's figures; Stop then measures up to End's instant. Only the first
// call counts.
func (t *Telemetry) End() {
	if t.end != nil {
		return
	}
	mem := readAllocs() // first: what follows allocates
	e := &telemetryEnd{samples: newRuntimeSamples(), mem: mem}
	e.at = time.Now()
	e.user, e.sys = cpuTimes()
	e.runQueue = RunQueueWaitNs()
	metrics.Read(e.samples)
	t.end = e
}

func newRuntimeSamples() []metrics.Sample {
	names := []string{metricSchedLatencies, metricMutexWait, metricGCPauses, metricGCCycles, metricHeapGoal}
	s := make([]metrics.Sample, len(names))
	for i, n := range names {
		s[i].Name = n
	}
	return s
}

// Stop reads the counters again (or takes End's reading, if End was called) and
// returns what happened since StartTelemetry, with per-op figures divided by ops
// (zero, not a division by zero, when ops ≤ 0). A metric the running Go version
// does not provide reads as zero. Stop may be called more than once; each call
// measures from the start.
func (t *Telemetry) Stop(ops int64) RuntimeStats {
	e := t.end
	if e == nil {
		mem := readAllocs()
		e = &telemetryEnd{at: time.Now(), mem: mem}
		e.user, e.sys = cpuTimes()
		e.runQueue = RunQueueWaitNs()
		e.samples = newRuntimeSamples()
		metrics.Read(e.samples)
	}
	now, user, sys := e.samples, e.user, e.sys

	s := RuntimeStats{Ops: ops, WallNs: int64(e.at.Sub(t.start)), CPUUserNs: user - t.user, CPUSysNs: sys - t.sys}
	s.setCores(t.runQueue, e.runQueue)
	s.Allocs, s.AllocBytes = e.mem.objects-t.mem.objects, e.mem.bytes-t.mem.bytes
	s.HarnessAllocs, s.HarnessAllocBytes = e.mem.harnessObjects-t.mem.harnessObjects, e.mem.harnessBytes-t.mem.harnessBytes
	s.HeapInUseBytes = e.mem.heapInUse
	for i := range now {
		before, after := t.samples[i].Value, now[i].Value
		switch now[i].Name {
		case metricSchedLatencies:
			counts, buckets := histogramDelta(before, after)
			s.SchedLatencyP50Ns = 1e9 * histogramQuantile(counts, buckets, 0.50)
			s.SchedLatencyP99Ns = 1e9 * histogramQuantile(counts, buckets, 0.99)
			s.SchedLatencyP999Ns = 1e9 * histogramQuantile(counts, buckets, 0.999)
			s.SchedLatencyMaxNs = 1e9 * histogramMax(counts, buckets)
		case metricGCPauses:
			counts, buckets := histogramDelta(before, after)
			for _, c := range counts {
				s.GCPauses += c
			}
			s.GCPauseTotalNs = 1e9 * histogramSum(counts, buckets)
			s.GCPauseP99Ns = 1e9 * histogramQuantile(counts, buckets, 0.99)
		case metricMutexWait:
			if after.Kind() == metrics.KindFloat64 {
				s.MutexWaitNs = 1e9 * (after.Float64() - before.Float64())
			}
		case metricGCCycles:
			s.GCCycles = uint64Delta(before, after)
		case metricHeapGoal:
			// With GOGC off and no memory limit the goal is the runtime's
			// "never" (near 2^64): no goal, left out.
			if after.Kind() == metrics.KindUint64 && after.Uint64() < 1<<60 {
				s.HeapGoalBytes = after.Uint64()
			}
		}
	}
	s.CPUMethod = CPUMethodProcess
	if ops > 0 {
		s.ProcessCPUNsPerOp = float64(s.CPUUserNs+s.CPUSysNs) / float64(ops)
		s.CPUNsPerOp = s.ProcessCPUNsPerOp
		// The target's: the process's less the harness's ledger (never
		// below zero: the two are read together, so it cannot be, barring a
		// histogram made without the ledger).
		s.AllocsPerOp = float64(s.Allocs-min(s.HarnessAllocs, s.Allocs)) / float64(ops)
		s.AllocBytesPerOp = float64(s.AllocBytes-min(s.HarnessAllocBytes, s.AllocBytes)) / float64(ops)
		s.ProcessAllocsPerOp = float64(s.Allocs) / float64(ops)
		s.ProcessAllocBytesPerOp = float64(s.AllocBytes) / float64(ops)
	}
	return s
}

// setCores derives EffectiveCores from the CPU times and wall time, and
// RunQueueWaitNs from the two run-queue readings when both were taken.
func (s *RuntimeStats) setCores(runQueueStart, runQueueEnd int64) {
	if s.WallNs > 0 {
		s.EffectiveCores = float64(s.CPUUserNs+s.CPUSysNs) / float64(s.WallNs)
	}
	s.RunQueueWaitNs = nil
	if runQueueStart >= 0 && runQueueEnd >= 0 {
		w := max(runQueueEnd-runQueueStart, 0) // a thread that exited took its wait along
		s.RunQueueWaitNs = &w
	}
}

// SetTargetCPU replaces the per-op CPU figure with the target's own, measured by
// method on sampleOps ops (0 when not sampled). A negative perOpNs reads as 0.
func (s *RuntimeStats) SetTargetCPU(perOpNs float64, sampleOps int64, method string) {
	s.CPUNsPerOp = max(perOpNs, 0)
	s.CPUSampleOps = sampleOps
	s.CPUMethod = method
}

// SetCPUControl records the two means a control-subtracted CPU/op is made of
// (see CPUSpanNs).
func (s *RuntimeStats) SetCPUControl(spanNs, controlNs float64, controlOps int64) {
	s.CPUSpanNs, s.CPUControlNs, s.CPUControlOps = spanNs, controlNs, controlOps
}

// CPUClass is one class of an open loop's CPU sample (warm or cold): its
// sampled ops and their CPU/op, NaN when they were too few for a figure.
type CPUClass struct {
	Ops     int64
	NsPerOp float64
}

// SetCPUSplit records the warm and cold CPU/op (see CPUWarmNsPerOp), split at
// gapNs. A class with a NaN figure keeps only its op count; a negative figure
// reads as 0, as in SetTargetCPU.
func (s *RuntimeStats) SetCPUSplit(warm, cold CPUClass, gapNs int64) {
	figure := func(c CPUClass) *float64 {
		if math.IsNaN(c.NsPerOp) {
			return nil
		}
		v := max(c.NsPerOp, 0)
		return &v
	}
	s.CPUWarmNsPerOp, s.CPUWarmOps = figure(warm), warm.Ops
	s.CPUColdNsPerOp, s.CPUColdOps = figure(cold), cold.Ops
	s.CPUWarmGapNs = gapNs
}

func uint64Delta(before, after metrics.Value) uint64 {
	if before.Kind() != metrics.KindUint64 || after.Kind() != metrics.KindUint64 || after.Uint64() < before.Uint64() {
		return 0
	}
	return after.Uint64() - before.Uint64()
}

// histogramDelta returns the per-bucket counts added between two reads of one
// cumulative histogram, and the bucket boundaries (len(counts)+1 of them, possibly
// ±Inf at the ends).
func histogramDelta(before, after metrics.Value) (counts []uint64, buckets []float64) {
	if after.Kind() != metrics.KindFloat64Histogram {
		return nil, nil
	}
	h := after.Float64Histogram()
	counts = append([]uint64(nil), h.Counts...)
	if before.Kind() == metrics.KindFloat64Histogram {
		if b := before.Float64Histogram(); len(b.Counts) == len(counts) {
			for i, c := range b.Counts {
				counts[i] -= min(c, counts[i])
			}
		}
	}
	return counts, h.Buckets
}

// histogramQuantile returns the upper bound of the bucket holding quantile q (in
// seconds, the unit of the runtime's time histograms), or its lower bound when the
// upper one is +Inf; 0 for an empty histogram.
func histogramQuantile(counts []uint64, buckets []float64, q float64) float64 {
	var total uint64
	for _, c := range counts {
		total += c
	}
	if total == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(total)))
	var seen uint64
	for i, c := range counts {
		seen += c
		if seen >= rank {
			return finiteBound(buckets[i+1], buckets[i])
		}
	}
	return 0
}

// histogramMax returns the lower bound of the highest non-empty bucket (its
// upper bound when the lower is −Inf), 0 for an empty histogram.
func histogramMax(counts []uint64, buckets []float64) float64 {
	for i, count := range slices.Backward(counts) {
		if count > 0 {
			return finiteBound(buckets[i], buckets[i+1])
		}
	}
	return 0
}

// histogramSum estimates the sum of a histogram's values from bucket midpoints.
func histogramSum(counts []uint64, buckets []float64) float64 {
	var sum float64
	for i, c := range counts {
		if c == 0 {
			continue
		}
		lo, hi := buckets[i], buckets[i+1]
		mid := (lo + hi) / 2
		if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			mid = finiteBound(hi, lo)
		}
		sum += float64(c) * mid
	}
	return sum
}

func finiteBound(preferred, other float64) float64 {
	if !math.IsInf(preferred, 0) {
		return preferred
	}
	if !math.IsInf(other, 0) {
		return other
	}
	return 0
}

// cpuTimes returns the process's user and system CPU time in ns.
func cpuTimes() (user, sys int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return ru.Utime.Nano(), ru.Stime.Nano()
}

// ProcessCPUNs returns the process's user + system CPU time so far, in ns (0 if
// it cannot be read).
func ProcessCPUNs() int64 {
	user, sys := cpuTimes()
	return user + sys
}
