package workloads

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// Window accounting. The measured window is [W0, W1) on the run clock (W0 = the
// warm-up's end, W1 = W0 + Duration). Two populations are measured in it, on
// purpose different:
//
//   - Counts and rates (completions, admissions, achieved, OnAdmit) are what
//     HAPPENED inside the window: an op counts when it finished in [W0, W1),
//     whenever it was scheduled. An open loop's warm-up backlog served inside
//     the window is counted; an op finishing after W1 is not.
//   - Latencies (response, service, lag, the splits) describe the ops the
//     window ASKED for: an open loop's ops intended in [W0, W1), however late
//     they finished; a closed loop's ops that overlapped the window (started
//     before W1 and still running at W0, so a worker starved since the warm-up
//     is seen).
//
// After W1 no new op is started (a closed loop) or scheduled (an open loop), and
// the ops of the window still queued or in flight get a grace (drainGrace) to
// finish: their latencies are recorded, their completions are not counted. At
// the cut-off (W1 + grace) whatever is left is unfinished: counted in
// Counts.Unfinished, with no service sample, and its wait so far (cut-off −
// intended) enters the response distribution as a censored value, which makes
// the response percentiles lower bounds. An open loop's ops never claimed by a
// worker are counted from the schedule itself, in bulk (dueSchedule.drain), so
// ending a run costs nothing like its backlog.

// Hooks observe a run as it goes. Every field is optional.
type Hooks struct {
	// OnInterval is called from the collector goroutine after each interval of
	// the measured run, with the interval's figures.
	OnInterval func(iv result.Interval)
	// OnSample is called from the collector goroutine with each interval's raw
	// sample (histograms valid only during the call), its offset from the start
	// of the measured run and its length, both in ns. HdrHistogram interval logs
	// are written from it.
	OnSample func(s metrics.IntervalSample, offsetNs, lengthNs int64)
	// OnMeasureStart is called once when the measured window begins: from the
	// collector goroutine when the warm-up is over (not at all if the run is
	// interrupted during it), or, with no warm-up, from Drive before the
	// first op. Runtime telemetry starts from it.
	OnMeasureStart func()
	// OnMeasureEnd is called once, from the collector goroutine, when every
	// op is recorded (the workers are done and the last sample is collected),
	// before the run's result is assembled: runtime telemetry ends there, so
	// merging and encoding the totals is not counted in the run's figures.
	OnMeasureEnd func()
	// OnAdmit is called by workers, concurrently, for every op that ended OK and
	// FINISHED inside the measured window [0, duration), whenever it was intended
	// (an open loop's warm-up backlog included), with its finish instant (ns from
	// the start of the window, so 0 ≤ offsetNs < duration), its key and its
	// weight. Never for an op that finished after the window. Limiter accuracy is
	// computed from these admission instants.
	OnAdmit func(offsetNs int64, key uint64, n int64)
}

// Run is what a finished run produced.
type Run struct {
	// Totals are the merged histograms and counts of the window (see the window
	// accounting above), with the per-kind and per-outcome groups.
	Totals metrics.IntervalSample
	// Series holds one entry per interval of the measured run, plus a final
	// one for what finished or was cut off after the window, if anything was.
	Series []result.Interval
	// Offered is the number of ops the schedule asked for in the window, by due
	// instant (open loop), or the ops completed in it (closed loop).
	Offered int64
	// Measured is the measured duration: Duration, or less when interrupted or
	// when Spec.MaxOps ended a closed loop first (then until its last worker left).
	Measured time.Duration
	// Start is the wall-clock instant the measured part began.
	Start time.Time
	// Interrupted is set when ctx was cancelled before the run ended.
	Interrupted bool
	// Starved is the number of closed-loop ops that spanned the whole window
	// (begun by its start, finished after its end or cut off): workers that
	// waited through the whole measurement. Timed ops only.
	Starved int64
	// Timing says how ops were timed: every op (open loop, or a closed loop of
	// slow ops) or a random sample (a closed loop of cheap ops).
	Timing result.Timing
	// HarnessLag summarises the harness's own lateness in an open loop: per op
	// started in the window, started − max(intended, its worker's previous
	// finish), so queueing behind a busy target is excluded and only the time a
	// free worker took to start a due op counts. nil for a closed loop.
	HarnessLag *result.LatencySummary
	// TargetBusyShare is the share of the workers' time in the window spent
	// inside the target, whichever op (open loop; 0 for a closed loop, whose
	// workers are always in it or recording).
	TargetBusyShare float64
	// PacerLimited is set when the harness could not issue ops on schedule: ops
	// started late beyond pacerLateBound (p99) while a worker was free, or the
	// run fell behind while the workers spent most of their time outside the
	// target. PacerLimitedReason says which, with the measured lateness.
	PacerLimited       bool
	PacerLimitedReason string
	// Pacer is the open-loop pacer's own cost (its mode, lateness, spinning,
	// wake-ups and estimated CPU); nil for a closed loop.
	Pacer *PacerStats
	// TargetCPU holds the thread-CPU span (ns) around Do of each op of a
	// random sample of an open loop's ops, the measurement's own cost
	// included (metrics/runtime.go explains the method); nil for a closed
	// loop, whose CPU is the process's less the harness floor.
	TargetCPU *hdr.Histogram
	// CPUControl holds, for another random sample of an open loop's ops, the
	// same span taken around an empty call in the op's place: the
	// measurement's own cost in the op's position, subtracted on average.
	CPUControl *hdr.Histogram
	// CPUWarm and CPUCold split those samples by how long the op's worker had
	// been idle since its previous op: under cpuWarmGap (back to back: it
	// cannot have slept) or not.
	CPUWarm, CPUCold CPUSample
}

