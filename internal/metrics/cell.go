package metrics

import (
	"math/bits"
	"sync/atomic"
	"unsafe"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// latencyCell is one of the Recorder's recording cells: a latency distribution
// (nanoseconds) in exactly NewHistogram's bucket layout, kept as a plain counts
// array together with the range of buckets in use.
//
// Why not an hdr.Histogram: the run's collector merges and clears some thirty
// cells at every interval boundary. hdr.Histogram.Merge walks every bucket up
// to the source's largest value through an iterator (~1 ms for a cell holding
// a 10 ms outlier), and Reset clears all 270 KiB; together 4–30 ms of CPU at
// each boundary, during which the open loop's workers waited for a processor
// on 2-core machines: up to 130 ops due and not started per boundary, enough to
// set the run's lag p99. A cell merges and clears only its range in use, with a
// loop over int64s, and turns into an hdr.Histogram (for a summary, a result or
// an interval log) by one RecordValues per populated bucket.
//
// The layout is hdrhistogram-go's for NewHistogram's geometry (1 ns to 1 h at 3
// significant digits: unit magnitude 0, 2048 sub-buckets, 32 buckets), so a
// cell's bucket i is the histogram's counts index i; cell_test.go checks every
// bucket's bounds against the library. A cell is not safe for concurrent use:
// the recorder's shard locks guard it.
type latencyCell struct {
	counts [cellBuckets]int64
	// lo and hi bound the buckets in use, inclusive; lo > hi when empty.
	lo, hi int32
	total  int64
	// mapped is how many leading pages of counts reserve has written to, so
	// that the kernel has mapped them.
	mapped int32
}

// The bucket layout of NewHistogram's geometry, as hdrhistogram-go computes it:
// 3 significant digits need single-ns resolution up to 2·10³, so 2^11 = 2048
// sub-buckets (half of them, 1024, per bucket after the first); the smallest
// value not covered by b buckets is 2048·2^(b-1), so 1 h (3.6·10¹² ns) needs
// 32 buckets, and the flat counts array holds (32+1)·1024 entries.
const (
	subBucketHalfCountMagnitude = 10
	subBucketHalfCount          = 1 << subBucketHalfCountMagnitude
	subBucketMask               = 2*subBucketHalfCount - 1
	cellBucketCount             = 32
	cellBuckets                 = (cellBucketCount + 1) * subBucketHalfCount
)

// bucketOf returns the bucket of v, which must lie in [0, highestTrackable].
func bucketOf(v int64) int32 {
	bucket := 64 - bits.LeadingZeros64(uint64(v)|subBucketMask) - (subBucketHalfCountMagnitude + 1)
	sub := v >> bucket
	return int32((bucket+1)<<subBucketHalfCountMagnitude) + int32(sub) - subBucketHalfCount
}

// bucketValue returns the lowest value of bucket i, the value hdrhistogram-go
// reports for it.
func bucketValue(i int32) int64 {
	bucket := i>>subBucketHalfCountMagnitude - 1
	sub := int64(i&(subBucketHalfCount-1)) + subBucketHalfCount
	if bucket < 0 {
		sub -= subBucketHalfCount
		bucket = 0
	}
	return sub << bucket
}

// newCell returns an empty cell, entered in the harness's allocation ledger
// (harness_allocs.go) like every histogram the harness makes. Its pages are
// mapped by the kernel at their first write: see reserve.
func newCell() *latencyCell {
	harnessLedger.mu.lock()
	defer harnessLedger.mu.unlock()
	c := &latencyCell{lo: cellBuckets, hi: -1}
	harnessLedger.objects.Add(1)
	harnessLedger.bytes.Add(latencyCellBytes)
	return c
}

// countsPerPage is how many counts one 4 KiB page holds. A cell is a large
// object, so the runtime places it, and counts as its first field, at the
// start of a page.
const countsPerPage = 4096 / int32(unsafe.Sizeof(int64(0)))

// reserve writes to every page of counts from the first up to the one holding
// v's bucket, so that the kernel maps them now rather than at their first use
// inside the measured window, where a page fault costs ~11 µs on the harness's
// path (and the collector's first merge into a new cell took up to 2 ms at the
// window's first boundary). Only the pages the warm-up's values reach are
// reserved, not all 68 of a cell: faulting in every page of the ~30 cells a
// 4-worker open loop makes cost ~40 ms of CPU per run, most of a low-rate
// run's set-up; a value beyond the reserved prefix maps its page on first use.
// v must lie in [0, highestTrackable]; the counts are not changed.
func (c *latencyCell) reserve(v int64) {
	last := bucketOf(v) / countsPerPage
	for ; c.mapped <= last; c.mapped++ {
		// An atomic add of 0 is a write the compiler cannot drop, and leaves
		// a count already there as it was.
		atomic.AddInt64(&c.counts[c.mapped*countsPerPage], 0)
	}
}

// reserveLike reserves in c every page src has reserved.
func (c *latencyCell) reserveLike(src *latencyCell) {
	if src.mapped > 0 {
		c.reserve(bucketValue(src.mapped*countsPerPage - 1))
	}
}

// latencyCellBytes is what the runtime counts for allocating one cell: a
// pointer-free object, rounded up to its size class or, when large, to whole
// pages, as append's growth from nothing reveals.
var latencyCellBytes = uint64(cap(append([]byte(nil), make([]byte, unsafe.Sizeof(latencyCell{}))...)))

// record adds n values of v, which the caller has clamped into the trackable
// range; n must not be negative.
func (c *latencyCell) record(v, n int64) {
	if n == 0 {
		return
	}
	i := bucketOf(v)
	c.counts[i] += n
	c.total += n
	c.lo = min(c.lo, i)
	c.hi = max(c.hi, i)
}

// addTo adds c's counts to dst.
func (c *latencyCell) addTo(dst *latencyCell) {
	if c.total == 0 {
		return
	}
	from, to := c.counts[c.lo:c.hi+1], dst.counts[c.lo:c.hi+1]
	for i, n := range from {
		to[i] += n
	}
	dst.total += c.total
	dst.lo = min(dst.lo, c.lo)
	dst.hi = max(dst.hi, c.hi)
}

// addToHistogram adds c's counts to h, which must have NewHistogram's geometry.
func (c *latencyCell) addToHistogram(h *hdr.Histogram) {
	if c.total == 0 {
		return
	}
	for i := c.lo; i <= c.hi; i++ {
		if n := c.counts[i]; n != 0 {
			_ = h.RecordValues(bucketValue(i), n) // cannot fail: the same layout
		}
	}
}

// reset empties c, clearing only the buckets that were in use.
func (c *latencyCell) reset() {
	if c.total == 0 {
		return
	}
	clear(c.counts[c.lo : c.hi+1])
	c.lo, c.hi, c.total = cellBuckets, -1, 0
}
