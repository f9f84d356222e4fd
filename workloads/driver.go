package workloads

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/metrics"
)

// Hooks observe a run as it goes. Every field is optional.
type Hooks struct {
	// OnInterval is called from the collector goroutine after each interval of
	// the measured run, with the interval's figures.
	OnInterval func(iv metrics.Interval)
	// OnSample is called from the collector goroutine with each interval's raw
	// sample (histograms valid only during the call), its offset from the start
	// of the measured run and its length, both in ns. HdrHistogram interval logs
	// are written from it.
	OnSample func(s metrics.IntervalSample, offsetNs, lengthNs int64)
	// OnMeasureStart is called once, from the collector goroutine, when the
	// warm-up is over and the measured window begins (not at all if the run is
	// interrupted during warm-up). Runtime telemetry starts from it.
	OnMeasureStart func()
	// OnAdmit is called by workers, concurrently, for every measured op that ended
	// OK, with its finish instant (ns from the start of the measured run), its key
	// and its weight. Limiter accuracy is computed from these admission instants.
	OnAdmit func(offsetNs int64, key uint64, n int64)
}

// Run is what a finished run produced.
type Run struct {
	// Totals are the merged histograms and outcome counts of every measured op.
	Totals metrics.IntervalSample
	// Series holds one entry per interval of the measured run, plus a final
	// partial one for ops that finished after the end.
	Series []metrics.Interval
	// Offered is the number of ops the schedule asked for in the measured window
	// (open loop) or that workers started in it (closed loop).
	Offered int64
	// Measured is the measured duration: Duration, or less when interrupted.
	Measured time.Duration
	// Start is the wall-clock instant the measured part began.
	Start time.Time
	// Interrupted is set when ctx was cancelled before the run ended.
	Interrupted bool
	// PacerLate summarises how late open-loop ops started against their intended
	// instants, counting only ops a worker claimed before they were due (not
	// those that waited for a free worker: that is queueing, not the pacer).
	// Empty for a closed loop.
	PacerLate metrics.LatencySummary
	// PacerLimited is set when the pacer's lateness p99 exceeded the larger of
	// 100 µs and twice the mean arrival gap: the harness, not the target, set the
	// pace, and the latencies are not clean.
	PacerLimited bool
	// Pacer is the open-loop pacer's own cost (its mode, lateness, spinning,
	// wake-ups and estimated CPU); nil for a closed loop.
	Pacer *PacerStats
}

// pacerLimitFloor is the pacer lateness p99 below which a run is never marked
// pacer-limited: well under a sleeping pacer's ~1 ms overshoot, well above the spin
// wait's microseconds.
const pacerLimitFloor = 100 * time.Microsecond