// pacerLateBound is the harness lateness p99 beyond which an open-loop run is
// pacer-limited: twice the lag a spinning or hybrid pacer keeps on these
// machines (~100 µs at p99), far below a sleeping pacer's ~1 ms overshoot.
const pacerLateBound = 200 * time.Microsecond

// harnessBoundShare is the target busy share below which a run that fell behind
// is blamed on the harness: its workers were mostly outside the target.
const harnessBoundShare = 0.5

// Phases of a run, in order; see the window accounting above.
const (
	phaseWarmup  int32 = iota
	phaseMeasure       // inside [W0, W1)
	phaseDrain         // after W1: nothing new starts, the window's ops may finish
	phaseCut           // after the cut-off (or an interrupt): what is left is unfinished
)

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
			if c, ok := arrivals.(constantArrivals); ok {
				arrivals = c.Arrivals // the skipping schedule inside
			}
		}
	}
	// Before the run's clock starts: no op waits for it, and no timer of the
	// run is held up by it.
	collectGarbage()
	if err := waitForStart(ctx, spec); err != nil { // Spec.StartAt
		return nil, err
	}
	d := newDriver(target, spec, hooks, arrivals)
	var opCtx context.Context
	opCtx, d.cancelOps = context.WithCancel(context.Background())
	defer d.cancelOps()
	d.opCtx = opCtx

	// The phase timers. Timed ops are placed in the window by their own
	// timestamps; the phase is what untimed ops and the loops' exits go by.
	var timers []*time.Timer
	at := func(t int64, f func()) { timers = append(timers, time.AfterFunc(time.Duration(t-d.clock.now()), f)) }
	if spec.Warmup > 0 {
		at(d.measureStart, func() { d.phase.CompareAndSwap(phaseWarmup, phaseMeasure) })
	}
	at(d.end, func() { d.phase.CompareAndSwap(phaseMeasure, phaseDrain) })
	at(d.cutAt, func() { d.cut(d.cutAt) })
	defer func() {
		for _, t := range timers {
			t.Stop()
		}
	}()
	watchDone := make(chan struct{})
	defer close(watchDone)
	go func() {
		select {
		case <-ctx.Done():
			d.interrupted.Store(true)
			d.stop.Store(true)
			now := d.clock.now()
			d.windowEnd.Store(max(min(now, d.end), d.measureStart))
			d.cut(now)
		case <-watchDone:
		}
	}()

	if d.measureStart == 0 && d.hooks.OnMeasureStart != nil {
		// No warm-up: the window opens now, before any op. (From the
		// collector goroutine it could open up to a scheduler time slice
		// after the workers started, and their first ops' CPU and
		// allocations would fall outside the runtime figures.)
		d.hooks.OnMeasureStart()
	}
	workersDone := make(chan struct{})
	collectorDone := make(chan struct{})
	go func() { d.collect(workersDone); close(collectorDone) }()
	if d.open {
		d.runOpen(d.due)
		d.countBacklog()
	} else {
		d.runClosed()
	}
	close(workersDone)
	<-collectorDone

	return d.result(), nil
}

