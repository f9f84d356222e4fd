package metrics

import (
	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/syncbench/syncbench/result"
)

// The recorded latencies' geometry is the result format's (result.NewHistogram).
const (
	lowestTrackable  = result.HistogramLowest
	highestTrackable = result.HistogramHighest
)

// NewHistogram returns an empty latency histogram (nanoseconds) with the result
// format's geometry, entered in the harness's allocation ledger
// (harness_allocs.go): histograms made during a run are the harness's.
func NewHistogram() *hdr.Histogram {
	return ledgered(result.NewHistogram, latencyHistogramBytes)
}

// clamp moves latency v into the trackable range: a negative or zero latency
// (clock granularity) counts as 1 ns, one longer than an hour as an hour.
func clamp(v int64) int64 {
	return min(max(v, lowestTrackable), highestTrackable)
}

// EquivalentRange returns the range [lo, hi] of values a latency histogram cannot
// tell from v (v clamped into the trackable range): recording n values anywhere
// in it with one RecordValues call is lossless. Callers that know how many values
// fall in a span (a schedule's backlog, say) record them in bulk range by range.
func EquivalentRange(v int64) (lo, hi int64) {
	i := bucketOf(clamp(v)) // the bucket layout lives in cell.go
	return bucketValue(i), min(bucketValue(i+1)-1, highestTrackable)
}
