package metrics

import (
	"runtime"
	"sync/atomic"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/impls"
)

// Recording slots. An op's latency is recorded once, into the cell of its kind and
// outcome; the all-ops, per-kind and per-outcome histograms are merges of cells,
// built when collected. Recording stays one pass per op however many views a
// result shows, and every view merges losslessly because all share one geometry.
const (
	numKinds = int(impls.NumOpKinds) + 1 // + KindUnknown
	// numOutcomes is the outcomes plus the unfinished slot.
	numOutcomes = int(impls.NumOutcomes) + 1
	// unfinishedSlot is the outcome slot of ops cut off unfinished (censored).
	unfinishedSlot = int(impls.NumOutcomes)
)

// KindUnknown is the op kind of ops that were scheduled but never generated: an
// open loop's backlog still in the schedule at the cut-off, recorded in bulk as
// unfinished. They appear in the all-ops and "unfinished" views, in no kind's.
const KindUnknown = impls.NumOpKinds

// UnfinishedName is the Split.Outcome name of ops cut off unfinished.
const UnfinishedName = "unfinished"

// maxShards bounds the number of recording shards, and so the recorder's memory,
// however many workers a run has.
const maxShards = 64

// Flags say what Record does with an op.
type Flags uint8

const (
	// Counted: the op finished inside the measured window and counts in the
	// outcome counts (and the time series), whenever it was scheduled.
	Counted Flags = 1 << iota
	// Timed: the op belongs to the window's latency population (an open loop's op
	// intended inside the window; a closed loop's op that overlapped it) and was
	// timed; its response and service are recorded.
	Timed
	// WithLag: record started − intended too (open loop only; a closed loop has
	// no lag).
	WithLag
)

// OpCounts are op counts by kind and outcome, the shape workers accumulate
// untimed ops in before handing them to AddCounts.
type OpCounts [impls.NumOpKinds][impls.NumOutcomes]int64

// sampleSet is what one shard accumulates between two interval snapshots. Cells
// are allocated on first use (a cell is ~270 KiB): a run touches a few of the
// kind × outcome combinations.
type sampleSet struct {
	response [numKinds][numOutcomes]*latencyCell
	service  [numKinds][impls.NumOutcomes]*latencyCell
	lag      *latencyCell
	counts   [numKinds][numOutcomes]int64
}

func (s *sampleSet) reset() {
	for k := range s.response {
		for o, c := range s.response[k] {
			if c != nil {
				c.reset()
			}
			if o < int(impls.NumOutcomes) && s.service[k][o] != nil {
				s.service[k][o].reset()
			}
		}
	}
	if s.lag != nil {
		s.lag.reset()
	}
	s.counts = [numKinds][numOutcomes]int64{}
}

// cell returns *p, allocating it on first use.
func cell(p **latencyCell) *latencyCell {
	if *p == nil {
		*p = newCell()
	}
	return *p
}

// mergeInto adds s to dst.
func (s *sampleSet) mergeInto(dst *sampleSet) {
	for k := range s.response {
		for o, c := range s.response[k] {
			if c != nil && c.total > 0 {
				c.addTo(cell(&dst.response[k][o]))
			}
			if o < int(impls.NumOutcomes) {
				if c := s.service[k][o]; c != nil && c.total > 0 {
					c.addTo(cell(&dst.service[k][o]))
				}
			}
			dst.counts[k][o] += s.counts[k][o]
		}
	}
	if s.lag != nil && s.lag.total > 0 {
		s.lag.addTo(cell(&dst.lag))
	}
}

// spinLock guards a shard. It is not a sync.Mutex on purpose: the runtime's
// /sync/mutex/wait metric counts every sync.Mutex wait in the process, and the
// harness's own recording must not show up as the target's lock contention. It
// is held for a few histogram updates, and contended only when two running
// workers share a shard at the same instant.
type spinLock struct{ held atomic.Int32 }

func (l *spinLock) lock() {
	for !l.held.CompareAndSwap(0, 1) {
		runtime.Gosched()
	}
}

func (l *spinLock) unlock() { l.held.Store(0) }

