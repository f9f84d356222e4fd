package metrics

import (
	"runtime"
	"sync/atomic"
	"time"
	"unsafe"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/result"
)

// The harness's own heap allocations during a run. The runtime counts every
// allocation in the process, the harness's with the target's, and the
// harness's are almost all histograms: a recorder allocates a cell (~270 KiB,
// cell.go) the first time an op kind and outcome are recorded in a shard, and
// its interval and total sets on first merge (Recorder.Prepare moves those
// into the warm-up when there is one). Those are a fixed cost per run, not
// per op, but divided by a short run's ops they read as kilobytes per op
// (a 2 s noop run at 5000/s: 0.86 allocs/op, 1.77 KiB/op, all of it the
// recorder's). So every histogram and cell the harness makes is entered in a
// process-wide ledger as it is made, with exactly what the runtime counts for
// it, and Telemetry takes the ledger's growth over a run off the process's
// allocations (RuntimeStats.HarnessAllocs). The ledger is process-wide like the
// runtime's counters it is subtracted from.

var harnessLedger struct {
	// mu makes an allocation and its entry one step for readAllocs. A spin
	// lock, not a sync.Mutex, for the reason the recorder's shards use one
	// (the runtime would report its waits as the target's).
	mu             spinLock
	objects, bytes atomic.Uint64
}

// harnessWork serialises HarnessWork; a spin lock for the reason the ledger's
// is one.
var harnessWork spinLock

// HarnessAllocs returns the heap allocations the harness has entered in its
// ledger since the process started: objects and bytes as the runtime counts
// them (size-class and page rounding included). Safe for concurrent use.
func HarnessAllocs() (objects, bytes uint64) {
	return harnessLedger.objects.Load(), harnessLedger.bytes.Load()
}

// NewLatenessHistogram returns an empty histogram for the harness's own
// figures (its lateness, CPU samples, wake-ups): 1 ns to 1 h at 2 significant
// digits, ~16 KiB, small enough for one per worker. It is entered in the
// harness's allocation ledger, like NewHistogram.
func NewLatenessHistogram() *hdr.Histogram {
	return ledgered(newLateness, latenessHistogramBytes)
}

// ledgered makes a histogram with make, which costs bytes, and enters it in
// the ledger, both under the ledger's lock.
func ledgered(make func() *hdr.Histogram, bytes uint64) *hdr.Histogram {
	harnessLedger.mu.lock()
	defer harnessLedger.mu.unlock()
	h := make()
	harnessLedger.objects.Add(2) // the Histogram and its counts array
	harnessLedger.bytes.Add(bytes)
	return h
}

// What the runtime counts for allocating one histogram of each geometry,
// computed once at start-up so that no run pays for it (see histogramBytes).
var (
	latencyHistogramBytes  = histogramBytes(newLatency())
	latenessHistogramBytes = histogramBytes(newLateness())
)

func newLatency() *hdr.Histogram  { return result.NewHistogram() }
func newLateness() *hdr.Histogram { return hdr.New(1, int64(time.Hour), 2) }

// histogramBytes is what the runtime counts for allocating a histogram like h:
// the Histogram struct in its size class and the counts array in its size
// class or, when large, in whole pages. The rounding is learned from append,
// which grows a slice from nothing to exactly the rounded size of its first
// allocation; counts holds int64s, so its length is ByteSize's variable part.
// (A pointerful object above 512 bytes carries an 8-byte header that noscan
// bytes do not; the Histogram struct is far below that.)
func histogramBytes(h *hdr.Histogram) uint64 {
	n := (h.ByteSize() - (6*8 + 5*4)) / 8
	structBytes := cap(append([]byte(nil), make([]byte, unsafe.Sizeof(hdr.Histogram{}))...))
	countsBytes := 8 * cap(append([]int64(nil), make([]int64, n)...))
	return uint64(structBytes + countsBytes)
}

// HarnessWork runs f, harness work done while a run goes (a hook writing the
// interval log, say), and enters what the process allocated meanwhile in the
// ledger, less the histograms entered in it meanwhile (they are in already).
// The process's allocations are read exactly (ReadMemStats, which stops the
// world for some microseconds, twice), but they are the whole process's:
// whatever the target allocated while f ran is entered too, so the target's
// figure can fall short by its own allocations over f's share of the run
// (an interval log's ~1 ms a second: 0.1%). Meant for the collector and the
// live metrics' scrapes, not for a per-op path. Calls are serialised: two at
// once would each enter the other's allocations too.
func HarnessWork(f func()) {
	harnessWork.lock()
	defer harnessWork.unlock()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	o0, b0 := HarnessAllocs()
	f()
	runtime.ReadMemStats(&after)
	o1, b1 := HarnessAllocs()
	objects := (after.Mallocs - before.Mallocs) - min(o1-o0, after.Mallocs-before.Mallocs)
	bytes := (after.TotalAlloc - before.TotalAlloc) - min(b1-b0, after.TotalAlloc-before.TotalAlloc)
	harnessLedger.mu.lock()
	harnessLedger.objects.Add(objects)
	harnessLedger.bytes.Add(bytes)
	harnessLedger.mu.unlock()
}
