package metrics

import (
	"sync"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/impls"
)

// maxShards bounds the number of recording shards, and so the recorder's memory
// (each shard holds six histograms of ~270 KiB) however many workers a run has.
const maxShards = 64

// sampleSet is what one shard accumulates between two interval snapshots.
type sampleSet struct {
	response, service, lag *hdr.Histogram
	counts                 [impls.NumOutcomes]int64
}

func newSampleSet() *sampleSet {
	return &sampleSet{response: NewHistogram(), service: NewHistogram(), lag: NewHistogram()}
}

func (s *sampleSet) reset() {
	s.response.Reset()
	s.service.Reset()
	s.lag.Reset()
	s.counts = [impls.NumOutcomes]int64{}
}

// mergeInto adds s to dst.
func (s *sampleSet) mergeInto(dst *sampleSet) {
	dst.response.Merge(s.response)
	dst.service.Merge(s.service)
	dst.lag.Merge(s.lag)
	for i, c := range s.counts {
		dst.counts[i] += c
	}
}

// shard is the recording slot a subset of workers writes into. hdrhistogram-go is
// not goroutine-safe, so each shard has its own lock; with at most a few workers per
// shard it is almost never contended, and the interval collector holds it only for
// a pointer swap. The padding keeps neighbouring shards' locks off one cache line.
type shard struct {
	mu    sync.Mutex
	cur   *sampleSet
	spare *sampleSet
	_     [40]byte
}

// Recorder collects op timings from many workers. Record is safe for concurrent
// use; Collect and Totals must be called from one goroutine (the run's collector).
//
// All instants are nanoseconds on one monotonic clock (the driver uses time since
// the run's start).
type Recorder struct {
	shards []shard
	mask   int

	interval *sampleSet // scratch for merging one interval's shards
	total    *sampleSet // every collected interval, merged
}

// NewRecorder returns a Recorder sized for the given number of workers.
func NewRecorder(workers int) *Recorder {
	n := 1
	for n < workers && n < maxShards {
		n *= 2
	}
	r := &Recorder{shards: make([]shard, n), mask: n - 1, interval: newSampleSet(), total: newSampleSet()}
	for i := range r.shards {
		r.shards[i].cur = newSampleSet()
		r.shards[i].spare = newSampleSet()
	}
	return r
}

// Record adds one op: response = finished − intended, service = finished − started,
// lag = started − intended. For a closed loop pass intended == started.
func (r *Recorder) Record(worker int, intended, started, finished int64, o impls.Outcome) {
	s := &r.shards[worker&r.mask]
	s.mu.Lock()
	set := s.cur
	recordClamped(set.response, finished-intended)
	recordClamped(set.service, finished-started)
	recordClamped(set.lag, started-intended)
	set.counts[o]++
	s.mu.Unlock()
}

// IntervalSample is what Collect returns: the histograms and counts of the ops
// recorded since the previous Collect. The histograms are owned by the Recorder and
// valid only until the next Collect.
type IntervalSample struct {
	Response, Service, Lag *hdr.Histogram
	Counts                 [impls.NumOutcomes]int64
}

// Completed is the number of ops the interval holds, whatever their outcome.
func (s IntervalSample) Completed() int64 {
	var n int64
	for _, c := range s.Counts {
		n += c
	}
	return n
}

// Collect swaps every shard's accumulated samples out, merges them into one
// interval sample and into the run totals, and returns the interval sample.
func (r *Recorder) Collect() IntervalSample {
	r.interval.reset()
	for i := range r.shards {
		s := &r.shards[i]
		s.mu.Lock()
		full := s.cur
		s.cur, s.spare = s.spare, full
		s.mu.Unlock()
		full.mergeInto(r.interval)
		full.reset()
	}
	r.interval.mergeInto(r.total)
	return IntervalSample{Response: r.interval.response, Service: r.interval.service, Lag: r.interval.lag, Counts: r.interval.counts}
}

// Totals returns the merged histograms and counts of every collected interval. Call
// Collect first to include the latest ops. Owned by the Recorder.
func (r *Recorder) Totals() IntervalSample {
	return IntervalSample{Response: r.total.response, Service: r.total.service, Lag: r.total.lag, Counts: r.total.counts}
}
