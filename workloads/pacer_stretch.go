package workloads

import (
	"slices"
	"sync/atomic"
	"time"
)

// The hybrid pacer's learning of its spin stretch. A precise kernel wake-up
// arrives some time after the instant it was set for — tens of µs at the median
// on the project's VMs, with a tail the platform decides (host load, timer slack,
// the runtime's own hand-offs). The hybrid sets its timer a stretch S before each
// instant and spins from the wake-up to the instant, so an op starts late only
// when the wake-up was later than S. Choosing S as the stretchQuantile of the
// recent wake-up lateness, less the lag the hybrid accepts (stretchBound), keeps
// all but about 1% of ops within stretchBound of their instant while spinning
// only as long as the platform's wake-ups require: S falls on a quiet machine
// and grows when wake-ups get worse, within [0, maxStretch].
const (
	// stretchWindow is how many recent wake-ups the estimate looks at: enough
	// for a 99th percentile with five samples above it, few enough to follow a
	// change in the platform within a fraction of a second at kHz rates.
	stretchWindow = 512
	// stretchEvery is how many new wake-ups trigger a new estimate.
	stretchEvery = 32
	// stretchQuantile is the share of wake-ups the stretch is sized to cover.
	stretchQuantile = 0.99
	// stretchBound is the lag the hybrid accepts at stretchQuantile: it spins
	// the wake-up tail beyond this much, not all of it. Half of the 100 µs lag
	// p99 the hybrid is meant to keep at kHz rates, so the figure holds with a
	// margin while a wake-up that arrives in time costs little spinning.
	stretchBound = 50 * time.Microsecond
	// initialStretch is the stretch before anything has been learned: the 99th
	// percentile of wake-up lateness on the project's quiet VMs (about 100 µs)
	// less stretchBound.
	initialStretch = 50 * time.Microsecond
	// maxStretch caps the stretch, and so the spin per op, when wake-ups are
	// very late. Wake-ups that late are late because the process is not being
	// run (a loaded host): spinning longer does not help that — measured on a
	// loaded 2-core VM, spinning the last millisecond left lag p99 in the
	// milliseconds at a full core — so past this the hybrid accepts the lag and
	// keeps its CPU.
	maxStretch = 250 * time.Microsecond
)

// stretchEstimator learns the hybrid pacer's spin stretch from observed wake-up
// lateness. observe may be called concurrently with itself and with current;
// recompute runs at most once at a time (a concurrent call returns at once).
type stretchEstimator struct {
	samples  [stretchWindow]atomic.Int64 // ring of recent lateness, ns
	n        atomic.Int64                // samples observed so far
	learned  atomic.Int64                // n when the stretch was last computed
	stretch  atomic.Int64                // current stretch, ns
	busy     atomic.Bool                 // a recompute owns scratch
	scratch  [stretchWindow]int64
	quantile float64
	bound    int64
}

// newStretchEstimator returns an estimator starting from initialStretch.
func newStretchEstimator() *stretchEstimator {
	e := &stretchEstimator{quantile: stretchQuantile, bound: int64(stretchBound)}
	e.stretch.Store(int64(initialStretch))
	return e
}

// observe records one wake-up's lateness: woke − the instant it was set for, ns.
// Negative values (a timer that fired early) count as 0.
func (e *stretchEstimator) observe(late int64) {
	i := e.n.Add(1) - 1
	e.samples[i%stretchWindow].Store(max(late, 0))
}

// due reports whether enough wake-ups were observed since the last estimate.
func (e *stretchEstimator) due() bool {
	return e.n.Load()-e.learned.Load() >= stretchEvery
}

// current returns the stretch in ns.
func (e *stretchEstimator) current() int64 { return e.stretch.Load() }

// recompute sets the stretch from the samples in the window: their quantile less
// the accepted bound, clamped to [0, maxStretch].
func (e *stretchEstimator) recompute() {
	if !e.busy.CompareAndSwap(false, true) {
		return
	}
	defer e.busy.Store(false)
	n := e.n.Load()
	e.learned.Store(n)
	k := int(min(n, stretchWindow))
	if k == 0 {
		return
	}
	s := e.scratch[:k]
	for i := range s {
		s[i] = e.samples[i].Load()
	}
	slices.Sort(s)
	q := s[min(int(e.quantile*float64(k)), k-1)]
	e.stretch.Store(min(max(q-e.bound, 0), int64(maxStretch)))
}
