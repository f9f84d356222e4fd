package metrics

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/puzpuzpuz/xsync/v4"
)

// Per-key tracking geometry. Each followed key costs one keyCount (keyBins + 6
// int64s and a mutex, about 220 bytes) plus its map entry, so at most
// maxTrackedKeys keys cost about 20 MiB whatever the key space; further keys are
// counted together, not one by one.
const (
	maxTrackedKeys = 1 << 16
	keyBins        = 20 // per window: a key's windows slide in steps of W/20
)

// keyTracker counts each key's admissions for a limiter with one limit per key:
// per key, the last window's admissions in keyBins bins (a ring), the most any
// window held, the total and the count in the steady span. Memory is bounded by
// maxTrackedKeys, not by the run's length.
type keyTracker struct {
	binWidth   int64 // ns, window/keyBins
	steadyFrom int64 // steady span [steadyFrom, steadyTo) of the expected window
	steadyTo   int64
	steadyOK   bool
	m          *xsync.Map[uint64, *keyCount]
	tracked    atomic.Int64
	untracked  atomic.Int64 // admissions of keys beyond maxTrackedKeys
}

// keyCount is one key's admissions. Its mutex serialises the key's admits; keys do
// not contend with each other.
type keyCount struct {
	mu       sync.Mutex
	ring     [keyBins]int64 // admissions per bin, bin b at ring[b%keyBins]
	head     int64          // newest bin seen, −1 before the first admission
	inWindow int64          // sum of the ring: the window ending with bin head
	max      int64          // largest inWindow seen
	total    int64
	steady   int64 // admissions in the steady span
}

func newKeyTracker(window, expected int64) *keyTracker {
	kt := &keyTracker{binWidth: max(1, window/keyBins), m: xsync.NewMap[uint64, *keyCount]()}
	kt.steadyFrom, kt.steadyTo, kt.steadyOK = steadySpan(expected, window)
	return kt
}

func (kt *keyTracker) admit(offsetNs int64, key uint64, n int64) {
	c, ok := kt.m.Load(key)
	if !ok {
		if kt.tracked.Load() >= maxTrackedKeys {
			kt.untracked.Add(n)
			return
		}
		c, _ = kt.m.LoadOrCompute(key, func() (*keyCount, bool) {
			kt.tracked.Add(1)
			return &keyCount{head: -1}, false
		})
	}
	steady := kt.steadyOK && offsetNs >= kt.steadyFrom && offsetNs < kt.steadyTo
	c.add(offsetNs/kt.binWidth, n, steady)
}

// add counts n admissions in bin. Admissions arrive nearly in order (workers
// report as they finish); one for a bin older than the newest is counted in its
// own bin while that is still inside the current window, and in the oldest bin
// still inside it otherwise. Windows that ended before a late admission arrived
// are not revised, so a late one can only lower MaxInWindow, never raise it.
func (c *keyCount) add(bin, n int64, steady bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.head < 0:
		c.head = bin
	case bin > c.head:
		if bin-c.head >= keyBins {
			c.ring, c.inWindow = [keyBins]int64{}, 0
		} else {
			for b := c.head + 1; b <= bin; b++ {
				c.inWindow -= c.ring[b%keyBins]
				c.ring[b%keyBins] = 0
			}
		}
		c.head = bin
	case bin <= c.head-keyBins:
		bin = c.head - keyBins + 1
	}
	c.ring[bin%keyBins] += n
	c.inWindow += n
	c.max = max(c.max, c.inWindow)
	c.total += n
	if steady {
		c.steady += n
	}
}

// judge fills a's per-key fields: each key against env's bound for one key, the
// spread of the keys' rates, the busiest key's steady rate (which becomes a's
// SteadyRate) and the keys' admissions against the sum of their allowances.
func (kt *keyTracker) judge(a *LimiterAccuracy, env Envelope, window time.Duration, d int64) {
	type keyFigures struct {
		key                  uint64
		total, steady, worst int64
	}
	var keys []keyFigures
	kt.m.Range(func(key uint64, c *keyCount) bool {
		c.mu.Lock()
		keys = append(keys, keyFigures{key, c.total, c.steady, c.max})
		c.mu.Unlock()
		return true
	})
	a.PerKey = true
	a.KeysUntrackedAdmitted = kt.untracked.Load()
	a.KeysActive = int64(len(keys))
	a.MaxInWindow, a.BinWidthNs = 0, kt.binWidth
	if len(keys) == 0 {
		return
	}
	perKey := env.Max(window)
	var trackedTotal int64
	busiest, worst := keys[0], keys[0]
	for _, k := range keys {
		trackedTotal += k.total
		if float64(k.worst) > perKey {
			a.KeysOverEnvelope++
		}
		if k.worst > worst.worst || (k.worst == worst.worst && k.key < worst.key) {
			worst = k
		}
		if k.total > busiest.total || (k.total == busiest.total && k.key < busiest.key) {
			busiest = k
		}
	}
	a.WorstKey, a.MaxInWindow, a.BusiestKey = worst.key, worst.worst, busiest.key
	secs := float64(d) / 1e9
	if secs > 0 {
		totals := make([]int64, len(keys))
		for i, k := range keys {
			totals[i] = k.total
		}
		slices.Sort(totals)
		a.KeyRateMin = float64(totals[0]) / secs
		a.KeyRateMedian = float64(totals[len(totals)/2]) / secs
		if len(totals)%2 == 0 {
			a.KeyRateMedian = float64(totals[len(totals)/2-1]+totals[len(totals)/2]) / 2 / secs
		}
		a.KeyRateMax = float64(totals[len(totals)-1]) / secs
	}
	a.KeysAllowance = float64(len(keys)) * env.Max(time.Duration(d))
	if a.KeysAllowance > 0 {
		a.AllowanceUsedPct = 100 * float64(trackedTotal) / a.KeysAllowance
	}
	// One key's sustained rate is what can be compared with the per-key limit:
	// the busiest key is the one most surely held at its limit all run.
	switch {
	case kt.steadyOK && d >= kt.steadyTo:
		a.SteadyFromNs, a.SteadyToNs = kt.steadyFrom, kt.steadyTo
		a.SteadyRate = float64(busiest.steady) / (float64(kt.steadyTo-kt.steadyFrom) / 1e9)
		a.RateBasis = fmt.Sprintf("busiest key %d: %d admitted in [%s, %s), the first window left out, whole windows only",
			busiest.key, busiest.steady, time.Duration(kt.steadyFrom), time.Duration(kt.steadyTo))
	case secs > 0:
		a.SteadyFromNs, a.SteadyToNs = 0, d
		a.SteadyRate = float64(busiest.total) / secs
		a.RateBasis = fmt.Sprintf("busiest key %d: %d admitted over the whole run (too short for a steady span: includes the start-up)",
			busiest.key, busiest.total)
	}
}
