package workloads

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

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
	interval, choice := d.spec.PacerBatch, ""
	if d.spec.MaxLag > 0 && d.spec.Pacer == "" {
		c := ChoosePacer(d.spec.Rate, d.spec.MaxLag)
		mode, choice = c.Mode, c.Reason
		if interval == 0 {
			interval = c.Batch
		}
	}
	h := d.hists
	if h == nil {
		h = newOpenHists(d.spec.Concurrency)
	}
	p := newPacerWith(mode, d.clock, d.spec.Concurrency, d.spec.Rate, h.wakeLate)
	defer p.close()
	p.setBatch(interval)
	p.choice = choice
	t := newTurn(d.clock)
	defer t.close()
	exhausted := false
	// The batch pacer waits holding the turn at any rate: one goroutine sleeps
	// until the batch's wake-up and then serves every op that came due itself,
	// lending the turn while each op runs, so a batch costs one wake-up
	// however many ops it releases.
	batch := mode == PacerBatch
	t.lazy, t.lazyWindow = batch, max(int64(lendMinWindow), p.batch/4)
	if batch {
		// An alarm left armed for the last lend would ring during the sleep
		// and wake the watchdog for nothing: it is disarmed or set past the
		// wake-up.
		p.beforeSleep = t.asleep
	}
	waitHoldingTurn := d.spec.Rate < turnPacingMaxRate || batch
	stopped := func() bool { return d.stop.Load() }
	// pace claims the next instant for worker w and waits for it. hint is a
	// clock reading w took earlier (its last op's finish), never later than
	// now: where it already shows the instant due, no clock is read for it. It
	// reports the instant, the clock read after the turn was let go if one was
	// (0 if not: then the op's start is read afresh), and false when the run
	// is over.
	pace := func(w int, hint int64) (intended, started int64, ok bool) {
		t.take(w)
		if exhausted {
			t.pass()
			return 0, 0, false
		}
		offset, more := t.next(arrivals)
		if !more || int64(offset) >= d.end {
			exhausted = true
			t.pass()
			return 0, 0, false
		}
		intended = int64(offset)
		counted := intended >= d.measureStart
		if batch {
			// A batch's ops are due when claimed: each clock read costs
			// more than the rest of an op's pacing on a virtual CPU, so
			// read the clock only when the hint cannot tell.
			now := hint
			if now < intended {
				now = d.clock.now()
			}
			if now < intended {
				t.prepare(arrivals, intended)
				if !p.wait(w, intended, stopped, counted) {
					t.pass()
					return intended, 0, false
				}
				now = d.clock.now()
			} else {
				t.prepare(arrivals, intended)
			}
			return intended, t.release(w, now), true
		}
		if waitHoldingTurn {
			t.prepare(arrivals, intended)
			if ok = p.wait(w, intended, stopped, counted); ok {
				t.release(w, 0)
			} else {
				t.pass()
			}
			return intended, 0, ok
		}
		t.pass()
		return intended, 0, p.wait(w, intended, stopped, counted)
	}

	samples := float64(cpuSamplesPerSecond)
	if batch {
		samples = batchCPUSamplesPerSecond
	}
	lateness, spans := h.lateness, h.spans
	var wg sync.WaitGroup
	var last atomic.Int64
	for w := range d.spec.Concurrency {
		late, cpu := lateness[w], spans[w]
		wg.Go(func() {
			d.openWorker(w, pace, samples, late, cpu)
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

// openHists are an open loop's per-worker histograms of its own figures
// (lateness, CPU spans, the pacer's late wake-ups), ~100 KiB a worker, made
// before the run's clock starts: made as the workers started, they were
// allocated in the window's first milliseconds, where ops were due.
type openHists struct {
	lateness, wakeLate []*hdr.Histogram
	spans              []*cpuSpans
}

func newOpenHists(workers int) *openHists {
	h := &openHists{
		lateness: make([]*hdr.Histogram, workers),
		wakeLate: make([]*hdr.Histogram, workers),
		spans:    make([]*cpuSpans, workers),
	}
	for w := range workers {
		h.lateness[w], h.wakeLate[w], h.spans[w] = newLatenessHistogram(), newLatenessHistogram(), newCPUSpans()
	}
	return h
}

// openWorker is one open-loop worker: it claims instants with pace and runs
// their ops, timing every one.
func (d *driver) openWorker(w int, pace func(int, int64) (int64, int64, bool), samples float64, late *hdr.Histogram, spans *cpuSpans) {
	gen := newOpGenerator(d.spec, w, d.kinds)
	cpu := newCPUSampler(d.spec.Rate, samples, d.spec.Seed, w)
	prevFinished, busy := int64(math.MinInt64/2), int64(0) // no previous op: cold
	defer func() { d.busyNs.Add(busy) }()
	for !d.stop.Load() {
		// The op is made before its instant is claimed, so that a start the
		// pacer read as it let the turn go is the op's start.
		op := gen.next()
		intended, started, ok := pace(w, prevFinished)
		if !ok {
			return
		}
		if d.phase.Load() == phaseCut {
			// Claimed after the cut-off: never started. The rest of the
			// schedule is counted in bulk once the workers are gone.
			d.unfinishedOpen(w, op.Kind, intended)
			return
		}
		if started == 0 {
			started = d.clock.now()
		}
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
		d.rec.Warm(w, op.Kind, o, intended, started, finished, metrics.WithLag)
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
		behind = max(behind, time.Duration(result.ValueAtQuantile(run.Totals.Response, 99)))
	}
	// The batch pacer starts ops up to an interval late by design: the bound
	// is that much wider for it.
	bound := pacerLateBound
	if d.pacer != nil {
		bound += time.Duration(d.pacer.batch)
	}
	budget := ""
	if d.spec.MaxLag > 0 {
		// A lag budget replaces the bound: the run is judged against it,
		// whichever pacer ran.
		bound, budget = d.spec.MaxLag, fmt.Sprintf(", over the -max-lag budget of %s", units.DurationOf(d.spec.MaxLag))
	}
	switch {
	case run.HarnessLag != nil && time.Duration(run.HarnessLag.P99) > bound:
		run.PacerLimited = true
		run.PacerLimitedReason = fmt.Sprintf("ops started up to %s (p99; max %s) after their instant while a worker was free%s",
			units.DurationNs(run.HarnessLag.P99), units.DurationNs(run.HarnessLag.Max), budget)
	case behind > bound && run.TargetBusyShare < harnessBoundShare:
		run.PacerLimited = true
		run.PacerLimitedReason = fmt.Sprintf("ops fell up to %s (p99) behind their schedule while the target was busy only %s of the workers' time%s",
			units.DurationOf(behind), units.Percent(100*run.TargetBusyShare), budget)
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
