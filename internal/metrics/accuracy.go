package metrics

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/syncbench/syncbench/result"
)

// Admission tracker geometry: 1 ms bins, at most maxAdmissionBins of them (8 MiB),
// coarser bins when the expected run is longer than maxAdmissionBins ms (17 min).
const (
	admissionBinWidth = int64(time.Millisecond)
	maxAdmissionBins  = 1 << 20
)

// AdmissionTracker counts a limiter's admissions per time bin, so that the
// limiter's accuracy can be computed after the run without keeping one instant per
// admission: memory is fixed at construction (8 bytes per bin, at most 2^20 bins),
// plus, when TrackKeys is on, a fixed amount per key for at most maxTrackedKeys
// keys.
//
// Admit is safe for concurrent use (an atomic add into the bin; a per-key mutex
// for keyed counts); Accuracy must not run concurrently with Admit if its figures
// are to be exact.
type AdmissionTracker struct {
	bins     []atomic.Int64
	binWidth int64 // ns
	end      int64 // ns: the expected measured span; later admissions are dropped
	dropped  atomic.Int64
	keys     *keyTracker // nil unless TrackKeys
}

// NewAdmissionTracker returns a tracker for a measured window expected to last
// expected, from its start. Bins are 1 ms wide, widened to whole milliseconds when
// expected would need more than 2^20 bins. A non-positive expected duration means
// one second. Admissions outside [0, expected) are not counted (see Admit).
func NewAdmissionTracker(expected time.Duration) *AdmissionTracker {
	if expected <= 0 {
		expected = time.Second
	}
	width := admissionBinWidth
	if n := (int64(expected) + width - 1) / width; n > maxAdmissionBins {
		perBin := (n + maxAdmissionBins - 1) / maxAdmissionBins // ms per bin
		width *= perBin
	}
	n := (int64(expected) + width - 1) / width
	return &AdmissionTracker{bins: make([]atomic.Int64, n), binWidth: width, end: int64(expected)}
}

// TrackKeys makes the tracker also count each key's admissions, for a limiter
// that keeps one limit per key; window is the length of the windows each key is
// judged over (non-positive: one second). Call it before the first Admit.
func (t *AdmissionTracker) TrackKeys(window time.Duration) {
	if window <= 0 {
		window = time.Second
	}
	t.keys = newKeyTracker(int64(window), t.end)
}

// BinWidth returns the width of one bin, the tracker's time resolution.
func (t *AdmissionTracker) BinWidth() time.Duration { return time.Duration(t.binWidth) }

// Admit records n admissions for key at offsetNs ns after the start of the
// measured window. Admissions outside the window, before its start or at or after
// its expected end, are not the window's: they are dropped (and counted in
// LimiterAccuracy.Dropped), never folded into its first or last bin, where they
// would show as a burst that never happened. key matters only with TrackKeys.
func (t *AdmissionTracker) Admit(offsetNs int64, key uint64, n int64) {
	if offsetNs < 0 || offsetNs >= t.end {
		t.dropped.Add(n)
		return
	}
	t.bins[offsetNs/t.binWidth].Add(n)
	if t.keys != nil {
		t.keys.admit(offsetNs, key, n)
	}
}

// Envelope is what a limiter may admit, as the harness judges it. The caller
// builds it from the limiter's own statement (impls.AdmissionBound), so this
// package needs no knowledge of the algorithms. The zero Envelope means the
// limiter stated none: it is then judged against b + r·w from its configuration.
type Envelope struct {
	// Algorithm and Rule name the admission rule and its bound, for display
	// (e.g. "sliding log", "L per any W").
	Algorithm, Rule string
	// Max returns the most the limiter may admit in any window of the given
	// length (for each key, when PerKey).
	Max func(window time.Duration) float64
	// Rate is the sustained rate the limiter states, events/s.
	Rate float64
	// Burst is what the limiter admits at once on top of its rate when it starts
	// full (0 for window algorithms, which grant no such burst).
	Burst float64
	// AlignedWindow > 0 says no window [origin + k·AlignedWindow, origin +
	// (k+1)·AlignedWindow) holds more than AlignedMax (fixed window, sliding
	// counter); AccuracyConfig.AlignedOriginNs places the origin.
	AlignedWindow time.Duration
	AlignedMax    float64
	// PerKey says the bound holds for each key's admissions separately.
	PerKey bool
	// Transient is the limiter's own account of what it does before it settles
	// into its sustained rate, for display; empty when nothing but the burst.
	Transient string
}

