package result

import (
	"encoding/base64"
	"fmt"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Histogram geometry shared by every recorded latency, so any two histograms merge
// losslessly: 1 ns to 1 h at 3 significant digits. Every histogram in a result
// file has it.
const (
	// HistogramLowest is the lowest trackable latency, ns.
	HistogramLowest = 1
	// HistogramHighest is the highest trackable latency, ns (one hour); a longer
	// one is recorded as an hour.
	HistogramHighest = int64(time.Hour)
	// HistogramDigits is the number of significant decimal digits kept.
	HistogramDigits = 3
)

// NewHistogram returns an empty latency histogram (nanoseconds) with the
// geometry every result histogram has, for merging decoded ones.
func NewHistogram() *hdr.Histogram {
	return hdr.New(HistogramLowest, HistogramHighest, HistogramDigits)
}

// EncodeHistogram returns h in the HdrHistogram V2 compressed format, base64
// encoded, as stored in results and .hlog files.
func EncodeHistogram(h *hdr.Histogram) (string, error) {
	raw, err := h.Encode(hdr.V2CompressedEncodingCookieBase)
	if err != nil {
		return "", err
	}
	return string(raw), nil
}

// DecodeHistogram parses a histogram written by EncodeHistogram.
func DecodeHistogram(s string) (*hdr.Histogram, error) {
	if _, err := base64.StdEncoding.DecodeString(s); err != nil {
		return nil, fmt.Errorf("histogram is not base64: %v", err)
	}
	h, err := hdr.Decode([]byte(s))
	if err != nil {
		return nil, fmt.Errorf("histogram does not decode: %v", err)
	}
	return h, nil
}

// LatencySummary is the shape of one latency distribution, in nanoseconds. Every
// percentile comes from a merged histogram, never from averaging percentiles.
type LatencySummary struct {
	Count  int64   `json:"count"`
	Min    int64   `json:"min_ns"`
	Mean   float64 `json:"mean_ns"`
	Stddev float64 `json:"stddev_ns"`
	P50    int64   `json:"p50_ns"`
	P90    int64   `json:"p90_ns"`
	P99    int64   `json:"p99_ns"`
	P999   int64   `json:"p999_ns"`
	P9999  int64   `json:"p9999_ns"`
	Max    int64   `json:"max_ns"`
	// LowerBound is set when the distribution holds censored values (the waits
	// so far of ops cut off unfinished): the true percentiles are at least these.
	LowerBound bool `json:"lower_bound,omitempty"`
}

// SummarizePtr is Summarize, or nil for a nil or empty histogram: the shape of
// an optional summary such as Latencies.Lag.
func SummarizePtr(h *hdr.Histogram) *LatencySummary {
	if h == nil || h.TotalCount() == 0 {
		return nil
	}
	s := Summarize(h)
	return &s
}

// Summarize computes a LatencySummary of h, its percentiles by ValueAtQuantile
// (HdrHistogram's reference convention, the rank rounded up). An empty
// histogram gives all zeros.
func Summarize(h *hdr.Histogram) LatencySummary {
	if h == nil || h.TotalCount() == 0 {
		return LatencySummary{}
	}
	return LatencySummary{
		Count:  h.TotalCount(),
		Min:    h.Min(),
		Mean:   h.Mean(),
		Stddev: h.StdDev(),
		P50:    ValueAtQuantile(h, 50),
		P90:    ValueAtQuantile(h, 90),
		P99:    ValueAtQuantile(h, 99),
		P999:   ValueAtQuantile(h, 99.9),
		P9999:  ValueAtQuantile(h, 99.99),
		Max:    h.Max(),
	}
}

// LagOrZero returns the lag summary, or a zero summary when there is none (a
// closed loop): for code that shows a placeholder rather than a figure.
func (l Latencies) LagOrZero() LatencySummary {
	if l.Lag == nil {
		return LatencySummary{}
	}
	return *l.Lag
}

// TrimmedMean is the mean of h's values below its (1 − trim) quantile: the top
// trim share of values (outliers) left out. It returns 0 for an empty histogram.
func TrimmedMean(h *hdr.Histogram, trim float64) float64 {
	total := h.TotalCount()
	if total == 0 {
		return 0
	}
	keep := total - int64(float64(total)*trim)
	var n int64
	var sum float64
	for _, b := range h.Distribution() {
		if b.Count == 0 {
			continue
		}
		c := min(b.Count, keep-n)
		sum += float64(c) * float64(b.From+b.To) / 2
		if n += c; n >= keep {
			break
		}
	}
	return sum / float64(n)
}
