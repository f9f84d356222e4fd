package metrics

import (
	"sync/atomic"
	"time"
)

// Admission tracker geometry: 1 ms bins, at most maxAdmissionBins of them (8 MiB),
// coarser bins when the expected run is longer than maxAdmissionBins ms (17 min).
const (
	admissionBinWidth = int64(time.Millisecond)
	maxAdmissionBins  = 1 << 20
)

// AdmissionTracker counts a limiter's admissions per time bin, so that the
// limiter's accuracy can be computed after the run without keeping one instant per
// admission: memory is fixed at construction (8 bytes per bin, at most 2^20 bins).
//
// Admit is safe for concurrent use (an atomic add into the bin); Accuracy must not
// run concurrently with Admit if its figures are to be exact.
type AdmissionTracker struct {
	bins     []atomic.Int64
	binWidth int64 // ns
}

// NewAdmissionTracker returns a tracker for a run expected to last expected (the
// measured part, from its start). Bins are 1 ms wide, widened to whole milliseconds
// when expected would need more than 2^20 bins. A non-positive expected duration
// means one second. Admissions past the expected end are counted in the last bin.
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
	return &AdmissionTracker{bins: make([]atomic.Int64, n), binWidth: width}
}

// BinWidth returns the width of one bin, the tracker's time resolution.
func (t *AdmissionTracker) BinWidth() time.Duration { return time.Duration(t.binWidth) }

// Admit records n admissions at offsetNs ns after the start of the measured run.
// Offsets before the start count in the first bin, offsets past the expected end in
// the last one.
func (t *AdmissionTracker) Admit(offsetNs int64, n int64) {
	i := offsetNs / t.binWidth
	if i < 0 {
		i = 0
	} else if i >= int64(len(t.bins)) {
		i = int64(len(t.bins)) - 1
	}
	t.bins[i].Add(n)
}

// LimiterAccuracy is how closely a rate limiter kept to its configuration over one
// run, as stored in Result.Extras["limiter"] (see Map). Rates are events per
// second, durations nanoseconds.
type LimiterAccuracy struct {
	// Admitted is the number of events admitted during the measured run.
	Admitted int64 `json:"admitted"`
	// AdmittedRate is Admitted over the measured duration.
	AdmittedRate float64 `json:"admitted_rate"`
	// Limit, Burst and WindowNs are the limiter's configuration.
	Limit    float64 `json:"limit"`
	Burst    int     `json:"burst"`
	WindowNs int64   `json:"window_ns"`
	// RateErrorPct is the sustained rate's error against Limit, in percent:
	// 100·((Admitted − Burst)/duration − Limit)/Limit. The initial burst is taken
	// out because a limiter that starts full admits it at once on top of the rate;
	// positive means the limiter let too much through. Meaningful only when demand
	// exceeded the limit for the whole run.
	RateErrorPct float64 `json:"rate_error_pct"`
	// MaxInWindow is the largest number admitted in any window of length WindowNs,
	// sliding in steps of one bin (see BinWidthNs for the resolution).
	MaxInWindow int64 `json:"max_in_window"`
	// Envelope is the most an ideal limiter admits in such a window:
	// Burst + Limit·Window.
	Envelope float64 `json:"envelope"`
	// ExcessOverEnvelope is max(0, MaxInWindow − Envelope): events let through
	// beyond what the configuration allows.
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
	for i := int64(0); i < used; i++ {
		bins[i/per] += t.bins[i].Load()
	}
	return bins, per * t.binWidth
}

// Accuracy computes the limiter's accuracy over the first durationNs ns of the
// run, for a limiter configured with limit (events/s), burst and window. A window
// shorter than a bin is treated as one bin, and a window longer than the run as
// the whole run; a non-positive window means one second.
func (t *AdmissionTracker) Accuracy(limit float64, burst int, window time.Duration, durationNs int64) LimiterAccuracy {
	if window <= 0 {
		window = time.Second
	}
	a := LimiterAccuracy{Limit: limit, Burst: burst, WindowNs: int64(window), BinWidthNs: t.binWidth}
	used := len(t.bins)
	if durationNs > 0 {
		used = int(min(int64(used), (durationNs+t.binWidth-1)/t.binWidth))
	}
	k := int(max(1, int64(window)/t.binWidth)) // bins per window
	var inWindow int64
	for i := 0; i < used; i++ {
		c := t.bins[i].Load()
		a.Admitted += c
		inWindow += c
		if i >= k {
			inWindow -= t.bins[i-k].Load()
		}
		a.MaxInWindow = max(a.MaxInWindow, inWindow)
	}
	a.AdmittedBins, a.AdmittedBinNs = t.CoarseBins(coarseBinWidth, durationNs)
	a.Envelope = float64(burst) + limit*window.Seconds()
	a.ExcessOverEnvelope = max(0, float64(a.MaxInWindow)-a.Envelope)
	if durationNs > 0 {
		secs := float64(durationNs) / 1e9
		a.AdmittedRate = float64(a.Admitted) / secs
		if limit > 0 {
			sustained := float64(a.Admitted-int64(burst)) / secs
			a.RateErrorPct = 100 * (sustained - limit) / limit
		}
	}
	return a
}

// Map returns a as a map keyed by its JSON field names, the shape of a
// Result.Extras entry: result.Extras["limiter"] = a.Map().
func (a LimiterAccuracy) Map() map[string]any {
	return extrasOf(a)
}
