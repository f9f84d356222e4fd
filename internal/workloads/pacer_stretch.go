package workloads

import (
	"slices"
	"sync/atomic"
	"time"
)

// The hybrid pacer's learning of its spin stretch. A precise kernel wake-up
// arrives some time after the instant it was set for — tens of µs at the median
// on the project's VMs, with a tail the platform decides (host load, how long
// the virtual CPU was idle, the runtime's own hand-offs). The hybrid sets its
// timer a stretch S before each instant and spins from the wake-up to the
// instant, so an op starts late only when the wake-up was later than S.
// Choosing S as the 99th percentile of the recent wake-up lateness, less the lag
// the hybrid accepts (stretchBound), keeps all but about 1% of ops within
// stretchBound of their instant while spinning only as long as the platform's
// wake-ups require: S falls on a quiet machine and grows when wake-ups get
// worse.
//
// What S costs is known from the same samples: a wake-up L late spins
// max(S − L, 0), so the expected spin per wake-up is the mean of that over the
// window. The pacer gives the estimator a budget for it (newPacer: about what a
// wake-up itself costs, see spinBudgetPerWake) and S never spends more. When
// the 99th percentile cannot be covered within the budget, lag p99 is set by
// the wake-up tail whatever the hybrid spins, so spinning the whole budget
// would buy nothing there: S then covers the largest share of wake-ups the
// budget allows (the 95th, else the 90th percentile), and none at all when even
// that is out of reach — on a host so loaded that wake-ups are mostly late,
// spinning only takes a processor from the target.
const (
	// stretchWindow is how many recent wake-ups the estimate looks at: enough
	// for a 99th percentile with five samples above it, few enough to follow a
	// change in the platform within a fraction of a second at kHz rates.
	stretchWindow = 512
	// stretchEvery is how many new wake-ups trigger a new estimate.
	stretchEvery = 32
	// stretchBound is the lag the hybrid accepts at the 99th percentile: it spins
	// the wake-up tail beyond this much, not all of it. Half of the 100 µs lag
	// p99 the hybrid is meant to keep at kHz rates, so the figure holds with a
	// margin while a wake-up that arrives in time costs little spinning.
	stretchBound = 50 * time.Microsecond
	// initialStretch is the stretch before anything has been learned: the 99th
	// percentile of wake-up lateness on the project's quiet VMs (about 100 µs)
	// less stretchBound.
	initialStretch = 50 * time.Microsecond
	// maxStretch is the most the stretch can be whatever the budget: a wake-up
	// a millisecond late is a stalled virtual CPU, not a timer, and the spin
	// that would cover it belongs to the spin mode.
	maxStretch = time.Millisecond
)

// stretchQuantiles are the shares of wake-ups the stretch tries to cover, the
// first that fits under the cap winning.
var stretchQuantiles = [...]float64{0.99, 0.95, 0.90}

// stretchEstimator learns the hybrid pacer's spin stretch from observed wake-up
// lateness. observe may be called concurrently with itself and with current;
// recompute runs at most once at a time (a concurrent call returns at once).
type stretchEstimator struct {
	samples [stretchWindow]atomic.Int64 // ring of recent lateness, ns
	n       atomic.Int64                // samples observed so far
	learned atomic.Int64                // n when the stretch was last computed
	stretch atomic.Int64                // current stretch, ns
	busy    atomic.Bool                 // a recompute owns scratch
	scratch [stretchWindow]int64
	bound   int64 // stretchBound, ns
	limit   int64 // the largest stretch, ns
	budget  int64 // the most the stretch may spin per wake-up on average, ns
}

// newStretchEstimator returns an estimator whose stretch never exceeds limit ns
// (at most maxStretch) nor spins more than budget ns per wake-up on average
// over its window. It starts from initialStretch, or limit if smaller.
func newStretchEstimator(limit, budget int64) *stretchEstimator {
	e := &stretchEstimator{bound: int64(stretchBound), limit: min(max(limit, 0), int64(maxStretch)), budget: max(budget, 0)}
	e.stretch.Store(min(int64(initialStretch), e.limit))
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

// recompute sets the stretch from the samples in the window: for the highest
// of stretchQuantiles whose value less the accepted bound fits under the cap
// and whose expected spin fits the budget, that value less the bound; else 0.
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
	stretch := int64(0)
	for _, q := range stretchQuantiles {
		need := max(s[min(int(q*float64(k)), k-1)]-e.bound, 0)
		if need <= e.limit && meanSpin(s, need) <= e.budget {
			stretch = need
			break
		}
	}
	e.stretch.Store(stretch)
}

// meanSpin is the mean spin per wake-up a stretch of S ns costs over sorted
// lateness samples: a wake-up L late spins S − L if that is positive.
func meanSpin(sorted []int64, S int64) int64 {
	var sum int64
	for _, l := range sorted {
		if l >= S {
			break
		}
		sum += S - l
	}
	return sum / int64(len(sorted))
}
