package workloads

import (
	"math"
	"sync/atomic"
	"time"
)

// dueSchedule wraps a run's arrival schedule to count its instants by DUE
// interval, whenever (and whether) a worker claims them: an interval's offered
// count is the schedule's, however far behind the workers are. After the run it
// hands the rest of the schedule, the ops never claimed, to the cut-off
// accounting in bulk.
//
// Next is called by one goroutine at a time (the workers' pacing turn); the
// counts are atomics because the collector reads them while workers claim.
type dueSchedule struct {
	a              Arrivals
	from, to, step int64 // the measured window [from, to) and the series interval, ns
	due            []atomic.Int64
}

func newDueSchedule(a Arrivals, from, to, step int64) *dueSchedule {
	n := (to - from + step - 1) / step
	return &dueSchedule{a: a, from: from, to: to, step: step, due: make([]atomic.Int64, max(n, 1))}
}

// Next returns the schedule's next instant and counts it in its due interval.
func (s *dueSchedule) Next() (time.Duration, bool) {
	offset, ok := s.a.Next()
	if ok {
		s.count(int64(offset), 1)
	}
	return offset, ok
}

// count adds n instants due at at to their interval, if at is inside the window.
func (s *dueSchedule) count(at, n int64) {
	if at >= s.from && at < s.to {
		s.due[(at-s.from)/s.step].Add(n)
	}
}

// dueIn returns the instants due in interval i of the window (0 outside it).
func (s *dueSchedule) dueIn(i int) int64 {
	if i < 0 || i >= len(s.due) {
		return 0
	}
	return s.due[i].Load()
}

// total returns the instants due in the whole window.
func (s *dueSchedule) total() int64 {
	var n int64
	for i := range s.due {
		n += s.due[i].Load()
	}
	return n
}

// drain takes the rest of the schedule before until (ns) and reports it as runs
// of instants to visit(first, last, n): n instants, all in [first, last], never
// straddling a due interval or a span whose waits a latency histogram could tell
// apart when measured from waitFrom (see metrics.EquivalentRange), so visit can
// record each run's censored waits with one bulk call. Schedules that can skip
// ahead (the constant rate) are drained in O(runs), independent of the backlog's
// size; others one instant at a time. Call it once the workers have stopped.
func (s *dueSchedule) drain(until, waitFrom int64, runs func(wait int64) (lo, hi int64), visit func(first, last, n int64)) {
	if sk, ok := s.a.(skipper); ok {
		sk.skipBefore(until, func(first, last, n int64) {
			s.count(first, n)
			visit(first, last, n)
		}, s.boundaries(waitFrom, runs))
		return
	}
	for {
		offset, ok := s.a.Next()
		if !ok || int64(offset) >= until {
			return
		}
		at := int64(offset)
		s.count(at, 1)
		visit(at, at, 1)
	}
}

// boundaries returns the split function skipBefore uses: given an instant at, the
// first instant after it that starts a new run (a due interval boundary, or the
// start of the next histogram bucket of waits measured back from waitFrom).
func (s *dueSchedule) boundaries(waitFrom int64, runs func(wait int64) (lo, hi int64)) func(at int64) int64 {
	return func(at int64) int64 {
		next := int64(math.MaxInt64)
		if at < s.from {
			next = s.from
		} else if at < s.to {
			next = s.from + ((at-s.from)/s.step+1)*s.step
		}
		if wait := waitFrom - at; wait > 0 {
			// Waits shrink as instants grow: the run ends where the wait leaves
			// the bucket holding this one, at its lower edge.
			lo, _ := runs(wait)
			next = min(next, waitFrom-lo+1)
		}
		return next
	}
}

// skipper is implemented by schedules that can skip a stretch of instants without
// producing them one by one.
type skipper interface {
	// skipBefore consumes every instant before until, reporting them to visit as
	// runs of n instants in [first, last]; a run never crosses split(first) (the
	// next boundary after first).
	skipBefore(until int64, visit func(first, last, n int64), split func(at int64) int64)
}

// constantSchedule is the constant-rate schedule: the i-th op (from 0) at
// i/rate seconds, computed from i so rounding never accumulates. It knows the
// index of any instant, so the end of a run can count a backlog of 10^14 ops in
// a few thousand steps.
type constantSchedule struct {
	rate float64 // ops/s
	i    float64 // index of the next instant
}

// offsetOf is the instant (ns) of op k, or MaxInt64 past the representable range.
func (c *constantSchedule) offsetOf(k float64) int64 {
	offset := k / c.rate * float64(time.Second)
	if offset >= math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(offset)
}

// Next returns the next instant.
func (c *constantSchedule) Next() (time.Duration, bool) {
	offset := c.i / c.rate * float64(time.Second)
	c.i++
	if offset > math.MaxInt64 {
		return 0, false
	}
	return time.Duration(offset), true
}

// indexAt is the index of the first op at or after t (ns), at least c.i.
func (c *constantSchedule) indexAt(t int64) float64 {
	k := math.Max(c.i, math.Ceil(float64(t)*c.rate/float64(time.Second)))
	for k > c.i && c.offsetOf(k-1) >= t {
		k--
	}
	for c.offsetOf(k) < t {
		k++
	}
	return k
}

func (c *constantSchedule) skipBefore(until int64, visit func(first, last, n int64), split func(at int64) int64) {
	end := c.indexAt(until)
	for c.i < end {
		first := c.offsetOf(c.i)
		stop := math.Min(end, c.indexAt(split(first)))
		if stop <= c.i {
			stop = c.i + 1
		}
		visit(first, c.offsetOf(stop-1), int64(stop-c.i))
		c.i = stop
	}
}