// result assembles the Run once the workers and the collector are done.
func (d *driver) result() *Run {
	spec := d.spec
	windowEnd := d.windowEnd.Load()
	run := &Run{
		Totals:      d.rec.Totals(),
		Series:      d.series,
		Measured:    time.Duration(max(windowEnd-d.measureStart, 0)),
		Start:       d.clock.base.Add(time.Duration(d.measureStart)),
		Interrupted: d.interrupted.Load(),
		Starved:     d.starved.Load(),
	}
	if d.cpu != nil {
		run.CPUWarm, run.CPUCold = d.cpu.warm, d.cpu.cold
		all := merged(d.cpu.warm, d.cpu.cold)
		run.TargetCPU, run.CPUControl = all.Ops, all.Controls
	}
	run.Timing = result.Timing{Mode: "full", Fraction: 1, Samples: run.Totals.Response.TotalCount()}
	if f := d.fraction.load(); !d.open && f > 0 && f < 1 {
		run.Timing.Mode, run.Timing.Fraction = "sampled", f
	}
	if d.open {
		run.Offered = d.due.total()
		for i := range run.Series {
			if iv := &run.Series[i]; iv.OffsetNs < int64(spec.Duration) {
				iv.Offered = perSecond(d.dueOver(iv.OffsetNs, iv.DurationNs), iv.DurationNs)
			}
		}
		d.judgePacer(run)
		if d.pacer != nil {
			var lag result.LatencySummary
			if run.HarnessLag != nil {
				lag = *run.HarnessLag
			}
			stats := d.pacer.stats(lag, run.Measured)
			stats.Handoffs, stats.Kept = d.turnHandoffs, d.turnKept
			run.Pacer = &stats
		}
	} else {
		run.Offered = run.Totals.Completed()
		if spec.MaxOps > 0 && run.Offered >= spec.MaxOps {
			// The quota ended the run: it measured until the last worker left.
			run.Measured = min(run.Measured, time.Duration(max(d.stoppedAt-d.measureStart, 0)))
		}
	}
	return run
}

// newDriver sets up the state of one run: its window, phase and schedule.
func newDriver(target impls.Target, spec Spec, hooks Hooks, arrivals Arrivals) *driver {
	clock, measureStart := startClock(spec) // Spec.StartAt, once waitForStart returned
	d := &driver{
		spec:         spec,
		open:         spec.Open(),
		target:       target,
		hooks:        hooks,
		rec:          metrics.NewRecorder(spec.Concurrency),
		kinds:        kindPoolFor(spec),
		clock:        clock,
		measureStart: measureStart,
		cancelOps:    func() {},
	}
	d.end = d.measureStart + int64(spec.Duration)
	d.windowEnd.Store(d.end)
	d.cutAt = d.end + int64(drainGrace(spec.Duration))
	if spec.Warmup == 0 {
		d.phase.Store(phaseMeasure)
	}
	if d.open {
		d.due = newDueSchedule(arrivals, d.measureStart, d.end, int64(spec.Interval))
	}
	return d
}

// collectGarbage runs a garbage collection before the run, as testing.B does
// before each benchmark: a collection the window would otherwise meet is the
// earlier runs' garbage (each run leaves its recorder's tens of MB of cells,
// and a family runs its members one after the other in one process), and it
// would be reported in the runtime line as the target's GC cycles and pauses,
// with the ops it delayed. The cells the run makes in its warm-up are
// collected after it in its own goroutine (the collector's Prepare step). Not
// waited for by the collector's goroutine halfway through the warm-up: with
// more busy workers than processors, runtime.GC's sweep yields each waited a
// scheduler time slice, and the window's runtime figures opened a second late
// (CPU/op of atomic 0.4 ns, not ~15).
func collectGarbage() { runtime.GC() }

// drainGrace is how long the ops of the window may go on after it to finish
// (an open loop's backlog, ops in flight at the end): a tenth of the window, at
// least 100 ms and at most 2 s.
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
	kinds        *kindPool // the op kinds' shuffled decks, shared read-only
	clock        runClock
	measureStart int64 // W0, ns on clock
	end          int64 // W1, ns on clock
	cutAt        int64 // the cut-off, ns on clock

	opCtx     context.Context
	cancelOps context.CancelFunc

	stop        atomic.Bool // set on interrupt: workers leave after their current op
	interrupted atomic.Bool
	phase       atomic.Int32
	// windowEnd is W1, or the interrupt instant when the run was interrupted.
	windowEnd atomic.Int64
	// cutInstant is when the run was cut off (the censored waits' end).
	cutInstant atomic.Int64
	cutOnce    sync.Once
	// starved counts closed-loop ops that spanned the whole window (begun by
	// its start, still running at its end): their workers were starved.
	starved   atomic.Int64
	stoppedAt int64 // clock when the last worker left

	due   *dueSchedule // open loop
	pacer *pacer       // open loop only; its counters are read after the workers are done

	turnHandoffs, turnKept int64 // open loop: how the turn moved between workers
	fraction               sharedFraction

	// open-loop harness figures, merged from the workers at the end
	harnessLate *hdr.Histogram
	busyNs      atomic.Int64
	cpu         *cpuSpans
	series      []result.Interval
}

