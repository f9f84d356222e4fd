package metrics

import (
	"runtime"
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// The ledger must enter exactly what the runtime counts, for histograms and
// the recorder's cells, or the target's allocations come out wrong by the
// difference times the histograms of a run.
func TestTheLedgerEntersExactlyWhatTheRuntimeCounts(t *testing.T) {
	if !inOwnProcess(t) {
		return
	}
	// One loop, not subtests: a finished subtest's goroutine still formats its
	// report (and, under the race detector, may allocate a printer for it)
	// while the next one counts.
	for _, c := range []struct {
		name string
		make func() any
	}{
		{"latency", func() any { return NewHistogram() }},
		{"lateness", func() any { return NewLatenessHistogram() }},
		{"cell", func() any { return newCell() }},
	} {
		const n = 8 // a few: the rounding is per object, and a short count is a short window
		keep := make([]any, 0, n)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		o0, b0 := HarnessAllocs()
		for range n {
			keep = append(keep, c.make())
		}
		o1, b1 := HarnessAllocs()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(keep)
		if got, want := o1-o0, after.Mallocs-before.Mallocs; got != want {
			t.Errorf("%s: ledger entered %d objects for %d of them, the runtime counted %d", c.name, got, n, want)
		}
		if got, want := b1-b0, after.TotalAlloc-before.TotalAlloc; got != want {
			t.Errorf("%s: ledger entered %d bytes for %d of them, the runtime counted %d", c.name, got, n, want)
		}
	}
}

// HarnessWork enters what its function allocated, less the histograms it made
// (already in the ledger), exactly.
func TestHarnessWorkEntersWhatItsFunctionAllocated(t *testing.T) {
	if !inOwnProcess(t) {
		return
	}
	var keep [][]byte
	var h *hdr.Histogram
	o0, b0 := HarnessAllocs()
	HarnessWork(func() {
		keep = make([][]byte, 0, 100)
		for range 100 {
			keep = append(keep, make([]byte, 1024))
		}
		h = NewHistogram()
	})
	o1, b1 := HarnessAllocs()
	runtime.KeepAlive(keep)
	runtime.KeepAlive(h)
	// 100 KiB buffers, the slice of them (100 × 24 B = 2400 B: size class
	// 2688), and the histogram's own entry.
	if got, want := o1-o0, uint64(100+1+2); got != want {
		t.Errorf("entered %d objects, want %d", got, want)
	}
	if got, want := b1-b0, uint64(100*1024+2688)+latencyHistogramBytes; got != want {
		t.Errorf("entered %d bytes, want %d", got, want)
	}
}
