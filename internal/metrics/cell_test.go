package metrics

import (
	"fmt"
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

// reserve maps the pages from the first up to v's bucket and no further, and
// leaves the counts already there as they were.
func TestCellReserveMapsThePagesUpToAValue(t *testing.T) {
	c := newCell()
	if c.mapped != 0 {
		t.Fatalf("a new cell has %d pages mapped, want 0: mapping is the warm-up's", c.mapped)
	}
	c.record(100, 3)
	c.record(1_000_000, 2) // 1 ms
	c.reserve(1_000_000)
	wantPages := bucketOf(1_000_000)/countsPerPage + 1
	if c.mapped != wantPages {
		t.Errorf("reserve(1 ms) mapped %d pages, want %d", c.mapped, wantPages)
	}
	if all := int32(cellBuckets) / countsPerPage; wantPages*3 > all {
		t.Errorf("1 ms reaches %d of a cell's %d pages; the test means a short prefix", wantPages, all)
	}
	c.reserve(50) // below what is mapped: nothing to do
	if c.mapped != wantPages {
		t.Errorf("reserve(50 ns) after reserve(1 ms) left %d pages mapped, want %d", c.mapped, wantPages)
	}
	if c.counts[bucketOf(100)] != 3 || c.counts[bucketOf(1_000_000)] != 2 || c.total != 5 {
		t.Errorf("reserve changed the counts: %d at 100 ns, %d at 1 ms, total %d; want 3, 2, 5",
			c.counts[bucketOf(100)], c.counts[bucketOf(1_000_000)], c.total)
	}
	like := newCell()
	like.reserveLike(c)
	if like.mapped != c.mapped {
		t.Errorf("reserveLike mapped %d pages, want the source's %d", like.mapped, c.mapped)
	}
	c.reserve(highestTrackable)
	if all := (int32(cellBuckets) + countsPerPage - 1) / countsPerPage; c.mapped != all {
		t.Errorf("reserve(highest trackable) mapped %d pages, want all %d", c.mapped, all)
	}
}

// Prepare gives every shard's two sets, the interval and the totals the pages
// the warm-up's values reached in any one shard, each cell its own.
func TestPrepareMapsTheWarmupsPagesEverywhere(t *testing.T) {
	r := NewRecorder(4)
	// A read whose response reached 1 ms (lag 900 µs, service 100 µs), on
	// worker 1 only; a denied write on worker 2 with 50 µs throughout.
	r.Warm(1, impls.OpRead, impls.OK, 0, 900_000, 1_000_000, WithLag)
	r.Warm(2, impls.OpWrite, impls.Denied, 0, 0, 50_000, 0)
	r.Prepare()
	pages := func(v int64) int32 { return bucketOf(v)/countsPerPage + 1 }
	check := func(where string, set *sampleSet) {
		t.Helper()
		for _, c := range []struct {
			name string
			cell *latencyCell
			want int32
		}{
			{"read response", set.response[impls.OpRead][impls.OK], pages(1_000_000)},
			{"read service", set.service[impls.OpRead][impls.OK], pages(100_000)},
			{"lag", set.lag, pages(900_000)},
			{"write response", set.response[impls.OpWrite][impls.Denied], pages(50_000)},
			{"write service", set.service[impls.OpWrite][impls.Denied], pages(50_000)},
		} {
			if c.cell == nil {
				t.Errorf("%s: no %s cell after Prepare", where, c.name)
			} else if c.cell.mapped != c.want {
				t.Errorf("%s: %s cell has %d pages mapped, want %d", where, c.name, c.cell.mapped, c.want)
			}
		}
	}
	for i := range r.shards {
		check(fmt.Sprintf("shard %d's current set", i), r.shards[i].cur)
		check(fmt.Sprintf("shard %d's spare set", i), r.shards[i].spare)
	}
	check("the interval", r.interval)
	check("the totals", r.total)
	if c := r.shards[0].cur.response[impls.OpRead][impls.OK]; c == r.shards[1].cur.response[impls.OpRead][impls.OK] {
		t.Error("two shards share a cell")
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
