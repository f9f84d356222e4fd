package metrics

import (
	"sync"
	"testing"

	"github.com/syncbench/syncbench/impls"
)

func TestRecorderSplitsResponseServiceAndLag(t *testing.T) {
	r := NewRecorder(1)
	// intended 100, started 400, finished 1000: lag 300, service 600, response 900.
	r.Record(0, 100, 400, 1000, impls.OK)
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

func TestRecorderCollectSwapsIntervalsAndKeepsTotals(t *testing.T) {
	r := NewRecorder(4)
	for i := range 10 {
		r.Record(i%4, 0, 0, 1000, impls.OK)
	}
	first := r.Collect()
	if got := first.Completed(); got != 10 {
		t.Fatalf("first interval holds %d ops, want 10", got)
	}
	r.Record(0, 0, 0, 5000, impls.Denied)
	second := r.Collect()
	if got := second.Completed(); got != 1 || second.Counts[impls.Denied] != 1 {
		t.Fatalf("second interval holds %d ops (%v), want the one denied op", got, second.Counts)
	}
	totals := r.Totals()
	if totals.Completed() != 11 || totals.Counts[impls.OK] != 10 || totals.Response.TotalCount() != 11 {
		t.Fatalf("totals = %v (%d in histogram), want 10 ok + 1 denied", totals.Counts, totals.Response.TotalCount())
	}
}

func TestRecorderClampsOutOfRangeLatencies(t *testing.T) {
	r := NewRecorder(1)
	r.Record(0, 10, 5, 5, impls.OK)                 // started before intended: negative lag
	r.Record(0, 0, 0, 2*highestTrackable, impls.OK) // longer than an hour
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
			for i := range perWorker {
				r.Record(w, 0, int64(i), int64(i+100), impls.OK)
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
