package metrics

import (
	"runtime"
	"sync"
	"testing"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/result"
)

const all = Counted | Timed | WithLag

func TestRecorderSplitsResponseServiceAndLag(t *testing.T) {
	r := NewRecorder(1)
	// intended 100, started 400, finished 1000: lag 300, service 600, response 900.
	r.RecordOp(0, impls.OpRead, impls.OK, 100, 400, 1000, all)
	s := r.Collect()
	for name, tc := range map[string]struct {
		got  int64
		want int64
	}{
		"response": {s.Response.Max(), 900},
		"service":  {s.Service.Max(), 600},
		"lag":      {s.Lag.Max(), 300},
	} {
		if !s.Response.ValuesAreEquivalent(tc.got, tc.want) {
			t.Errorf("%s = %d, want %d", name, tc.got, tc.want)
		}
	}
}

func TestRecorderCountsAndTimesIndependently(t *testing.T) {
	r := NewRecorder(1)
	r.RecordOp(0, impls.OpRead, impls.OK, 0, 0, 10, Counted)           // a warm-up op served in the window
	r.RecordOp(0, impls.OpRead, impls.OK, 0, 0, 20, Timed)             // intended in the window, finished after it
	r.RecordOp(0, impls.OpRead, impls.Denied, 0, 0, 30, Counted|Timed) // a closed-loop op: no lag
	c := OpCounts{}
	c[impls.OpWrite][impls.OK] = 5
	r.AddCounts(0, &c)
	if c != (OpCounts{}) {
		t.Fatalf("AddCounts left %v behind, want the counts zeroed", c)
	}
	r.RecordUnfinished(0, KindUnknown, 1000, 7, true)
	r.RecordUnfinished(0, impls.OpRead, 2000, 1, false)
	s := r.Collect()
	if s.Counts[impls.OK] != 6 || s.Counts[impls.Denied] != 1 || s.Completed() != 7 || s.Unfinished != 8 {
		t.Fatalf("counts %v unfinished %d, want 6 ok (1 + 5 untimed), 1 denied, 8 unfinished", s.Counts, s.Unfinished)
	}
	if s.Response.TotalCount() != 9 || s.Service.TotalCount() != 2 || s.Lag.TotalCount() != 0 {
		t.Fatalf("response %d service %d lag %d values, want 2 timed + 7 censored responses, 2 services, no lag",
			s.Response.TotalCount(), s.Service.TotalCount(), s.Lag.TotalCount())
	}
}

func TestRecorderCollectSwapsIntervalsAndKeepsTotals(t *testing.T) {
	r := NewRecorder(4)
	for i := range 10 {
		r.RecordOp(i%4, impls.OpRead, impls.OK, 0, 0, 1000, all)
	}
	first := r.Collect()
	if got := first.Completed(); got != 10 {
		t.Fatalf("first interval holds %d ops, want 10", got)
	}
	r.RecordOp(0, impls.OpRead, impls.Denied, 0, 0, 5000, all)
	second := r.Collect()
	if got := second.Completed(); got != 1 || second.Counts[impls.Denied] != 1 {
		t.Fatalf("second interval holds %d ops (%v), want the one denied op", got, second.Counts)
	}
	totals := r.Totals()
	if totals.Completed() != 11 || totals.Counts[impls.OK] != 10 || totals.Response.TotalCount() != 11 {
		t.Fatalf("totals = %v (%d in histogram), want 10 ok + 1 denied", totals.Counts, totals.Response.TotalCount())
	}
}

func TestSplitHistogramsMergeLosslesslyIntoTheRunHistogram(t *testing.T) {
	r := NewRecorder(3)
	kinds := []impls.OpKind{impls.OpRead, impls.OpWrite, impls.OpDelete}
	outcomes := []impls.Outcome{impls.OK, impls.Denied, impls.Timeout}
	for i := range 3000 {
		k, o := kinds[i%3], outcomes[(i/3)%3]
		// Distinct values per group, spread over several orders of magnitude.
		v := int64(1+i) * int64(1+int(k)) * 997
		r.RecordOp(i%3, k, o, 0, int64(i), v, all)
	}
	r.RecordUnfinished(1, KindUnknown, 5e9, 11, true)
	r.Collect()
	tot := r.Totals()
	byKind, byOutcome := NewHistogram(), NewHistogram()
	var kindCount, outcomeCount int64
	for _, g := range tot.Groups {
		if g.Kind != "" {
			byKind.Merge(g.Response)
			kindCount += g.Count
		} else {
			byOutcome.Merge(g.Response)
			outcomeCount += g.Count
		}
	}
	// Kinds do not hold the never-generated backlog; outcomes do.
	if outcomeCount != 3011 || kindCount != 3000 {
		t.Fatalf("group counts: kinds %d, outcomes %d; want 3000 and 3011", kindCount, outcomeCount)
	}
	if !byOutcome.Equals(tot.Response) {
		t.Fatal("the per-outcome histograms do not merge back into the run's response histogram")
	}
	withBacklog := NewHistogram()
	withBacklog.Merge(byKind)
	_ = withBacklog.RecordValues(5e9, 11)
	if !withBacklog.Equals(tot.Response) {
		t.Fatal("the per-kind histograms plus the backlog do not merge back into the run's response histogram")
	}
	for _, g := range tot.Groups {
		if g.Kind == "write" && (g.Count != 1000 || g.Response.TotalCount() != 1000) {
			t.Fatalf("write group: count %d, %d values; want 1000", g.Count, g.Response.TotalCount())
		}
		if g.Outcome == UnfinishedName && (g.Count != 11 || g.Service.TotalCount() != 0) {
			t.Fatalf("unfinished group: count %d, %d service values; want 11 and no service", g.Count, g.Service.TotalCount())
		}
	}
	// Encoded and decoded (as stored in a result) they still merge exactly.
	enc, err := result.EncodeHistogram(tot.Groups[0].Response)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := result.DecodeHistogram(enc)
	if err != nil || !dec.Equals(tot.Groups[0].Response) {
		t.Fatalf("a split histogram does not round-trip through its encoding: %v", err)
	}
}