// cut ends the run at instant now: what is still queued or in the target is
// unfinished, and the target's blocked calls are cancelled.
func (d *driver) cut(now int64) {
	d.cutOnce.Do(func() {
		d.cutInstant.Store(now)
		d.phase.Store(phaseCut)
		d.cancelOps()
	})
}

// cutOff reports whether an op that returned after the cut-off with outcome o
// was cut off by it: the cancelled call of a blocked op returns Timeout (or an
// Error), while an op that returns OK or Denied after the cut-off did finish,
// late, and is recorded like any op finishing after the window.
func cutOff(o impls.Outcome) bool { return o == impls.Timeout || o == impls.Error }

// flagsFor says what to record of an op intended at intended that finished at
// finished: counted when it finished inside the window, timed when the window
// asked for it (see the window accounting).
func (d *driver) flagsFor(intended, started, finished, windowEnd int64) metrics.Flags {
	var f metrics.Flags
	if finished >= d.measureStart && finished < windowEnd {
		f |= metrics.Counted
	}
	if d.open {
		if intended >= d.measureStart && intended < windowEnd {
			f |= metrics.Timed | metrics.WithLag
		}
	} else if started < windowEnd && finished >= d.measureStart {
		f |= metrics.Timed
	}
	return f
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
			d.closedWorker(w, quota)
			storeMax(&last, d.clock.now())
		})
	}
	wg.Wait()
	d.stoppedAt = last.Load()
}

// closedWorker is one closed-loop worker. Untimed ops (sampled mode) run back to
// back with no clock read: they are counted by the phase they finish in and
// handed to the recorder in batches; timed ops are placed by their timestamps.
func (d *driver) closedWorker(w int, quota int64) {
	gen := newOpGenerator(d.spec, w, d.kinds)
	smp := newSampler(&d.fraction, d.spec.Sample, d.spec.Seed, w)
	var counts metrics.OpCounts
	var done int64 // ops counted
	defer func() {
		for _, p := range smp.flush(true) {
			d.rec.RecordOp(w, p.kind, p.o, p.intended, p.started, p.finished, metrics.Timed)
		}
	}()
	listening := d.hooks.OnAdmit != nil
	for !d.stop.Load() {
		if smp.skip > 0 {
			// A run of untimed ops, back to back: no clock read, one atomic
			// load of the phase per op (a read-shared cache line).
			n := min(smp.skip, untimedBatch)
			if quota > 0 {
				n = min(n, quota-done)
			}
			used, counted, over := d.untimedRun(w, gen, &counts, n, listening)
			smp.skip -= used
			if counted > 0 {
				done += counted
				d.rec.AddCounts(w, &counts)
			}
			if over {
				return
			}
			if done == quota {
				return
			}
			continue
		}
		op := gen.next()
		started := d.clock.now()
		o := d.target.Do(d.opCtx, op)
		finished := d.clock.now()
		if d.phase.Load() == phaseCut && cutOff(o) {
			if started <= d.measureStart {
				d.starved.Add(1)
			}
			wait := d.cutInstant.Load() - started
			d.rec.RecordUnfinished(w, op.Kind, wait, 1, smp.timesAll())
			return
		}
		windowEnd := d.windowEnd.Load()
		if started <= d.measureStart && finished >= windowEnd {
			// One op spanned the whole window: its worker was starved.
			d.starved.Add(1)
		}
		flags := d.flagsFor(started, started, finished, windowEnd)
		if !smp.sampled(pendingOp{op.Kind, o, started, started, finished}, flags&metrics.Timed != 0) {
			flags &^= metrics.Timed
		}
		if flags != 0 {
			d.rec.RecordOp(w, op.Kind, o, started, started, finished, flags)
		} else if d.phase.Load() == phaseWarmup {
			d.rec.Warm(w, op.Kind, o, false)
		}
		for _, p := range smp.flush(false) {
			d.rec.RecordOp(w, p.kind, p.o, p.intended, p.started, p.finished, metrics.Timed)
		}
		if flags&metrics.Counted != 0 {
			done++
			if o == impls.OK && d.hooks.OnAdmit != nil {
				d.hooks.OnAdmit(finished-d.measureStart, op.Key, op.Units())
			}
		}
		if finished >= windowEnd || done == quota || d.phase.Load() >= phaseDrain || d.stop.Load() {
			return
		}
		if d.spec.Think > 0 {
			time.Sleep(d.spec.Think)
		}
	}
}

