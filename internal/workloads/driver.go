package workloads

import (
	"context"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
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
	// What the window records into is made first, then the heap collected,
	// both before the run's clock starts: no op waits for either, and no
	// timer of the run is held up by them.
	auto := !spec.Open() && spec.Sample == SampleAuto
	if auto {
		spec.Sample = AutoSample(spec) // from the configuration, never the run
	}
	d := prepareDriver(target, spec, hooks)
	d.autoSample = auto
	collectGarbage()
	if err := waitForStart(ctx, spec); err != nil { // Spec.StartAt
		return nil, err
	}
	d.startClock(arrivals)
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
	run.Timing = result.Timing{Mode: "full", Fraction: 1, Samples: run.Totals.Response.TotalCount(), Choice: result.TimingFixed}
	if f := d.spec.Sample; !d.open && f > 0 && f < 1 {
		run.Timing.Mode, run.Timing.Fraction = "sampled", f
	}
	if d.autoSample {
		run.Timing.Choice, run.Timing.ExpectedOpNs = result.TimingAuto, ExpectedOpNs(spec)
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
	d := prepareDriver(target, spec, hooks)
	d.startClock(arrivals)
	return d
}

// prepareDriver builds a driver for spec with everything the window records
// into but its clock (startClock starts it): the recorder, and without a
// warm-up the cells and histograms the window would otherwise make as its
// first ops are recorded (see reserveWindow).
func prepareDriver(target impls.Target, spec Spec, hooks Hooks) *driver {
	d := &driver{
		spec:      spec,
		open:      spec.Open(),
		target:    target,
		hooks:     hooks,
		rec:       metrics.NewRecorder(spec.Concurrency),
		kinds:     kindPoolFor(spec),
		cancelOps: func() {},
	}
	if d.open {
		d.hists = newOpenHists(spec.Concurrency)
	}
	if spec.Warmup == 0 {
		d.reserveWindow()
	}
	return d
}

// startClock starts the run's clock and places the window on it.
func (d *driver) startClock(arrivals Arrivals) {
	d.clock, d.measureStart = startClock(d.spec) // Spec.StartAt, once waitForStart returned
	d.end = d.measureStart + int64(d.spec.Duration)
	d.windowEnd.Store(d.end)
	d.cutAt = d.end + int64(drainGrace(d.spec.Duration))
	if d.spec.Warmup == 0 {
		d.phase.Store(phaseMeasure)
	}
	if d.open {
		d.due = newDueSchedule(arrivals, d.measureStart, d.end, int64(d.spec.Interval))
	}
}

// reserveWindow makes, for a run without a warm-up, the recorder's cells for
// an op of every kind spec deals that ends OK (with its lag in an open loop),
// in every shard, the interval and the totals (Recorder.Prepare): with a
// warm-up its ops make them (Recorder.Warm) and the collector prepares them
// halfway through it. Without one they were made inside the window, ~270 KiB
// each as the first ops were recorded and merged: `-impl noop -rps 5000
// -warmup 0s` grew the heap from 3 to 15 MB in its first second, and the two
// collections that took put its lag p99 at 0.8–2.2 ms against 65–85 µs with a
// warm-up. With no warm-up's values to go by, every page of them is mapped:
// the op warmed here lasts longer than any trackable latency. Other outcomes
// (a limiter's refusals, timeouts) are made when they first occur: which ones
// a target gives is not known before it runs, and each costs as much again.
func (d *driver) reserveWindow() {
	var flags metrics.Flags
	if d.open {
		flags = metrics.WithLag
	}
	const intended, started, finished = 0, math.MaxInt64 / 2, math.MaxInt64
	for _, kind := range specKinds(d.spec) {
		d.rec.Warm(0, kind, impls.OK, intended, started, finished, flags)
	}
	d.rec.Prepare() // no collector goroutine yet: this one stands for it
}

// specKinds are the op kinds a run of spec deals, each once.
func specKinds(spec Spec) []impls.OpKind {
	if kind, ok := singleKind(spec); ok {
		return []impls.OpKind{kind}
	}
	var kinds []impls.OpKind
	for _, k := range newKindDeck(spec.OpMix()) {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	return kinds
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
	// autoSample is set when spec.Sample was SampleAuto and Drive resolved it
	// (AutoSample): the result says so.
	autoSample bool

	// hists are the open loop's own histograms, made before its clock starts
	hists *openHists
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