// shard is the recording slot a subset of workers writes into. Cells are not
// goroutine-safe, so each shard has its own lock; the interval collector holds
// it only for a pointer swap. The padding keeps neighbouring shards' locks off one
// cache line.
type shard struct {
	mu    spinLock
	cur   *sampleSet
	spare *sampleSet
	_     [48]byte
}

// Recorder collects op timings and counts from many workers. Record,
// RecordUnfinished, AddCounts and Warm are safe for concurrent use; Prepare,
// Collect and Totals must be called from one goroutine (the run's collector).
//
// All instants are nanoseconds on one monotonic clock (the driver uses time since
// the run's start).
type Recorder struct {
	shards []shard
	mask   int

	interval *sampleSet // scratch for merging one interval's shards
	total    *sampleSet // every collected interval, merged
	// views of the interval: all ops' response, service and lag
	ivResponse, ivService, ivLag *hdr.Histogram
}

// NewRecorder returns a Recorder sized for the given number of workers: one shard
// per worker up to four per processor (more shards than running goroutines buy
// nothing but memory), at most maxShards.
func NewRecorder(workers int) *Recorder {
	limit := min(maxShards, 4*runtime.GOMAXPROCS(0))
	n := 1
	for n < workers && n < limit {
		n *= 2
	}
	r := &Recorder{
		shards: make([]shard, n), mask: n - 1,
		interval: &sampleSet{}, total: &sampleSet{},
		ivResponse: NewHistogram(), ivService: NewHistogram(), ivLag: NewHistogram(),
	}
	for i := range r.shards {
		r.shards[i].cur = &sampleSet{}
		r.shards[i].spare = &sampleSet{}
	}
	return r
}

// Record adds one finished read op that counts in the window and is timed with
// its lag: RecordOp(worker, impls.OpRead, o, intended, started, finished,
// Counted|Timed|WithLag). For fixtures and simple callers.
func (r *Recorder) Record(worker int, intended, started, finished int64, o impls.Outcome) {
	r.RecordOp(worker, impls.OpRead, o, intended, started, finished, Counted|Timed|WithLag)
}

// RecordOp adds one finished op: response = finished − intended, service = finished
// − started, lag = started − intended, as flags say (a closed loop passes intended
// == started and no WithLag). kind must be below impls.NumOpKinds.
func (r *Recorder) RecordOp(worker int, kind impls.OpKind, o impls.Outcome, intended, started, finished int64, flags Flags) {
	s := &r.shards[worker&r.mask]
	s.mu.lock()
	set := s.cur
	if flags&Counted != 0 {
		set.counts[kind][o]++
	}
	if flags&Timed != 0 {
		cell(&set.response[kind][o]).record(clamp(finished-intended), 1)
		cell(&set.service[kind][o]).record(clamp(finished-started), 1)
		if flags&WithLag != 0 {
			cell(&set.lag).record(clamp(started-intended), 1)
		}
	}
	s.mu.unlock()
}

// Warm records nothing, but makes the cells that worker would record an op
// like this one into (kind, outcome o, the instants and flags as RecordOp
// takes them) and maps their pages up to its values, so that the measured
// window's first ops like it do not pay for making them (~270 KiB each) or for
// page faults on their own path. The driver calls it for the warm-up's ops,
// which the window does not record; Prepare then gives every shard, the
// interval and the totals the same cells and mapped pages. Of flags only
// WithLag matters (it makes the lag cell): Warm acts as if the op were timed.
func (r *Recorder) Warm(worker int, kind impls.OpKind, o impls.Outcome, intended, started, finished int64, flags Flags) {
	s := &r.shards[worker&r.mask]
	s.mu.lock()
	set := s.cur
	cell(&set.response[kind][o]).reserve(clamp(finished - intended))
	cell(&set.service[kind][o]).reserve(clamp(finished - started))
	if flags&WithLag != 0 {
		cell(&set.lag).reserve(clamp(started - intended))
	}
	s.mu.unlock()
}