// AccuracyConfig says how to judge the admissions a tracker counted.
type AccuracyConfig struct {
	// Limit (events/s), Burst and Window are the limiter's configuration; Window
	// (non-positive: one second) is also the length of the windows judged.
	Limit  float64
	Burst  int
	Window time.Duration
	// DurationNs is the measured span, at most the tracker's expected one; less
	// when the run was interrupted. Non-positive means the expected span.
	DurationNs int64
	// Envelope is the limiter's bound; zero means b + r·w from Limit and Burst.
	Envelope Envelope
	// StartsFull says the limiter was built when the measured window opened (no
	// warm-up), so a run too short for a steady span takes its burst out.
	StartsFull bool
	// AlignedOriginNs is where aligned window 0 starts, in ns from the start of
	// the measured window (negative when the limiter was built before it); used
	// only when Envelope.AlignedWindow > 0.
	AlignedOriginNs int64
	// InFlight is the most admissions decided before a window that can be
	// recorded inside it: concurrency × the largest op weight.
	InFlight int64
	// PacerLimited says the harness could not offer the load on schedule, so
	// demand reached the limiter unevenly; RateBasis then says so, since a
	// shortfall of the rate may be the harness's.
	PacerLimited bool
}

// LimiterAccuracy is how closely a rate limiter kept to its own bound over one
// run, as stored in Result.Extras["limiter"] (see Map). Rates are events per
// second, durations nanoseconds. In keyed mode (PerKey) the window figures are
// the worst key's against one key's bound, and the Key* fields describe the keys.
type LimiterAccuracy struct {
	// Admitted is the number of events admitted during the measured window (all
	// keys together).
	Admitted int64 `json:"admitted"`
	// AdmittedRate is Admitted over the measured duration.
	AdmittedRate float64 `json:"admitted_rate"`
	// Limit, Burst and WindowNs are the limiter's configuration.
	Limit    float64 `json:"limit"`
	Burst    int     `json:"burst"`
	WindowNs int64   `json:"window_ns"`
	// RateErrorPct is the sustained rate's error against Limit, in percent:
	// 100·(SteadyRate − Limit)/Limit, positive when the limiter let too much
	// through. Meaningful only when demand exceeded the limit for the whole run.
	// RateBasis says which admissions it counts.
	RateErrorPct float64 `json:"rate_error_pct"`
	// MaxInWindow is the largest number admitted in any window of length WindowNs,
	// sliding in steps of one bin (see BinWidthNs for the resolution); per key, the
	// worst key's.
	MaxInWindow int64 `json:"max_in_window"`
	// Envelope is the most the limiter's own bound allows in such a window (per
	// key when PerKey): Bound names it.
	Envelope float64 `json:"envelope"`
	// ExcessOverEnvelope is max(0, MaxInWindow − Envelope − InFlight): events let
	// through beyond what the limiter's bound allows, less those the recording
	// delay can move into a window (see InFlight).
	ExcessOverEnvelope float64 `json:"excess_over_envelope"`
	// BinWidthNs is the tracker's bin width. MaxInWindow counts windows that start
	// on a bin boundary, so the true maximum over every window of length WindowNs
	// lies between MaxInWindow and MaxInWindow plus one bin's admissions.
	BinWidthNs int64 `json:"bin_width_ns"`
	// AdmittedBins are the admissions per AdmittedBinNs-wide bin from the start of
	// the measured run (the tracker's bins summed, see CoarseBins), so a report can
	// plot the admitted rate at sub-second resolution: a fixed window's burst at
	// each boundary shows as a spike that 1 s intervals average away.
	AdmittedBins []int64 `json:"admitted_bins,omitempty"`
	// AdmittedBinNs is the width of one AdmittedBins bin in ns (50 ms, wider for
	// runs longer than maxCoarseBins·50 ms).
	AdmittedBinNs int64 `json:"admitted_bin_ns,omitempty"`

	// Bound names the bound judged against: the algorithm and its rule, e.g.
	// "sliding log: L per any W", or "configured b + r·w" for a limiter that
	// states none.
	Bound string `json:"bound"`
	// Mode is the mode the limiter ran in, "allow" or "wait": the effective one
	// (a wait-only limiter given no -mode waited), empty when the target did not
	// say. Reports decide allow against wait tables from it first.
	Mode string `json:"mode,omitempty"`
	// SustainedRate is the rate the limiter states it sustains (events/s): Limit,
	// or a little below where the algorithm rounds.
	SustainedRate float64 `json:"sustained_rate"`
	// SteadyRate is the admitted rate over the steady span [SteadyFromNs,
	// SteadyToNs) (the busiest key's when PerKey); RateErrorPct is computed from it.
	SteadyRate   float64 `json:"steady_rate"`
	SteadyFromNs int64   `json:"steady_from_ns"`
	SteadyToNs   int64   `json:"steady_to_ns"`
	// RateBasis says in words which admissions SteadyRate counts and why, for
	// display beside the rate error.
	RateBasis string `json:"rate_basis"`
	// Transient is the limiter's own account of its start-up behaviour, for
	// display when the admitted rate differs from the steady one.
	Transient string `json:"transient,omitempty"`
	// MaxInAlignedWindow is the most admitted in one window aligned to the
	// limiter's origin, counting only bins wholly inside it (a lower bound on the
	// window's count); AlignedEnvelope is the bound for it (L). Both only for
	// limiters with an aligned-window bound and a known origin.
	MaxInAlignedWindow int64   `json:"max_in_aligned_window,omitempty"`
	AlignedEnvelope    float64 `json:"aligned_envelope,omitempty"`
	// Dropped counts admissions reported outside the measured window, which no
	// other figure includes.
	Dropped int64 `json:"dropped,omitempty"`
	// LongestGapNs is the longest time without an admission from the start of the
	// measured window to the end of the steady span (whole bins), and
	// LongestGapAtNs where it began. A limiter with a burst banks up to
	// min(Burst, Rate·gap) events in such a gap: released inside the steady span
	// they read as extra rate, and idle time beyond Burst/Rate is lost for good.
	// RateBasis names a gap whose banking could move the steady rate by more
	// than 1%.
	LongestGapNs   int64 `json:"longest_gap_ns"`
	LongestGapAtNs int64 `json:"longest_gap_at_ns"`
	// InFlight is the most admissions that can be decided before a window and
	// recorded inside it: one op per worker, of the largest weight. Admissions
	// are recorded when the op finishes, so a worker descheduled between the
	// limiter's decision and the finish (or a waiter woken late) moves its
	// admission into a later window; ExcessOverEnvelope allows for them.
	InFlight int64 `json:"in_flight"`

	// PerKey says the limiter keeps one limit per key; the fields below are then
	// set. The tracker follows at most maxTrackedKeys keys; admissions of others
	// count only in Admitted and KeysUntrackedAdmitted.
	PerKey bool `json:"per_key,omitempty"`
	// KeysActive is the number of followed keys with an admission in the window.
	KeysActive int64 `json:"keys_active,omitempty"`
	// KeysOverEnvelope is how many keys exceeded the per-key Envelope in some
	// window; WorstKey is the key with the largest MaxInWindow.
	KeysOverEnvelope int64  `json:"keys_over_envelope,omitempty"`
	WorstKey         uint64 `json:"worst_key,omitempty"`
	// KeyRateMin, KeyRateMedian and KeyRateMax spread the per-key admitted rates
	// (admissions over the measured duration) across the active keys.
	KeyRateMin    float64 `json:"key_rate_min,omitempty"`
	KeyRateMedian float64 `json:"key_rate_median,omitempty"`
	KeyRateMax    float64 `json:"key_rate_max,omitempty"`
	// BusiestKey admitted the most.
	BusiestKey uint64 `json:"busiest_key,omitempty"`
	// KeysHeld is how many keys were held at their limit (admitted at least a
	// window's worth of the sustained rate in the first window); SteadyRate is
	// their mean steady rate.
	KeysHeld int64 `json:"keys_held,omitempty"`
	// KeysAllowance is the sum over the active keys of one key's bound over the
	// whole measured duration, and AllowanceUsedPct the followed keys' admissions
	// as a percentage of it (above 100 means the keys together broke their bounds).
	KeysAllowance    float64 `json:"keys_allowance,omitempty"`
	AllowanceUsedPct float64 `json:"allowance_used_pct,omitempty"`
	// KeysUntrackedAdmitted counts admissions of keys beyond the followed ones.
	KeysUntrackedAdmitted int64 `json:"keys_untracked_admitted,omitempty"`
}

