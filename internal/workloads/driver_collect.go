package workloads

import (
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
)

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
		sample.Fraction = d.timedFraction()
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
	d.awaitWindow(workersDone)
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

// timedFraction is the share of ops timed: 1 for an open loop (every op is
// timed), the sampling fraction for a closed loop.
func (d *driver) timedFraction() float64 {
	if d.open {
		return 1
	}
	return d.spec.Sample
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
	p50, p99, pmax := result.ValueAtQuantile(r, 50), result.ValueAtQuantile(r, 99), result.ValueAtQuantile(r, 100)
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

// awaitWindow waits through the warm-up for the window to open, preparing it
// halfway (the recorder's cells made, the heap collected) so the window's first
// boundary allocates nothing; it returns at once without a warm-up, or when the
// workers finish first.
func (d *driver) awaitWindow(workersDone <-chan struct{}) {
	if d.measureStart <= 0 {
		return
	}
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