// untimedRun runs up to n untimed ops, counting those that finish inside the
// window into counts (kind × outcome). It returns how many ops it ran and how
// many it counted (warm-up ops run uncounted), and over when the window is over
// (the last op finished after it and is not counted, or was cut off: then it
// is recorded unfinished, outside the sample like every untimed op).
func (d *driver) untimedRun(w int, gen *opGenerator, counts *metrics.OpCounts, n int64, listening bool) (used, counted int64, over bool) {
	// The loop a cheap op pays for. The op is built once and only its kind
	// (and, for specs that vary them, weight and key) changes; the common case
	// (measuring, no think time, no listener, kinds only) runs in countRun,
	// whose few live values keep the spills around the target's call down.
	target, ctx, think := d.target, d.opCtx, d.spec.Think
	op, rare := gen.template, gen.rare()
	plain := !rare && !listening && think == 0
	for used < n {
		kinds := gen.kindRun(n - used)
		if plain && d.phase.Load() == phaseMeasure {
			ran, o, left := countRun(target, ctx, op, kinds, counts, &d.phase)
			used += int64(ran)
			if !left {
				counted += int64(ran)
				continue
			}
			// The last op finished after the window: the phase only moves on.
			counted += int64(ran - 1)
			if d.phase.Load() == phaseCut && cutOff(o) {
				d.rec.RecordUnfinished(w, kinds[ran-1], 0, 1, false)
			}
			return used, counted, true
		}
		for _, kind := range kinds {
			op.Kind = kind
			if rare {
				gen.fillRare(&op)
			}
			o := target.Do(ctx, op)
			used++
			switch d.phase.Load() {
			case phaseMeasure:
			case phaseWarmup:
				if think > 0 {
					time.Sleep(think)
				}
				continue
			case phaseCut:
				if cutOff(o) {
					d.rec.RecordUnfinished(w, kind, 0, 1, false)
				}
				return used, counted, true
			default:
				return used, counted, true
			}
			if listening && o == impls.OK {
				// Admissions need their instant: one clock read per admitted op,
				// only when someone listens.
				at := d.clock.now()
				if at >= d.windowEnd.Load() {
					return used, counted, true
				}
				d.hooks.OnAdmit(at-d.measureStart, op.Key, op.Units())
			}
			counts[kind][o]++
			counted++
			if think > 0 {
				time.Sleep(think)
			}
		}
	}
	return used, counted, false
}

// countRun runs op once per kind of kinds, back to back, counting each outcome
// into counts while the phase stays phaseMeasure. It returns how many ops it
// ran and, when the phase had moved on after the last of them (left), that
// op's outcome, which it did not count.
func countRun(target impls.Target, ctx context.Context, op impls.Op, kinds []impls.OpKind, counts *metrics.OpCounts, phase *atomic.Int32) (ran int, last impls.Outcome, left bool) {
	for i, kind := range kinds {
		op.Kind = kind
		o := target.Do(ctx, op)
		if phase.Load() != phaseMeasure {
			return i + 1, o, true
		}
		counts[kind][o]++
	}
	return len(kinds), 0, false
}

// untimedBatch is how many untimed ops a worker counts before handing them to
// the recorder: small enough that the time series places them within a few
// microseconds, large enough that the hand-over costs under 0.1 ns per op.
const untimedBatch = 1024

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
	t := newTurn(d.clock)
	defer t.close()
	exhausted := false
	waitHoldingTurn := d.spec.Rate < turnPacingMaxRate
	stopped := func() bool { return d.stop.Load() }
	// pace claims the next instant for worker w and waits for it. It reports
	// the instant, whether it was claimed before it was due (so its lateness is
	// the pacer's, not queueing), and false when the run is over.
	pace := func(w int) (intended int64, idle, ok bool) {
		t.take(w)
		if exhausted {
			t.pass()
			return 0, false, false
		}
		offset, more := t.next(arrivals)
		if !more || int64(offset) >= d.end {
			exhausted = true
			t.pass()
			return 0, false, false
		}
		intended = int64(offset)
		counted := intended >= d.measureStart
		idle = d.clock.now() < intended
		if waitHoldingTurn {
			t.prepare(arrivals, intended)
			if ok = p.wait(w, intended, stopped, counted); ok {
				t.release(w)
			} else {
				t.pass()
			}
			return intended, idle, ok
		}
		t.pass()
		return intended, idle, p.wait(w, intended, stopped, counted)
	}

	lateness := make([]*hdr.Histogram, d.spec.Concurrency)
	spans := make([]*cpuSpans, d.spec.Concurrency)
	var wg sync.WaitGroup
	var last atomic.Int64
	for w := range d.spec.Concurrency {
		late, cpu := newLatenessHistogram(), newCPUSpans()
		lateness[w], spans[w] = late, cpu
		wg.Go(func() {
			d.openWorker(w, pace, late, cpu)
			storeMax(&last, d.clock.now())
		})
	}
	wg.Wait()
	d.stoppedAt = last.Load()
	d.pacer = p
	d.turnHandoffs, d.turnKept = t.passed.Load()+t.stolen.Load(), t.kept.Load()
	if t.hasPending && t.pendingMore {
		// An instant the turn claimed early and no worker took: cut off.
		d.unfinishedOpen(0, metrics.KindUnknown, int64(t.pending))
	}
	d.harnessLate = newLatenessHistogram()
	d.cpu = newCPUSpans()
	for w, h := range lateness {
		d.harnessLate.Merge(h)
		d.cpu.merge(spans[w])
	}
}