// Coarse admission series geometry: ~50 ms bins, at most maxCoarseBins of them
// (200 s at 50 ms), so the result file stays small however long the run.
const (
	coarseBinWidth = 50 * time.Millisecond
	maxCoarseBins  = 4000
)

// CoarseBins sums the tracker's bins over the first durationNs ns into bins of
// width (a whole number of tracker bins, at least one), widened so there are at
// most maxCoarseBins of them. It returns the sums and the width used in ns; nil
// and 0 when durationNs ≤ 0. The last bin may cover less than a full width when
// durationNs is not a multiple of it. Like Accuracy, it must not run
// concurrently with Admit if its counts are to be exact.
func (t *AdmissionTracker) CoarseBins(width time.Duration, durationNs int64) (bins []int64, widthNs int64) {
	if durationNs <= 0 {
		return nil, 0
	}
	per := max(1, int64(width)/t.binWidth) // tracker bins per coarse bin
	used := min(int64(len(t.bins)), (durationNs+t.binWidth-1)/t.binWidth)
	if n := (used + per - 1) / per; n > maxCoarseBins {
		per = (used + maxCoarseBins - 1) / maxCoarseBins
	}
	bins = make([]int64, (used+per-1)/per)
	for i := range used {
		bins[i/per] += t.bins[i].Load()
	}
	return bins, per * t.binWidth
}

