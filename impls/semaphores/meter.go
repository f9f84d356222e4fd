package semaphores

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/result"
)

// cacheLine is the padding unit that keeps hot counters of different goroutines
// off one cache line (64 bytes on amd64 and most arm64; 128 would only cost RAM).
const cacheLine = 64

// Wait histogram geometry: the same as every syncbench latency histogram, so the
// figures are comparable with the recorded response times.
const (
	waitLowest  = 1
	waitHighest = int64(time.Hour)
	waitSigFigs = 3
)

// meter is the instrumentation every semaphore target shares. It watches the
// semaphore from outside, so it checks the implementation rather than trusting it:
// the held weight is added right after an acquire returns and subtracted right
// before the release, so it can only under-state what the semaphore thinks is
// held, never over-state it, and a peak above capacity is a real violation.
//
// The in-use counter is the only state shared between workers, and the only
// instrumentation every op pays on a shared cache line: it is what makes the
// capacity check exact. The peak is kept per worker (the largest in-use value
// its own adds returned), since the counter's largest value is the result of
// some worker's add: the maximum of the workers' peaks is the exact peak,
// without a compare-and-swap on a shared line. Per-worker figures live in padded
// slots written by their worker alone (a worker never issues two ops at once),
// so recording takes no lock and causes no false sharing.
//
// Wait times cost two clock reads and a histogram record, ~100 ns here, more
// than an uncontended semaphore: timed on every op they diluted every ratio
// between two semaphores (x/sync Weighted against chansem read 1.24–1.37×
// through the adapter against 1.62–2.23× raw). So a weight-1 op that holds for
// no time is timed one in waitSampleEvery (see timed); ops with a hold or work,
// where the clock reads are small beside the op, and heavy ops, which a
// semaphore may starve, are all timed.
type meter struct {
	impl     string
	capacity int64

	_     [cacheLine]byte
	inUse atomic.Int64
	_     [cacheLine - 8]byte

	workers []workerSlot

	// overflow takes ops whose Worker is outside [0, Workers): a driver bug that
	// should not corrupt a neighbour's slot or crash the run.
	overflowMu sync.Mutex
	overflow   workerSlot
}

// waitSampleEvery is how often an op that holds for no time has its wait timed:
// one in waitSampleEvery per worker. At 61 the clock reads and the record
// cost under 2 ns per op; it is prime, so the timed ops fall on every phase of
// a periodic pattern of weights alike.
const waitSampleEvery = 61

// workerFigures is one worker's figures. Its histogram is allocated on the
// worker's first timed acquisition (about 270 KiB at this geometry), so memory
// grows with the workers that actually ran, not with the run's length.
type workerFigures struct {
	acquisitions int64
	timeouts     int64
	denials      int64
	errors       int64
	longestWait  int64
	peak         int64 // the largest in-use weight this worker's holds saw
	timedWaits   int64 // acquisitions whose wait was timed
	untilTimed   int64 // untimed ops left before the next timed one
	waits        *hdr.Histogram
}

// workerSlot pads a worker's figures to whole cache lines.
type workerSlot struct {
	workerFigures
	_ [cacheLine - unsafe.Sizeof(workerFigures{})%cacheLine]byte
}

func newMeter(impl string, capacity int64, workers int) *meter {
	m := &meter{impl: impl, capacity: capacity, workers: make([]workerSlot, max(workers, 1))}
	for i := range m.workers {
		// Staggered, so workers that start together do not time the same ops.
		m.workers[i].untilTimed = int64(i % waitSampleEvery)
	}
	return m
}

// slot returns worker's own slot, or nil for a worker outside [0, Workers),
// whose figures go through the locked overflow slot (hold, failed, acquired).
func (m *meter) slot(worker int) *workerSlot {
	if uint(worker) >= uint(len(m.workers)) {
		return nil
	}
	return &m.workers[worker]
}

// sampled reports whether the worker's next weight-1 op that holds for no time
// should have its wait timed: one in waitSampleEvery. Ops with a hold, work or
// a weight above 1 are timed without asking.
func (s *workerSlot) sampled() bool {
	if s.untilTimed > 0 {
		s.untilTimed--
		return false
	}
	s.untilTimed = waitSampleEvery - 1
	return true
}

// held keeps the worker's peak: v is the in-use weight its own add returned.
func (s *workerSlot) held(v int64) { s.peak = max(s.peak, v) }

// failed counts an op that did not acquire, by its outcome.
func (s *workerSlot) failed(o impls.Outcome) {
	switch o {
	case impls.Timeout:
		s.timeouts++
	case impls.Denied:
		s.denials++
	default:
		s.errors++
	}
}

// acquired counts one acquisition and, when it was timed (wait ≥ 0; untimed
// is negative), how long it waited.
func (s *workerSlot) acquired(wait time.Duration) {
	s.acquisitions++
	if wait >= 0 {
		s.recordWait(wait)
	}
}