// openWorker is one open-loop worker: it claims instants with pace and runs
// their ops, timing every one.
func (d *driver) openWorker(w int, pace func(int) (int64, bool, bool), late *hdr.Histogram, spans *cpuSpans) {
	gen := newOpGenerator(d.spec, w, d.kinds)
	cpu := newCPUSampler(d.spec.Rate, d.spec.Seed, w)
	prevFinished, busy := int64(math.MinInt64/2), int64(0) // no previous op: cold
	defer func() { d.busyNs.Add(busy) }()
	for !d.stop.Load() {
		intended, _, ok := pace(w)
		if !ok {
			return
		}
		op := gen.next()
		if d.phase.Load() == phaseCut {
			// Claimed after the cut-off: never started. The rest of the
			// schedule is counted in bulk once the workers are gone.
			d.unfinishedOpen(w, op.Kind, intended)
			return
		}
		started := d.clock.now()
		var o impls.Outcome
		switch gap := started - prevFinished; cpu.next() {
		case cpuOp:
			var ns int64
			if o, ns = doMeasuringCPU(d.opCtx, d.target, op); ns >= 0 {
				spans.record(cpuOp, gap, ns)
			}
		case cpuControl:
			// In the op's place (after the same clock read); the op starts
			// after it, so the control is the harness's lag, not the op's.
			if ns := measureControl(d.opCtx, op); ns >= 0 {
				spans.record(cpuControl, gap, ns)
			}
			started = d.clock.now()
			o = d.target.Do(d.opCtx, op)
		default:
			o = d.target.Do(d.opCtx, op)
		}
		finished := d.clock.now()
		keepControlWarm(d.opCtx, op)
		if d.phase.Load() == phaseCut && cutOff(o) {
			// Still in the target at the cut-off (its call was cancelled).
			d.unfinishedOpen(w, op.Kind, intended)
			return
		}
		d.settleOpen(w, op, o, intended, started, finished)
		// The harness's figures cover what happened in the window, whichever
		// op it was (a warm-up backlog keeps the target busy too).
		windowEnd := d.windowEnd.Load()
		if started >= d.measureStart && started < windowEnd {
			_ = late.RecordValue(min(max(started-max(intended, prevFinished), 1), late.HighestTrackableValue()))
		}
		busy += max(min(finished, windowEnd)-max(started, d.measureStart), 0)
		prevFinished = finished
	}
}

// settleOpen records an open-loop op that finished.
func (d *driver) settleOpen(w int, op impls.Op, o impls.Outcome, intended, started, finished int64) {
	flags := d.flagsFor(intended, started, finished, d.windowEnd.Load())
	if flags != 0 {
		d.rec.RecordOp(w, op.Kind, o, intended, started, finished, flags)
	} else if d.phase.Load() == phaseWarmup {
		d.rec.Warm(w, op.Kind, o, true)
	}
	if flags&metrics.Counted != 0 && o == impls.OK && d.hooks.OnAdmit != nil {
		d.hooks.OnAdmit(finished-d.measureStart, op.Key, op.Units())
	}
}

// unfinishedOpen records an open-loop op cut off before it finished: unfinished,
// with its wait until the cut-off, if the window asked for it.
func (d *driver) unfinishedOpen(w int, kind impls.OpKind, intended int64) {
	if intended >= d.measureStart && intended < d.windowEnd.Load() {
		d.rec.RecordUnfinished(w, kind, d.cutInstant.Load()-intended, 1, true)
	}
}

// countBacklog records the ops of the window the workers never claimed: the rest
// of the schedule up to the window's end, each unfinished with its wait until the
// cut-off, in bulk runs of equal histogram buckets.
func (d *driver) countBacklog() {
	cut := d.cutInstant.Load()
	if cut == 0 {
		return // the workers claimed the whole schedule
	}
	d.due.drain(d.windowEnd.Load(), cut, metrics.EquivalentRange, func(first, last, n int64) {
		if first < d.measureStart {
			// Warm-up ops never served: not the window's. A run never
			// straddles W0 (it is a due-interval boundary).
			return
		}
		d.rec.RecordUnfinished(0, metrics.KindUnknown, cut-first+(first-last)/2, n, true)
	})
}