// steadySpan is the part of a measured span of d ns the sustained rate is read
// from, for windows of w ns: everything after the first window, cut to a whole
// number of windows, [w, w + k·w) with k = ⌊(d − w)/w⌋. Skipping the first window
// leaves out the start-up (a bucket's burst, a window algorithm's first window);
// whole windows matter because a window algorithm under steady demand repeats
// one pattern every window, so only a whole number of them has the sustained
// rate whatever their phase. ok is false when d < 2w.
func steadySpan(d, w int64) (from, to int64, ok bool) {
	if w <= 0 || d < 2*w {
		return 0, d, false
	}
	return w, w + (d-w)/w*w, true
}

// Accuracy judges the admissions counted so far against cfg (see AccuracyConfig).
func (t *AdmissionTracker) Accuracy(cfg AccuracyConfig) LimiterAccuracy {
	window := cfg.Window
	if window <= 0 {
		window = time.Second
	}
	env := cfg.Envelope
	if env.Max == nil {
		limit, burst := cfg.Limit, float64(cfg.Burst)
		env = Envelope{Algorithm: "configured", Rule: "b + r·w", Rate: limit, Burst: burst,
			Max: func(w time.Duration) float64 { return burst + limit*w.Seconds() }}
	}
	d := cfg.DurationNs
	if d <= 0 || d > t.end {
		d = t.end
	}
	a := LimiterAccuracy{Limit: cfg.Limit, Burst: cfg.Burst, WindowNs: int64(window), BinWidthNs: t.binWidth,
		Bound: env.Algorithm + ": " + env.Rule, SustainedRate: env.Rate, Transient: env.Transient,
		Dropped: t.dropped.Load(), InFlight: cfg.InFlight}
	used := int(min(int64(len(t.bins)), (d+t.binWidth-1)/t.binWidth))
	// prefix[i] is the admissions in bins [0, i).
	prefix := make([]int64, used+1)
	for i := range used {
		prefix[i+1] = prefix[i] + t.bins[i].Load()
	}
	a.Admitted = prefix[used]
	k := int(max(1, int64(window)/t.binWidth)) // bins per window
	for i := 1; i <= used; i++ {
		a.MaxInWindow = max(a.MaxInWindow, prefix[i]-prefix[max(0, i-k)])
	}
	a.Envelope = env.Max(window)
	if env.AlignedWindow > 0 {
		a.MaxInAlignedWindow = maxInAligned(prefix, t.binWidth, cfg.AlignedOriginNs, int64(env.AlignedWindow))
		a.AlignedEnvelope = env.AlignedMax
	}
	a.AdmittedBins, a.AdmittedBinNs = t.CoarseBins(coarseBinWidth, d)
	secs := float64(d) / 1e9
	if d > 0 {
		a.AdmittedRate = float64(a.Admitted) / secs
	}

	// The sustained rate: over the steady span, in whole bins.
	from, to, steady := steadySpan(int64(used)*t.binWidth, int64(k)*t.binWidth)
	switch {
	case steady:
		a.SteadyFromNs, a.SteadyToNs = from, to
		count := prefix[to/t.binWidth] - prefix[from/t.binWidth]
		a.SteadyRate = float64(count) / (float64(to-from) / 1e9)
		a.RateBasis = fmt.Sprintf("admitted in [%s, %s): the first window (start-up) left out, whole windows only",
			time.Duration(from), time.Duration(to))
	case cfg.StartsFull && env.Burst > 0 && d > 0:
		a.SteadyToNs = d
		a.SteadyRate = (float64(a.Admitted) - env.Burst) / secs
		a.RateBasis = fmt.Sprintf("the whole run, shorter than two windows, less the %.0f-event burst it started with", env.Burst)
	default:
		a.SteadyToNs = d
		a.SteadyRate = a.AdmittedRate
		a.RateBasis = "the whole run, shorter than two windows: includes the start-up"
	}
	if t.keys != nil && env.PerKey {
		t.keys.judge(&a, env, window, d)
	}
	if !a.PerKey {
		a.LongestGapNs, a.LongestGapAtNs = longestGap(prefix, t.binWidth, 0, a.SteadyToNs)
		span := float64(a.SteadyToNs-a.SteadyFromNs) / 1e9
		if banked := min(env.Burst, env.Rate*float64(a.LongestGapNs)/1e9); env.Burst > 0 && span > 0 && banked > 0.01*env.Rate*span {
			a.RateBasis += fmt.Sprintf("; no admission for %s at %s (demand stalled, or the limiter did): it banked %.0f of its %.0f-event burst then, which moves a steady rate near it by up to %.1f%%",
				time.Duration(a.LongestGapNs), time.Duration(a.LongestGapAtNs), banked, env.Burst, 100*banked/(env.Rate*span))
		}
	}
	if cfg.PacerLimited {
		a.RateBasis += "; the harness fell behind its schedule, so demand reached the limiter unevenly: a shortfall may be the harness's"
	}
	a.ExcessOverEnvelope = max(0, float64(a.MaxInWindow)-a.Envelope-float64(cfg.InFlight))
	if cfg.Limit > 0 {
		a.RateErrorPct = 100 * (a.SteadyRate - cfg.Limit) / cfg.Limit
	}
	return a
}

