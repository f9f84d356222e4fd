package workloads

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
)

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
	smp := newSampler(d.spec.Sample, d.spec.Seed, w)
	var counts metrics.OpCounts
	var done int64 // ops counted
	listening := d.hooks.OnAdmit != nil
	// The worker's first op is timed whatever the fraction: a worker that
	// never gets through (a semaphore that starves it) is then seen as
	// starved, its wait censored at the cut-off. Unless every op is timed,
	// a first op that finishes stays out of the sample (its position is not
	// random), and the sample's skips start after it.
	probe := true
	for !d.stop.Load() {
		if smp.skip > 0 && !probe {
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
			d.rec.RecordUnfinished(w, op.Kind, wait, 1, true)
			return
		}
		windowEnd := d.windowEnd.Load()
		if started <= d.measureStart && finished >= windowEnd {
			// One op spanned the whole window: its worker was starved.
			d.starved.Add(1)
		}
		flags := d.flagsFor(started, started, finished, windowEnd)
		if !probe {
			smp.timed()
		} else if !smp.timesAll() {
			flags &^= metrics.Timed
		}
		probe = false
		if flags != 0 {
			d.rec.RecordOp(w, op.Kind, o, started, started, finished, flags)
		} else if d.phase.Load() == phaseWarmup {
			d.rec.Warm(w, op.Kind, o, started, started, finished, 0)
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