// judgePacer fills the open loop's harness figures and decides whether the
// harness, not the target, set the pace.
func (d *driver) judgePacer(run *Run) {
	run.HarnessLag = result.SummarizePtr(d.harnessLate)
	if workerNs := float64(d.spec.Concurrency) * float64(run.Measured); workerNs > 0 {
		run.TargetBusyShare = min(float64(d.busyNs.Load())/workerNs, 1)
	}
	// How far behind the run fell: the started ops' lag, or for ops never
	// started the censored wait they had at the cut-off.
	var behind time.Duration
	if lag := result.SummarizePtr(run.Totals.Lag); lag != nil {
		behind = time.Duration(lag.P99)
	}
	if run.Totals.Unfinished > 0 {
		behind = max(behind, time.Duration(run.Totals.Response.ValueAtQuantile(99)))
	}
	switch {
	case run.HarnessLag != nil && time.Duration(run.HarnessLag.P99) > pacerLateBound:
		run.PacerLimited = true
		run.PacerLimitedReason = fmt.Sprintf("ops started up to %s (p99; max %s) after their instant while a worker was free",
			units.DurationNs(run.HarnessLag.P99), units.DurationNs(run.HarnessLag.Max))
	case behind > pacerLateBound && run.TargetBusyShare < harnessBoundShare:
		run.PacerLimited = true
		run.PacerLimitedReason = fmt.Sprintf("ops fell up to %s (p99) behind their schedule while the target was busy only %s of the workers' time",
			units.DurationOf(behind), units.Percent(100*run.TargetBusyShare))
	}
}

// turnPacingMaxRate is the open-loop rate (ops/s) below which the worker holding
// the turn waits for its instant before passing the turn on: at 20,000 ops/s
// ops are 50 µs apart, longer than a worker takes to be woken for the turn.
// Measured on 2 cores: at 5000 ops/s with 64 workers, lag p99 0.1–0.4 ms
// waiting in turn against 16 ms with every worker spinning (512 workers: 0.3–0.7
// ms against 13 ms); at 200,000 ops/s with 4 workers, lag p99.9 about 90 µs
// spinning side by side against 1.5–2.7 ms waiting in turn. Between 20,000 and
// 50,000 ops/s the two are alike. (Those figures are from a sync.Mutex turn and
// the spin pacer on a quiet machine; with the channel turn, A/B on a loaded one
// at 5000 ops/s × 64 workers, 3 interleaved runs: lag p99 58–194 ms with the
// mutex, 27–75 ms with the channel turn and the spin pacer, 13–42 ms hybrid.)
const turnPacingMaxRate = 20000.0

// newLatenessHistogram records harness lateness (metrics.NewLatenessHistogram:
// ~16 KiB, small enough for one per worker, and entered in the harness's
// allocation ledger).
func newLatenessHistogram() *hdr.Histogram { return metrics.NewLatenessHistogram() }

// maxPresizedIntervals bounds the time series collect allocates before the
// window opens: 1 MiB of intervals, a run of 2.8 h at the default 1 s
// interval.
const maxPresizedIntervals = 1 << 20 / int64(unsafe.Sizeof(result.Interval{}))