// Drive applies spec to target until spec.Duration has been measured or ctx is
// cancelled (an interrupt: the partial run is returned with Interrupted set). It
// does not call target.Verify or Close.
func Drive(ctx context.Context, target impls.Target, spec Spec, hooks Hooks) (*Run, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	var arrivals Arrivals
	if spec.Open() {
		arrivals = Constant(spec.Rate)
		if spec.Arrivals != nil {
			var err error
			if arrivals, err = spec.Arrivals(); err != nil {
				return nil, err
			}
		}
	}
	d := &driver{
		spec:         spec,
		open:         spec.Open(),
		target:       target,
		hooks:        hooks,
		rec:          metrics.NewRecorder(spec.Concurrency),
		clock:        newRunClock(),
		measureStart: int64(spec.Warmup),
	}
	d.end = d.measureStart + int64(spec.Duration)
	var opCtx context.Context
	opCtx, d.cancelOps = context.WithCancel(context.Background())
	defer d.cancelOps()
	d.opCtx = opCtx

	// Ops still blocked in the target when the run is over are cut loose, so a
	// blocking target (a limiter's Wait, a full semaphore) cannot hold the run
	// open. A closed loop ends at once: its in-flight ops are not recorded. An
	// open loop first gets a grace period to serve the ops due in the window that
	// are still waiting for a worker or in flight; what is left then ends as
	// Timeout and is recorded, so an overloaded target's backlog is never
	// silently dropped.
	cutAt := d.end
	if spec.Open() {
		cutAt += int64(drainGrace(spec.Duration))
	}
	endTimer := time.AfterFunc(time.Duration(cutAt), func() { d.cutOff.Store(true); d.cancelOps() })
	defer endTimer.Stop()
	watchDone := make(chan struct{})
	defer close(watchDone)
	go func() {
		select {
		case <-ctx.Done():
			d.interrupted.Store(true)
			d.stop.Store(true)
			d.cancelOps()
		case <-watchDone:
		}
	}()

	workersDone := make(chan struct{})
	collectorDone := make(chan struct{})
	go func() { d.collect(workersDone); close(collectorDone) }()
	if spec.Open() {
		d.runOpen(arrivals)
	} else {
		d.runClosed()
	}
	close(workersDone)
	<-collectorDone

	// A run that was not interrupted measured its whole window, even when a
	// shaped schedule had nothing to release at its end.
	measured := d.end - d.measureStart
	if d.interrupted.Load() {
		measured = min(d.stoppedAt, d.end) - d.measureStart
	}
	run := &Run{
		Totals:      d.rec.Totals(),
		Series:      d.series,
		Offered:     d.offered.Load(),
		Measured:    time.Duration(max(measured, 0)),
		Start:       d.clock.base.Add(time.Duration(d.measureStart)),
		Interrupted: d.interrupted.Load(),
	}
	if !spec.Open() {
		run.Offered = run.Totals.Completed()
	}
	if d.pacerLate != nil {
		run.PacerLate = metrics.Summarize(d.pacerLate)
		gap := time.Duration(float64(time.Second) / spec.Rate)
		run.PacerLimited = time.Duration(run.PacerLate.P99) > max(pacerLimitFloor, 2*gap)
	}
	if d.pacer != nil {
		stats := d.pacer.stats(run.PacerLate, run.Measured)
		run.Pacer = &stats
	}
	return run, nil
}

// drainGrace is how long an open loop may go on serving its backlog after the
// measured window: a tenth of the window, at least 100 ms and at most 2 s.
func drainGrace(window time.Duration) time.Duration {
	return min(max(window/10, 100*time.Millisecond), 2*time.Second)
}

// driver is the state of one Drive call.
type driver struct {
	spec         Spec
	open         bool
	target       impls.Target
	hooks        Hooks
	rec          *metrics.Recorder
	clock        runClock
	measureStart int64 // ns on clock
	end          int64 // ns on clock

	opCtx     context.Context
	cancelOps context.CancelFunc

	stop        atomic.Bool // set on interrupt: workers leave after their current op
	interrupted atomic.Bool
	cutOff      atomic.Bool  // set when the end timer cancelled in-flight ops
	offered     atomic.Int64 // open loop: ops scheduled in the measured window
	stoppedAt   int64        // clock when the last worker left

	pacerLate *hdr.Histogram // open loop only; merged from the workers at the end
	pacer     *pacer         // open loop only; its counters are read after the workers are done
	series    []metrics.Interval
}

// finish records one op, unless it is warm-up or was cut off by the end of the run
// rather than timed out by the target. It is on every op's path: keep it small
// enough to inline.
func (d *driver) finish(worker int, op impls.Op, intended, started, finished int64, o impls.Outcome) {
	if intended < d.measureStart || (o == impls.Timeout && !d.open && d.cutOffBy(finished)) {
		return
	}
	d.rec.Record(worker, intended, started, finished, o)
	if o == impls.OK && d.hooks.OnAdmit != nil {
		d.hooks.OnAdmit(finished-d.measureStart, op.Key, op.Units())
	}
}

// cutOffBy reports whether an op that timed out at finished was cut loose by the
// end of the run rather than timed out by the target.
func (d *driver) cutOffBy(finished int64) bool {
	return finished >= d.end && d.cutOff.Load()
}