// longestGap is the longest run of empty bins in [from, to) ns and where it
// starts, in ns.
func longestGap(prefix []int64, binWidth, from, to int64) (length, at int64) {
	var run, best, bestAt int64
	for i := from / binWidth; i < min(int64(len(prefix)-1), to/binWidth); i++ {
		if prefix[i+1] != prefix[i] {
			run = 0
			continue
		}
		if run++; run > best {
			best, bestAt = run, i-run+1
		}
	}
	return best * binWidth, bestAt * binWidth
}

// maxInAligned is the largest count in a window [origin + j·w, origin + (j+1)·w)
// that meets the len(prefix)−1 bins, counting only the bins wholly inside it.
func maxInAligned(prefix []int64, binWidth, origin, w int64) int64 {
	bins := int64(len(prefix) - 1)
	var best int64
	// From the last window start at or before 0.
	for start := origin + floorDiv(-origin, w)*w; start < bins*binWidth; start += w {
		first := max(0, -floorDiv(-start, binWidth))   // ⌈start/binWidth⌉
		last := min(bins, floorDiv(start+w, binWidth)) // bins ending by start+w
		if last > first {
			best = max(best, prefix[last]-prefix[first])
		}
	}
	return best
}

// floorDiv is ⌊a/b⌋ for b > 0.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// Map returns a as a map keyed by its JSON field names, the shape of a
// Result.Extras entry: result.Extras["limiter"] = a.Map().
func (a LimiterAccuracy) Map() map[string]any {
	return result.ExtrasMap(a)
}