// collect swaps the recorder's samples into the time series at every interval
// boundary of the measured run, and once more after the workers are done.
func (d *driver) collect(workersDone <-chan struct{}) {
	interval := int64(d.spec.Interval)
	from := d.measureStart
	add := func(to int64, tail bool) {
		sample := d.rec.Collect()
		iv := d.intervalOf(sample, from-d.measureStart, to-from)
		from = to
		onSample := d.hooks.OnSample != nil && sample.Response.TotalCount() > 0
		point := (!tail && iv.DurationNs > 0) || sample.Completed() > 0 || sample.Unfinished > 0 || sample.Response.TotalCount() > 0
		if point {
			d.series = append(d.series, iv)
		}
		onInterval := point && d.hooks.OnInterval != nil
		if onSample || onInterval {
			// The hooks' allocations (an interval log's encoder allocates
			// per count) are the harness's, not the target's: one
			// bracket for both, its two reads stopping the world once each.
			metrics.HarnessWork(func() {
				if onSample {
					d.hooks.OnSample(sample, iv.OffsetNs, iv.DurationNs)
				}
				if onInterval {
					d.hooks.OnInterval(iv)
				}
			})
		}
	}
	if d.measureStart > 0 {
		// Halfway through the warm-up its ops are in the recorder: make the
		// cells the window's collections merge them into now, not at the
		// window's first boundary (see Recorder.Prepare).
		timer := time.NewTimer(time.Duration(d.measureStart/2 - d.clock.now()))
		select {
		case <-timer.C:
			d.rec.Prepare()
			// The cells just made (tens of MB) can leave the heap at the
			// edge of its goal: the window's first allocation would start a
			// collection of the harness's memory, counted as the target's
			// (atomic with 8 workers: 1 GC cycle in 3 of 6 runs). Collect now,
			// from a goroutine of its own: runtime.GC sweeps with a yield
			// per span once its cycle is done, and with more busy workers
			// than processors each yield waits a time slice (see
			// collectGarbage), so the collector does not wait for it. The
			// cycle itself ends in milliseconds.
			go collectGarbage()
		case <-workersDone:
		}
		timer.Reset(time.Duration(d.measureStart - d.clock.now()))
		select {
		case <-timer.C:
			// Ops counted before the window opened cannot exist, but a timed
			// warm-up op may have been recorded as overlapping it: keep it for
			// the window's first interval by not collecting here.
			if d.hooks.OnMeasureStart != nil {
				d.hooks.OnMeasureStart()
			}
		case <-workersDone:
			timer.Stop()
		}
	}
	if d.hooks.OnMeasureEnd != nil {
		defer d.hooks.OnMeasureEnd()
	}
	// One timer and a series sized for the window, so that collecting
	// allocates nothing per interval inside the measured figures; sized up
	// to maxPresizedIntervals (a 30-day run of 10 ms intervals would ask
	// for 27 GB up front), beyond which it grows as intervals come.
	d.series = make([]result.Interval, 0, min(int64(d.spec.Duration/d.spec.Interval)+2, maxPresizedIntervals))
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for boundary := d.measureStart + interval; ; boundary += interval {
		boundary = min(boundary, d.end)
		timer.Reset(time.Duration(boundary - d.clock.now()))
		early := false
		select {
		case <-timer.C:
		case <-workersDone:
			timer.Stop()
			// Done before this boundary (interrupted, or a quota reached):
			// what is left is the tail. Done after it (the timer was merely
			// late, the select chose at random): close the interval first.
			early = d.stop.Load() || d.clock.now() < boundary
		}
		if !early {
			if !d.stop.Load() {
				// A timer late past the next boundaries (a loaded machine): the
				// sample holds every interval since the last one, so it is
				// labelled as covering them all, not as one interval holding
				// several intervals' ops (rates inflated, points missing).
				for now := d.clock.now(); boundary+interval <= min(now, d.end); {
					boundary += interval
				}
				add(boundary, false)
			}
			if boundary < d.end && !d.stop.Load() {
				continue
			}
			<-workersDone
		}
		// The tail: what finished or was cut off after the last boundary (the
		// drain after the window, or everything since the last boundary when
		// interrupted).
		add(max(d.clock.now(), from), true)
		return
	}
}

// intervalOf turns one interval's sample into a time-series point. Its offered
// rate is the schedule's due count so far (final figures are set when the run
// is over, once the backlog is counted).
func (d *driver) intervalOf(s metrics.IntervalSample, offset, length int64) result.Interval {
	completed := s.Completed()
	offered := completed
	if d.open {
		offered = d.dueOver(offset, length)
	}
	// Three quantile reads, a few µs each, not Summarize: its mean, deviation
	// and extremes walk every bucket (~0.7 ms), and this runs at every boundary
	// while the open loop's workers may be waiting for the processor. The 100th
	// percentile is Max, without Max's walk.
	r := s.Response
	p50, p99, pmax := r.ValueAtQuantile(50), r.ValueAtQuantile(99), r.ValueAtQuantile(100)
	return result.Interval{
		OffsetNs:    offset,
		DurationNs:  length,
		Offered:     perSecond(offered, length),
		Achieved:    perSecond(completed, length),
		Admitted:    perSecond(s.Counts[impls.OK], length),
		OK:          s.Counts[impls.OK],
		Denied:      s.Counts[impls.Denied],
		Timeout:     s.Counts[impls.Timeout],
		Error:       s.Counts[impls.Error],
		Unfinished:  s.Unfinished,
		ResponseP50: p50,
		ResponseP99: p99,
		ResponseMax: pmax,
	}
}

// dueOver is the number of instants due in the window's intervals that a
// series point at offset (ns from the window's start) of length ns covers:
// one interval's, unless the collector was late by whole intervals and the
// point covers several (see collect). Both the live point and the final
// figures use it, so a merged point's offered rate is over all it covers.
func (d *driver) dueOver(offset, length int64) int64 {
	var n int64
	step := int64(d.spec.Interval)
	for i := offset / step; i*step < min(offset+max(length, 1), int64(d.spec.Duration)); i++ {
		n += d.due.dueIn(int(i))
	}
	return n
}

// perSecond is n events over length ns as a rate (0 for an empty length).
func perSecond(n, length int64) float64 {
	if length <= 0 {
		return 0
	}
	return float64(n) / (float64(length) / float64(time.Second))
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