// recordWait adds one timed wait to the worker's figures.
func (s *workerSlot) recordWait(wait time.Duration) {
	s.timedWaits++
	ns := int64(wait)
	if ns > s.longestWait {
		s.longestWait = ns
	}
	if s.waits == nil {
		s.waits = hdr.New(waitLowest, waitHighest, waitSigFigs)
	}
	_ = s.waits.RecordValue(min(max(ns, waitLowest), waitHighest)) // clamped: cannot fail
}

// hold records that worker just acquired weight n and keeps its peak. It is
// the only instrumentation inside the held section: one atomic add and a
// compare with the worker's own peak. The target's Do inlines it for a worker
// with a slot.
func (m *meter) hold(worker int, n int64) {
	v := m.inUse.Add(n)
	m.record(worker, func(s *workerSlot) { s.held(v) })
}

// unhold records that weight n is about to be released.
func (m *meter) unhold(n int64) { m.inUse.Add(-n) }

// acquired records one successful acquisition by worker and, when it was timed
// (wait ≥ 0; untimed is negative), how long it waited. Call it after the
// release, so that the histogram update stays out of the held section.
func (m *meter) acquired(worker int, wait time.Duration) {
	m.record(worker, func(s *workerSlot) { s.acquired(wait) })
}

// failed records an op that did not acquire, by its outcome.
func (m *meter) failed(worker int, o impls.Outcome) {
	m.record(worker, func(s *workerSlot) { s.failed(o) })
}

func (m *meter) record(worker int, f func(*workerSlot)) {
	if uint(worker) < uint(len(m.workers)) {
		f(&m.workers[worker])
		return
	}
	m.overflowMu.Lock()
	f(&m.overflow)
	m.overflowMu.Unlock()
}

// verify returns an *impls.InvariantError if the held weight ever exceeded the
// capacity or is not back to zero. Call it once every op has returned.
func (m *meter) verify() error {
	if p := m.peak(); p > m.capacity {
		return &impls.InvariantError{Impl: m.impl, Detail: fmt.Sprintf("held weight peaked at %d, above the capacity %d", p, m.capacity)}
	}
	if v := m.inUse.Load(); v != 0 {
		return &impls.InvariantError{Impl: m.impl, Detail: fmt.Sprintf("%d weight still held after every op returned (want 0)", v)}
	}
	return nil
}

// peak is the largest weight ever held: the largest any worker's hold saw.
// Call it once every op has returned.
func (m *meter) peak() int64 {
	m.overflowMu.Lock()
	p := m.overflow.peak
	m.overflowMu.Unlock()
	for i := range m.workers {
		p = max(p, m.workers[i].peak)
	}
	return p
}

// stats merges the per-worker figures. Call it once every op has returned. Wait
// times are from asking for the weight to getting it, over the successful
// acquisitions that were timed (wait_samples of them: every one with a hold,
// work or a weight above 1, one in waitSampleEvery of the others, whose
// longest_wait_ns is then the longest sampled wait); jain_fairness is over the per-worker acquisition counts of the configured
// workers (an idle worker counts as a zero share). The counts cover every op the
// target saw, so "timeouts" includes acquires cut short when the run ended,
// which the harness does not record as outcomes, and warm-up ops.
func (m *meter) stats() map[string]float64 {
	waits := hdr.New(waitLowest, waitHighest, waitSigFigs)
	counts := make([]float64, len(m.workers))
	var total workerSlot
	add := func(s *workerSlot) {
		total.acquisitions += s.acquisitions
		total.timeouts += s.timeouts
		total.denials += s.denials
		total.errors += s.errors
		total.longestWait = max(total.longestWait, s.longestWait)
		total.timedWaits += s.timedWaits
		if s.waits != nil {
			waits.Merge(s.waits)
		}
	}
	for i := range m.workers {
		add(&m.workers[i])
		counts[i] = float64(m.workers[i].acquisitions)
	}
	m.overflowMu.Lock()
	add(&m.overflow)
	m.overflowMu.Unlock()

	return map[string]float64{
		"capacity":        float64(m.capacity),
		"peak_in_use":     float64(m.peak()),
		"acquisitions":    float64(total.acquisitions),
		"timeouts":        float64(total.timeouts),
		"denials":         float64(total.denials),
		"errors":          float64(total.errors),
		"jain_fairness":   JainIndex(counts),
		"longest_wait_ns": float64(total.longestWait),
		"wait_p50_ns":     float64(result.ValueAtQuantile(waits, 50)),
		"wait_p99_ns":     float64(result.ValueAtQuantile(waits, 99)),
		"wait_mean_ns":    waits.Mean(),
		"wait_samples":    float64(total.timedWaits),
	}
}