// runClosed runs spec.Concurrency workers, each starting its next op as soon as
// the previous one (and its think time) is done.
func (d *driver) runClosed() {
	n := d.spec.Concurrency
	quota := int64(-1)
	if d.spec.MaxOps > 0 {
		quota = (d.spec.MaxOps + int64(n) - 1) / int64(n)
	}
	var wg sync.WaitGroup
	var last atomic.Int64
	for w := range n {
		wg.Go(func() {
			gen := newOpGenerator(d.spec, w)
			done := int64(0)
			for !d.stop.Load() {
				op := gen.next()
				started := d.clock.now()
				o := d.target.Do(d.opCtx, op)
				finished := d.clock.now()
				d.finish(w, op, started, started, finished, o)
				if started >= d.measureStart {
					done++
				}
				if finished >= d.end || done == quota {
					break
				}
				if d.spec.Think > 0 {
					time.Sleep(d.spec.Think)
				}
			}
			storeMax(&last, d.clock.now())
		})
	}
	wg.Wait()
	d.stoppedAt = last.Load()
}

// runOpen runs an open loop. Workers claim the instants of the shared schedule
// in turn, wait for each absolute instant themselves (sleep, then a spin that
// yields) and run the op, so no goroutine wake-up sits between an instant and
// its op. How the waiting is shared depends on the rate:
//
//   - Ops far apart (below turnPacingMaxRate): the worker holding the turn waits
//     for its instant before passing the turn on, so one goroutine waits on the
//     clock however many workers the run has. Spinning crowds of workers would
//     compete for the processors and make each other late by milliseconds.
//   - Ops close together: a worker passes the turn on as soon as it has claimed
//     its instant, because handing the turn over takes longer than the gap
//     between ops; the few workers such rates need spin side by side.
//
// When every worker is busy, due instants wait for a worker to claim them: the
// backlog is the schedule itself, nothing is dropped, and each op's response
// time still counts from its intended instant.
func (d *driver) runOpen(arrivals Arrivals) {
	mode, _ := ParsePacer(d.spec.Pacer) // Validate has vetted it
	p := newPacer(mode, d.clock, d.spec.Concurrency, d.spec.Rate)
	defer p.close()
	t := newTurn()
	exhausted := false
	waitHoldingTurn := d.spec.Rate < turnPacingMaxRate
	stopped := func() bool { return d.stop.Load() }
	// pace claims the next instant for worker w and waits for it. It reports
	// the instant, whether it was claimed before it was due (so its lateness is
	// the pacer's, not queueing), and false when the run is over.
	pace := func(w int) (intended int64, idle, ok bool) {
		t.take()
		if exhausted {
			t.pass()
			return 0, false, false
		}
		offset, more := arrivals.Next()
		if !more || int64(offset) >= d.end {
			exhausted = true
			t.pass()
			return 0, false, false
		}
		intended = int64(offset)
		counted := intended >= d.measureStart
		if counted {
			d.offered.Add(1)
		}
		idle = d.clock.now() < intended
		if waitHoldingTurn {
			ok = p.wait(w, intended, stopped, counted)
			t.pass()
			return intended, idle, ok
		}
		t.pass()
		return intended, idle, p.wait(w, intended, stopped, counted)
	}

	lateness := make([]*hdr.Histogram, d.spec.Concurrency)
	var wg sync.WaitGroup
	var last atomic.Int64
	for w := range d.spec.Concurrency {
		late := newLatenessHistogram()
		lateness[w] = late
		wg.Go(func() {
			gen := newOpGenerator(d.spec, w)
			for !d.stop.Load() {
				intended, idle, ok := pace(w)
				if !ok {
					break
				}
				op := gen.next()
				started := d.clock.now()
				if d.cutOff.Load() {
					// Past the drain grace: the backlog ends as timeouts
					// without calling a target that may not honour ctx.
					d.finish(w, op, intended, started, started, impls.Timeout)
					continue
				}
				if idle && intended >= d.measureStart {
					_ = late.RecordValue(max(started-intended, 1))
				}
				o := d.target.Do(d.opCtx, op)
				finished := d.clock.now()
				d.finish(w, op, intended, started, finished, o)
			}
			storeMax(&last, d.clock.now())
		})
	}
	wg.Wait()
	d.stoppedAt = last.Load()
	d.pacerLate = newLatenessHistogram()
	for _, h := range lateness {
		d.pacerLate.Merge(h)
	}
	d.pacer = p
}