// RecordUnfinished adds n ops cut off unfinished: each is counted as unfinished
// and, when timed, enters the response distribution with wait (its wait so far,
// a censored value: its true response is at least that). No service sample.
// kind may be KindUnknown for ops never generated.
func (r *Recorder) RecordUnfinished(worker int, kind impls.OpKind, wait, n int64, timed bool) {
	if n <= 0 {
		return
	}
	s := &r.shards[worker&r.mask]
	s.mu.lock()
	set := s.cur
	set.counts[kind][unfinishedSlot] += n
	if timed {
		cell(&set.response[kind][unfinishedSlot]).record(clamp(wait), n)
	}
	s.mu.unlock()
}

// AddCounts adds ops counted without timing (finished inside the window) and
// zeroes c.
func (r *Recorder) AddCounts(worker int, c *OpCounts) {
	s := &r.shards[worker&r.mask]
	s.mu.lock()
	for k := range c {
		for o, n := range c[k] {
			s.cur.counts[k][o] += n
		}
	}
	s.mu.unlock()
	*c = OpCounts{}
}

// Group is one op kind's or one outcome's share of a sample.
type Group struct {
	// Kind is set for a per-kind group, Outcome for a per-outcome one
	// (UnfinishedName for the censored waits of ops cut off).
	Kind, Outcome string
	// Count is the group's ops counted in the window (finished inside it, or cut
	// off for "unfinished"), timed or not.
	Count int64
	// Response and Service hold the group's timed ops (Service is empty for
	// "unfinished").
	Response, Service *hdr.Histogram
}

// IntervalSample is what Collect returns: the histograms and counts of the ops
// recorded since the previous Collect. The histograms are owned by the Recorder and
// valid only until the next Collect.
type IntervalSample struct {
	// Response, Service and Lag hold every timed op (Lag is empty for a closed
	// loop; Response includes the censored waits of unfinished ops).
	Response, Service, Lag *hdr.Histogram
	// Counts are the ops counted (finished in the window) per outcome.
	Counts [impls.NumOutcomes]int64
	// Unfinished is the ops cut off unfinished.
	Unfinished int64
	// Groups are the per-kind and per-outcome views, non-empty ones only, kinds
	// first; only Totals fills them.
	Groups []Group
	// Fraction is the share of the counted ops the histograms hold: 1 when
	// every op is timed, in (0, 1) for a random sample, 0 while not yet
	// decided. The recorder does not know it: the driver sets it on the
	// samples it hands to its hooks.
	Fraction float64
}

// Completed is the number of ops the sample counts as finished, whatever their
// outcome (unfinished ops excluded).
func (s IntervalSample) Completed() int64 {
	var n int64
	for _, c := range s.Counts {
		n += c
	}
	return n
}

// Prepare makes, ahead of the first Collect, every cell that the ops recorded
// so far call for, in every shard's sets, the interval and the totals, with
// the pages their values reached mapped (see latencyCell.reserve), so that the
// measured window allocates nothing and faults few pages for ops like them.
// Made at the first boundary instead (~270 KiB each), they cost 3–12 ms there,
// with a garbage collection, while the open loop's workers waited for a
// processor. Meant for the warm-up, once its first ops are in (recorded, or
// made room for with Warm); calling it is optional, and again is harmless.
// Like Collect, it must be called from the collector's goroutine.
func (r *Recorder) Prepare() {
	// The cells any shard has, every shard gets: which worker takes which op
	// is the pacer's choice, and a worker idle through the warm-up may take
	// the window's first op.
	r.eachShard(func(s *shard) {
		s.cur.mirrorInto(r.total)
		s.spare.mirrorInto(r.total)
	})
	r.total.mirrorInto(r.interval)
	r.eachShard(func(s *shard) {
		r.total.mirrorInto(s.cur)
		r.total.mirrorInto(s.spare)
	})
	// The interval's views were made with the recorder and not yet written:
	// clearing them maps their pages now, not at the first Collect.
	r.ivResponse.Reset()
	r.ivService.Reset()
	r.ivLag.Reset()
}

// eachShard calls f on every shard, holding its lock.
func (r *Recorder) eachShard(f func(*shard)) {
	for i := range r.shards {
		s := &r.shards[i]
		s.mu.lock()
		f(s)
		s.mu.unlock()
	}
}

