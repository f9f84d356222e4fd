package metrics

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/puzpuzpuz/xsync/v4"
)

// Per-key tracking geometry. Each followed key costs one keyCount (keyBins + 9
// int64s and a mutex, 240 bytes) plus its map entry — 290 bytes a key measured by
// BenchmarkKeyedAdmissions — so at most maxTrackedKeys keys cost about 19 MiB
// whatever the key space; further keys are counted together, not one by one.
const (
	maxTrackedKeys = 1 << 16
	keyBins        = 20 // per window: a key's windows slide in steps of W/20
)

// keyTracker counts each key's admissions for a limiter with one limit per key:
// per key, the last window's admissions in keyBins bins (a ring), the most any
// window held, the total, and the counts in the key's first window and in its
// steady span. Memory is bounded by maxTrackedKeys, not by the run's length.
type keyTracker struct {
	binWidth  int64 // ns, window/keyBins
	window    int64 // ns
	end       int64 // ns, the expected measured span
	m         *xsync.Map[uint64, *keyCount]
	tracked   atomic.Int64
	untracked atomic.Int64 // admissions of keys beyond maxTrackedKeys
}

// keyCount is one key's admissions. Its mutex serialises the key's admits; keys do
// not contend with each other.
//
// Each key's limiter starts at the key's first use, so each key has its own steady
// span: whole windows from one window after its first admission seen (at least
// one window into the measured span, for a key already in use before it), on the
// bin grid, so that the key's own start-up — a bucket's burst, a window
// algorithm's first window — is left out, as for an unkeyed limiter.
type keyCount struct {
	mu       sync.Mutex
	ring     [keyBins]int64 // admissions per bin, bin b at ring[b%keyBins]
	head     int64          // newest bin seen, −1 before the first admission
	inWindow int64          // sum of the ring: the window ending with bin head
	max      int64          // largest inWindow seen
	total    int64
	first    int64 // ns, the first admission seen
	from, to int64 // the key's steady span [from, to), ns; empty when from == to
	early    int64 // admissions before from
	steady   int64 // admissions in [from, to)
}

func newKeyTracker(window, expected int64) *keyTracker {
	return &keyTracker{binWidth: max(1, window/keyBins), window: window, end: expected, m: xsync.NewMap[uint64, *keyCount]()}
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
			// Rounded up to the bin grid, which is independent of when the
			// key's limiter happens to admit: a span starting exactly one window
			// after an admission would count the admission a window later only
			// when it came no sooner, reading low by half an event.
			from := max(kt.window, offsetNs+kt.window)
			from = (from + kt.binWidth - 1) / kt.binWidth * kt.binWidth
			to := from + max(0, kt.end-from)/kt.window*kt.window
			return &keyCount{head: -1, first: offsetNs, from: from, to: to}, false
		})
	}
	c.add(offsetNs, offsetNs/kt.binWidth, n)
}

// add counts n admissions at instant at, in bin. Admissions arrive nearly in
// order (workers report as they finish); one for a bin older than the newest is
// counted in its own bin while that is still inside the current window, and in
// the oldest bin still inside it otherwise. Windows that ended before a late
// admission arrived are not revised, so a late one can only lower MaxInWindow,
// never raise it.
func (c *keyCount) add(at, bin, n int64) {
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
	switch {
	case at < c.from:
		c.early += n
	case at < c.to:
		c.steady += n
	}
}

// judge fills a's per-key fields: each key against env's bound for one key, the
// spread of the keys' rates, the busiest key's steady rate (which becomes a's
// SteadyRate) and the keys' admissions against the sum of their allowances.
func (kt *keyTracker) judge(a *LimiterAccuracy, env Envelope, window time.Duration, d int64) {
	type keyFigures struct {
		key                         uint64
		total, early, steady, worst int64
		first                       int64 // ns, first admission seen
		span                        int64 // ns of the key's steady span
	}
	var keys []keyFigures
	kt.m.Range(func(key uint64, c *keyCount) bool {
		c.mu.Lock()
		span := c.to - c.from
		if d < c.to { // an interrupted run: the span was not measured to its end
			span = 0
		}
		keys = append(keys, keyFigures{key: key, total: c.total, early: c.early, steady: c.steady, worst: c.max, first: c.first, span: span})
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
		if float64(k.worst) > perKey+float64(a.InFlight) {
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
	// A key's sustained rate is what compares with the per-key limit, and only a
	// key held above its limit all along has one. Such keys are picked by their
	// first window, not by their steady counts, so the choice does not favour
	// keys whose count came out high: a key in use from the start of the
	// measured window must have been admitted a window's worth of the rate in
	// it; a key first seen later (a fresh limiter, full) its whole first-window
	// allowance, burst included, less one for timing — else a key asked for less
	// than its limit passes on its burst. The mean of the middle half of the
	// chosen keys' steady rates then smooths the one-event resolution of each
	// (10% at 10/s over 1 s), as the keys' phases differ, and leaves out keys
	// that went quiet after their first window or were barely above the limit.
	held := math.Floor(env.Rate*window.Seconds() + 1e-9)
	heldFresh := math.Floor(env.Rate*window.Seconds()+env.Burst+1e-9) - 1
	// A key in use before the window and held at its limit is admitted again
	// within one interval 1/r of its start.
	fromStart := kt.binWidth
	if env.Rate > 0 {
		fromStart = max(fromStart, int64(1e9/env.Rate))
	}
	var rates []float64
	for _, k := range keys {
		least := held
		if k.first >= fromStart {
			least = max(held, heldFresh)
		}
		if held <= 0 || float64(k.early) < least || k.span <= 0 {
			continue
		}
		// A key idle for its first window but for a full bucket's worth passes
		// the test above; one admitted less than half its limit afterwards was
		// never held at it, and is left out. A key held at its limit lands within
		// an event or two of it, far from half.
		if rate := float64(k.steady) / (float64(k.span) / 1e9); rate >= env.Rate/2 {
			rates = append(rates, rate)
		}
	}
	slices.Sort(rates)
	a.KeysHeld = int64(len(rates))
	switch middle := rates[len(rates)/4 : len(rates)-len(rates)/4]; {
	case len(middle) > 0:
		var sum float64
		for _, r := range middle {
			sum += r
		}
		a.SteadyRate = sum / float64(len(middle))
		a.RateBasis = fmt.Sprintf("the %d keys held at their limit (their first window's allowance admitted): mean of the middle %d of their rates over whole windows from one window after their first admission",
			len(rates), len(middle))
	case secs > 0:
		a.SteadyRate = float64(busiest.total) / secs
		a.RateBasis = fmt.Sprintf("busiest key %d, as no key was held at its limit for a whole window after its first: %d admitted over the whole run, start-up included; one admission more or less is %s",
			busiest.key, busiest.total, resolution(busiest.total))
	}
	a.SteadyFromNs, a.SteadyToNs = 0, 0 // each key has its own span
}

// resolution is what one event is of a count, as a percentage for display.
func resolution(count int64) string {
	if count <= 0 {
		return "all of it"
	}
	return fmt.Sprintf("±%.2g%%", 100/float64(count))
}