// turnPacingMaxRate is the open-loop rate (ops/s) below which the worker holding
// the turn waits for its instant before passing the turn on: at 20,000 ops/s
// ops are 50 µs apart, longer than a worker takes to be woken for the turn.
// Measured on 2 cores: at 5000 ops/s with 64 workers, lag p99 0.1–0.4 ms
// waiting in turn against 16 ms with every worker spinning (512 workers: 0.3–0.7
// ms against 13 ms); at 200,000 ops/s with 4 workers, lag p99.9 about 90 µs
// spinning side by side against 1.5–2.7 ms waiting in turn. Between 20,000 and
// 50,000 ops/s the two are alike.
const turnPacingMaxRate = 20000.0

// newLatenessHistogram records pacer lateness: 1 ns to 1 min at 2 significant
// digits, ~12 KiB, small enough for one per worker.
func newLatenessHistogram() *hdr.Histogram {
	return hdr.New(1, int64(time.Minute), 2)
}

// collect swaps the recorder's samples into the time series at every interval
// boundary of the measured run, and once more after the workers are done.
func (d *driver) collect(workersDone <-chan struct{}) {
	interval := int64(d.spec.Interval)
	from := d.measureStart
	var offeredBefore int64
	add := func(to int64, tail bool) {
		sample := d.rec.Collect()
		offered := d.offered.Load()
		iv := intervalOf(sample, from-d.measureStart, to-from, offered-offeredBefore, d.spec.Open())
		if d.hooks.OnSample != nil && sample.Completed() > 0 {
			d.hooks.OnSample(sample, iv.OffsetNs, iv.DurationNs)
		}
		offeredBefore = offered
		from = to
		if (!tail && iv.DurationNs > 0) || sample.Completed() > 0 {
			d.series = append(d.series, iv)
			if d.hooks.OnInterval != nil {
				d.hooks.OnInterval(iv)
			}
		}
	}
	if d.hooks.OnMeasureStart != nil {
		timer := time.NewTimer(time.Duration(d.measureStart - d.clock.now()))
		select {
		case <-timer.C:
			d.hooks.OnMeasureStart()
		case <-workersDone:
			timer.Stop()
		}
	}
	for boundary := d.measureStart + interval; ; boundary += interval {
		boundary = min(boundary, d.end)
		timer := time.NewTimer(time.Duration(boundary - d.clock.now()))
		select {
		case <-timer.C:
			if boundary >= d.measureStart && !d.stop.Load() {
				add(boundary, false)
			}
			if boundary < d.end && !d.stop.Load() {
				continue
			}
			<-workersDone
		case <-workersDone:
			timer.Stop()
		}
		// The tail: ops that finished after the last boundary (in flight at the
		// end, or everything since the last boundary when interrupted).
		add(max(d.clock.now(), from), true)
		return
	}
}

// intervalOf turns one interval's sample into a time-series point.
func intervalOf(s metrics.IntervalSample, offset, length, offered int64, open bool) metrics.Interval {
	completed := s.Completed()
	if !open {
		offered = completed
	}
	perSecond := func(n int64) float64 {
		if length <= 0 {
			return 0
		}
		return float64(n) / (float64(length) / float64(time.Second))
	}
	resp := metrics.Summarize(s.Response)
	return metrics.Interval{
		OffsetNs:    offset,
		DurationNs:  length,
		Offered:     perSecond(offered),
		Achieved:    perSecond(completed),
		Admitted:    perSecond(s.Counts[impls.OK]),
		OK:          s.Counts[impls.OK],
		Denied:      s.Counts[impls.Denied],
		Timeout:     s.Counts[impls.Timeout],
		Error:       s.Counts[impls.Error],
		ResponseP50: resp.P50,
		ResponseP99: resp.P99,
		ResponseMax: resp.Max,
	}
}

// storeMax raises v to x if x is larger.
func storeMax(v *atomic.Int64, x int64) {
	for {
		cur := v.Load()
		if x <= cur || v.CompareAndSwap(cur, x) {
			return
		}
	}
}