// mirrorInto gives dst a cell wherever s has one, with at least the pages
// mapped that s's has.
func (s *sampleSet) mirrorInto(dst *sampleSet) {
	for k := range s.response {
		for o, c := range s.response[k] {
			if c != nil {
				cell(&dst.response[k][o]).reserveLike(c)
			}
			if o < int(impls.NumOutcomes) && s.service[k][o] != nil {
				cell(&dst.service[k][o]).reserveLike(s.service[k][o])
			}
		}
	}
	if s.lag != nil {
		cell(&dst.lag).reserveLike(s.lag)
	}
}

// Collect swaps every shard's accumulated samples out, merges them into one
// interval sample and into the run totals, and returns the interval sample.
func (r *Recorder) Collect() IntervalSample {
	r.interval.reset()
	for i := range r.shards {
		s := &r.shards[i]
		s.mu.lock()
		full := s.cur
		s.cur, s.spare = s.spare, full
		s.mu.unlock()
		full.mergeInto(r.interval)
		full.reset()
	}
	r.interval.mergeInto(r.total)
	r.ivResponse.Reset()
	r.ivService.Reset()
	r.ivLag.Reset()
	return r.interval.view(r.ivResponse, r.ivService, r.ivLag, false)
}

// Totals returns the merged histograms and counts of every collected interval,
// with the per-kind and per-outcome groups. Call Collect first to include the
// latest ops. The histograms are freshly built and owned by the caller.
func (r *Recorder) Totals() IntervalSample {
	return r.total.view(NewHistogram(), NewHistogram(), NewHistogram(), true)
}

// view merges s's cells into response, service and lag (which must be empty) and,
// with groups, builds the per-kind and per-outcome groups.
func (s *sampleSet) view(response, service, lag *hdr.Histogram, groups bool) IntervalSample {
	out := IntervalSample{Response: response, Service: service, Lag: lag}
	for k := range s.response {
		for o := range s.response[k] {
			if c := s.response[k][o]; c != nil {
				c.addToHistogram(response)
			}
			if o < int(impls.NumOutcomes) {
				if c := s.service[k][o]; c != nil {
					c.addToHistogram(service)
				}
				out.Counts[o] += s.counts[k][o]
			} else {
				out.Unfinished += s.counts[k][o]
			}
		}
	}
	if s.lag != nil {
		s.lag.addToHistogram(lag)
	}
	if !groups {
		return out
	}
	// A group's histograms (two of ~270 KiB) are made only for a group that
	// has something in it: a run touches a few of the kinds and outcomes.
	for k := range int(impls.NumOpKinds) {
		g := Group{Kind: impls.OpKind(k).String()}
		for o := range numOutcomes {
			g.Count += s.counts[k][o]
		}
		if !s.anyTimed(k, k+1, 0, numOutcomes) && g.Count == 0 {
			continue
		}
		g.Response, g.Service = NewHistogram(), NewHistogram()
		for o := range numOutcomes {
			s.addCell(&g, k, o)
		}
		out.Groups = append(out.Groups, g)
	}
	for o := range numOutcomes {
		name := UnfinishedName
		if o < int(impls.NumOutcomes) {
			name = impls.Outcome(o).String()
		}
		g := Group{Outcome: name}
		for k := range numKinds {
			g.Count += s.counts[k][o]
		}
		if !s.anyTimed(0, numKinds, o, o+1) && g.Count == 0 {
			continue
		}
		g.Response, g.Service = NewHistogram(), NewHistogram()
		for k := range numKinds {
			s.addCell(&g, k, o)
		}
		out.Groups = append(out.Groups, g)
	}
	return out
}

// anyTimed reports whether a response cell of kinds [k0, k1) and outcome
// slots [o0, o1) holds a value (a service value always has its response).
func (s *sampleSet) anyTimed(k0, k1, o0, o1 int) bool {
	for k := k0; k < k1; k++ {
		for o := o0; o < o1; o++ {
			if c := s.response[k][o]; c != nil && c.total > 0 {
				return true
			}
		}
	}
	return false
}

// addCell merges cell (k, o) into g.
func (s *sampleSet) addCell(g *Group, k, o int) {
	if c := s.response[k][o]; c != nil {
		c.addToHistogram(g.Response)
	}
	if o < int(impls.NumOutcomes) {
		if c := s.service[k][o]; c != nil {
			c.addToHistogram(g.Service)
		}
	}
}
