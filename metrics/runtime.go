package metrics

import (
	"math"
	"runtime/metrics"
	"syscall"
	"time"
)

// RuntimeExtrasKey is the Result.Extras group runtime telemetry is stored under:
// result.Extras[RuntimeExtrasKey] = stats.Map().
const RuntimeExtrasKey = "runtime"

// runtime/metrics names read by Telemetry. The scheduler and GC-pause histograms
// are cumulative, so a run's own figures are the difference of two reads.
const (
	metricSchedLatencies = "/sched/latencies:seconds"
	metricMutexWait      = "/sync/mutex/wait/total:seconds"
	metricGCPauses       = "/sched/pauses/total/gc:seconds"
	metricGCCycles       = "/gc/cycles/total:gc-cycles"
	metricAllocObjects   = "/gc/heap/allocs:objects"
	metricAllocBytes     = "/gc/heap/allocs:bytes"
)

// RuntimeStats is what the Go runtime and the OS did during one run, as deltas
// between StartTelemetry and Stop. Field names carry their unit. Percentiles come
// from the runtime's bucketed histograms and are the upper bound of the bucket
// holding the percentile (the runtime's buckets are a few percent wide); totals
// estimated from a histogram use bucket midpoints. Figures cover the whole
// process, not only the target: the harness's own goroutines are included.
type RuntimeStats struct {
	// Ops is the op count per-op figures are divided by.
	Ops int64 `json:"ops"`
	// WallNs is the time between StartTelemetry and Stop.
	WallNs int64 `json:"wall_ns"`
	// SchedLatencyP50Ns and SchedLatencyP99Ns are how long runnable goroutines
	// waited for a P: high values mean more runnable work than GOMAXPROCS.
	SchedLatencyP50Ns float64 `json:"sched_latency_p50_ns"`
	SchedLatencyP99Ns float64 `json:"sched_latency_p99_ns"`
	// MutexWaitNs is the total time goroutines spent blocked on sync.Mutex,
	// sync.RWMutex and runtime-internal locks (approximate, per the runtime).
	MutexWaitNs float64 `json:"mutex_wait_total_ns"`
	// GCCycles is the number of completed GC cycles.
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
	// CPUNsPerOp is (user + sys) / Ops; 0 when Ops is 0.
	CPUNsPerOp float64 `json:"cpu_ns_per_op"`
	// Allocs and AllocBytes are heap allocations during the run. The runtime
	// counts them a span at a time, so up to a span's worth of objects per size
	// class and P may fall on the other side of a boundary: exact for long runs,
	// rough for a few thousand ops.
	Allocs     uint64 `json:"allocs"`
	AllocBytes uint64 `json:"alloc_bytes"`
	// AllocsPerOp and AllocBytesPerOp divide them by Ops; 0 when Ops is 0.
	AllocsPerOp     float64 `json:"allocs_per_op"`
	AllocBytesPerOp float64 `json:"alloc_bytes_per_op"`
}

// Map returns s keyed by its JSON field names, the shape of a Result.Extras
// entry.
func (s RuntimeStats) Map() map[string]any {
	return extrasOf(s)
}

// Telemetry is a snapshot of the runtime's cumulative counters taken at the start
// of a run. It is used by one goroutine: StartTelemetry, then Stop.
type Telemetry struct {
	start   time.Time
	samples []metrics.Sample
	user    int64 // ns
	sys     int64 // ns
}

// StartTelemetry reads the runtime's counters and the process's CPU time. Reading
// costs a few microseconds, so call it outside the measured loop.
func StartTelemetry() *Telemetry {
	t := &Telemetry{samples: newRuntimeSamples()}
	metrics.Read(t.samples)
	t.user, t.sys = cpuTimes()
	t.start = time.Now()
	return t
}

func newRuntimeSamples() []metrics.Sample {
	names := []string{metricSchedLatencies, metricMutexWait, metricGCPauses, metricGCCycles, metricAllocObjects, metricAllocBytes}
	s := make([]metrics.Sample, len(names))
	for i, n := range names {
		s[i].Name = n
	}
	return s
}

// Stop reads the counters again and returns what happened since StartTelemetry,
// with per-op figures divided by ops (zero, not a division by zero, when ops ≤
// 0). A metric the running Go version does not provide reads as zero. Stop may be
// called more than once; each call measures from the start.
func (t *Telemetry) Stop(ops int64) RuntimeStats {
	wall := time.Since(t.start)
	now := newRuntimeSamples()
	metrics.Read(now)
	user, sys := cpuTimes()

	s := RuntimeStats{Ops: ops, WallNs: int64(wall), CPUUserNs: user - t.user, CPUSysNs: sys - t.sys}
	for i := range now {
		before, after := t.samples[i].Value, now[i].Value
		switch now[i].Name {
		case metricSchedLatencies:
			counts, buckets := histogramDelta(before, after)
			s.SchedLatencyP50Ns = 1e9 * histogramQuantile(counts, buckets, 0.50)
			s.SchedLatencyP99Ns = 1e9 * histogramQuantile(counts, buckets, 0.99)
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
		case metricAllocObjects:
			s.Allocs = uint64Delta(before, after)
		case metricAllocBytes:
			s.AllocBytes = uint64Delta(before, after)
		}
	}
	if ops > 0 {
		s.CPUNsPerOp = float64(s.CPUUserNs+s.CPUSysNs) / float64(ops)
		s.AllocsPerOp = float64(s.Allocs) / float64(ops)
		s.AllocBytesPerOp = float64(s.AllocBytes) / float64(ops)
	}
	return s
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
