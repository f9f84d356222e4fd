package metrics

import (
	"math/rand/v2"
	"testing"

	"github.com/syncbench/syncbench/impls"
)

// A cell's layout must be hdrhistogram-go's for NewHistogram's geometry, bucket
// for bucket: a cell turned into a histogram must hold exactly what recording
// the same values into the histogram holds.
func TestCellBucketsAreTheHistogramsBuckets(t *testing.T) {
	h := NewHistogram()
	if got := (h.ByteSize() - (6*8 + 5*4)) / 8; got != cellBuckets {
		t.Fatalf("the histogram has %d buckets, a cell %d", got, cellBuckets)
	}
	// Every bucket's lowest and highest value (its highest at twice the
	// weight, so that a value put one bucket off shows), into a cell and a
	// histogram.
	c, want := newCell(), NewHistogram()
	for i := range int32(cellBuckets) {
		lo, hi := bucketValue(i), highestTrackable
		if i+1 < cellBuckets {
			hi = bucketValue(i+1) - 1
		}
		for weight, v := range []int64{lo, hi} {
			if v > highestTrackable || (v == highestTrackable && bucketOf(v) != i) {
				continue // the top buckets lie past the trackable range
			}
			if got := bucketOf(v); got != i {
				t.Fatalf("value %d: bucket %d, want %d", v, got, i)
			}
			c.record(v, int64(weight+1))
			_ = want.RecordValues(v, int64(weight+1))
		}
	}
	got := NewHistogram()
	c.addToHistogram(got)
	if !got.Equals(want) {
		t.Fatalf("the cell's buckets are not the histogram's: %d values up to %d, want %d up to %d",
			got.TotalCount(), got.Max(), want.TotalCount(), want.Max())
	}
}

// Recording, merging, clearing and converting cells gives the histogram that
// recording and merging hdr.Histograms gives.
func TestCellsMergeAndResetLikeHistograms(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	value := func() int64 {
		// Latencies from a ns to an hour, log-uniform.
		return clamp(int64(float64(highestTrackable) * rng.Float64() * rng.Float64() * rng.Float64() * rng.Float64()))
	}
	a, b := newCell(), newCell()
	ha, hb := NewHistogram(), NewHistogram()
	for range 10000 {
		v, w := value(), value()
		a.record(v, 1)
		_ = ha.RecordValue(v)
		b.record(w, 3)
		_ = hb.RecordValues(w, 3)
	}
	a.addTo(b)
	hb.Merge(ha)
	got := NewHistogram()
	b.addToHistogram(got)
	if !got.Equals(hb) {
		t.Fatalf("merged cells: %d values, p99 %d; merged histograms: %d values, p99 %d",
			got.TotalCount(), got.ValueAtQuantile(99), hb.TotalCount(), hb.ValueAtQuantile(99))
	}
	b.reset()
	if b.total != 0 || b.lo <= b.hi || b.counts != ([cellBuckets]int64{}) {
		t.Fatalf("reset left total %d, range [%d, %d], or counts behind", b.total, b.lo, b.hi)
	}
	b.record(1000, 1)
	got.Reset()
	b.addToHistogram(got)
	if got.TotalCount() != 1 || got.Max() != 1000 {
		t.Fatalf("a cell reused after reset holds %d values up to %d, want one of 1000", got.TotalCount(), got.Max())
	}
}

// BenchmarkRecorderCollect is one interval boundary of an open loop at 5000/s
// with 64 workers: what the run's collector costs the processors every
// interval (the ops are recorded outside the timer). It was 2.3–2.9 ms with
// hdr.Histogram cells merged by the library's iterator; the pacer's workers
// wait for a processor meanwhile on a 2-core machine.
func BenchmarkRecorderCollect(b *testing.B) {
	r := NewRecorder(64)
	rng := rand.New(rand.NewPCG(1, 2))
	for b.Loop() {
		b.StopTimer()
		for i := range 5000 {
			lag := int64(20_000 + rng.ExpFloat64()*30_000)
			if i%1000 == 0 {
				lag = 3_000_000 // a stalled op now and then
			}
			r.RecordOp(i%64, impls.OpRead, impls.OK, 0, lag, lag+200, Counted|Timed|WithLag)
		}
		b.StartTimer()
		r.Collect()
	}
}