func TestRecorderClampsOutOfRangeLatencies(t *testing.T) {
	r := NewRecorder(1)
	r.RecordOp(0, impls.OpRead, impls.OK, 10, 5, 5, all)                 // started before intended: negative lag
	r.RecordOp(0, impls.OpRead, impls.OK, 0, 0, 2*highestTrackable, all) // longer than an hour
	s := r.Collect()
	if s.Response.TotalCount() != 2 || s.Lag.TotalCount() != 2 {
		t.Fatalf("clamped values were dropped: response %d, lag %d", s.Response.TotalCount(), s.Lag.TotalCount())
	}
	if !s.Response.ValuesAreEquivalent(s.Response.Max(), highestTrackable) {
		t.Errorf("max = %d, want clamped to %d", s.Response.Max(), highestTrackable)
	}
}

func TestRecorderIsSafeForConcurrentWorkersAndCollector(t *testing.T) {
	const workers, perWorker = 8, 2000
	r := NewRecorder(workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			c := OpCounts{}
			for i := range perWorker {
				if i%2 == 0 {
					r.RecordOp(w, impls.OpRead, impls.OK, 0, int64(i), int64(i+100), all)
				} else {
					c[impls.OpRead][impls.OK]++
					r.AddCounts(w, &c)
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	var collected int64
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		collected += r.Collect().Completed()
	}
	if collected != workers*perWorker {
		t.Fatalf("collected %d ops over all intervals, want %d", collected, workers*perWorker)
	}
	if got := r.Totals().Completed(); got != workers*perWorker {
		t.Fatalf("totals hold %d ops, want %d", got, workers*perWorker)
	}
}

// Recording allocates nothing once the cells a run uses exist: the per-op path
// and each interval's collection reuse the same histograms, so the harness's
// allocations are a fixed cost per run, not per op or per interval.
func TestRecordingAllocatesNothingInSteadyState(t *testing.T) {
	if !inOwnProcess(t) {
		return
	}
	r := NewRecorder(4)
	round := func() {
		recordReadsAndDenials(r, 4)
		r.Collect()
	}
	round()
	round() // the spare sets get their cells
	if n := testing.AllocsPerRun(100, round); n != 0 {
		t.Errorf("a steady interval of recording allocated %v times, want 0", n)
	}
}

// After Prepare, the window's recording and collecting allocate nothing, from
// its first interval on, whichever worker takes which op.
func TestPrepareLeavesTheWindowNothingToAllocate(t *testing.T) {
	// The process's malloc count takes what anything else allocates
	// meanwhile, so the count is taken in a process of its own; the cells
	// Prepare left out would show as 44 mallocs.
	if !inOwnProcess(t) {
		return
	}
	r := NewRecorder(4)
	// The warm-up's ops, not recorded, each kind taken by one worker only.
	r.Warm(0, impls.OpRead, impls.OK, 10, 20, 30, WithLag)
	r.Warm(1, impls.OpWrite, impls.Denied, 10, 20, 30, WithLag)
	if s := r.Collect(); s.Completed() != 0 || s.Response.TotalCount() != 0 {
		t.Fatalf("Warm recorded %d ops, %d timings; want none", s.Completed(), s.Response.TotalCount())
	}
	r.Prepare()
	// Not AllocsPerRun: its warm-up call would make the cells itself.
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 2 { // both of each shard's sets
		recordReadsAndDenials(r, 4)
		r.Collect()
	}
	runtime.ReadMemStats(&after)
	if n := after.Mallocs - before.Mallocs; n != 0 {
		t.Errorf("the first intervals after Prepare allocated %d times, want 0", n)
	}
}

// recordReadsAndDenials records, from each of workers workers, one timed read
// that was admitted and one timed write that was denied.
func recordReadsAndDenials(r *Recorder, workers int) {
	for w := range workers {
		r.RecordOp(w, impls.OpRead, impls.OK, 10, 20, 30, Counted|Timed|WithLag)
		r.RecordOp(w, impls.OpWrite, impls.Denied, 10, 20, 30, Counted|Timed|WithLag)
	}
}
