package semaphores

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

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
// The in-use counter is the only state shared between workers; per-worker figures
// live in padded slots written by their worker alone (a worker never issues two
// ops at once), so recording takes no lock and causes no false sharing.
type meter struct {
	impl     string
	capacity int64

	_     [cacheLine]byte
	inUse atomic.Int64
	peak  atomic.Int64 // same line as inUse: it is read right after inUse is written
	_     [cacheLine - 16]byte

	workers []workerSlot

	// overflow takes ops whose Worker is outside [0, Workers): a driver bug that
	// should not corrupt a neighbour's slot or crash the run.
	overflowMu sync.Mutex
	overflow   workerSlot
}

// workerSlot is one worker's figures. Its histogram is allocated on the worker's
// first acquisition (about 270 KiB at this geometry), so memory grows with the
// workers that actually ran, not with the run's length.
type workerSlot struct {
	acquisitions int64
	timeouts     int64
	denials      int64
	errors       int64
	longestWait  int64
	waits        *hdr.Histogram
	_            [cacheLine - 6*8]byte
}

func newMeter(impl string, capacity int64, workers int) *meter {
	return &meter{impl: impl, capacity: capacity, workers: make([]workerSlot, max(workers, 1))}
}

// hold records that weight n was just acquired and keeps the peak. It is the only
// instrumentation inside the held section, and is one atomic add plus, when a new
// peak is reached, a compare-and-swap.
func (m *meter) hold(n int64) {
	v := m.inUse.Add(n)
	for {
		p := m.peak.Load()
		if v <= p || m.peak.CompareAndSwap(p, v) {
			return
		}
	}
}

// unhold records that weight n is about to be released.
func (m *meter) unhold(n int64) { m.inUse.Add(-n) }

// acquired records one successful acquisition by worker and how long it waited.
// Call it after the release, so that the histogram update stays out of the held
// section.
func (m *meter) acquired(worker int, wait time.Duration) {
	m.record(worker, func(s *workerSlot) {
		s.acquisitions++
		ns := int64(wait)
		if ns > s.longestWait {
			s.longestWait = ns
		}
		if s.waits == nil {
			s.waits = hdr.New(waitLowest, waitHighest, waitSigFigs)
		}
		_ = s.waits.RecordValue(min(max(ns, waitLowest), waitHighest)) // clamped: cannot fail
	})
}

// failed records an op that did not acquire, by its outcome.
func (m *meter) failed(worker int, o impls.Outcome) {
	m.record(worker, func(s *workerSlot) {
		switch o {
		case impls.Timeout:
			s.timeouts++
		case impls.Denied:
			s.denials++
		default:
			s.errors++
		}
	})
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
	if p := m.peak.Load(); p > m.capacity {
		return &impls.InvariantError{Impl: m.impl, Detail: fmt.Sprintf("held weight peaked at %d, above the capacity %d", p, m.capacity)}
	}
	if v := m.inUse.Load(); v != 0 {
		return &impls.InvariantError{Impl: m.impl, Detail: fmt.Sprintf("%d weight still held after every op returned (want 0)", v)}
	}
	return nil
}

// stats merges the per-worker figures. Call it once every op has returned. Wait
// times are from asking for the weight to getting it, successful acquisitions
// only; jain_fairness is over the per-worker acquisition counts of the configured
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
		"peak_in_use":     float64(m.peak.Load()),
		"acquisitions":    float64(total.acquisitions),
		"timeouts":        float64(total.timeouts),
		"denials":         float64(total.denials),
		"errors":          float64(total.errors),
		"jain_fairness":   JainIndex(counts),
		"longest_wait_ns": float64(total.longestWait),
		"wait_p50_ns":     float64(result.ValueAtQuantile(waits, 50)),
		"wait_p99_ns":     float64(result.ValueAtQuantile(waits, 99)),
		"wait_mean_ns":    waits.Mean(),
	}
}
