package semaphores

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

func TestJainIndex(t *testing.T) {
	for _, tc := range []struct {
		name   string
		shares []float64
		want   float64
	}{
		{"equal shares are perfectly fair", []float64{7, 7, 7}, 1},
		{"one worker taking everything scores 1/n", []float64{0, 12, 0, 0}, 0.25},
		{"one of two taking twice the other scores 0.9", []float64{1, 2}, 0.9},
		{"unequal shares score (Σx)²/(n·Σx²)", []float64{1, 2, 3}, 36.0 / 42.0},
		{"a single worker is always fair", []float64{42}, 1},
		{"no workers count as fair", nil, 1},
		{"all-zero shares count as fair", []float64{0, 0}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := JainIndex(tc.shares); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("JainIndex(%v) = %v, want %v", tc.shares, got, tc.want)
			}
		})
	}
}

func TestVerifyFailsWhenTheInvariantBreaks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		drive  func(m *meter)
		failed bool
	}{
		{"holding up to the capacity passes", func(m *meter) { m.hold(0, 3); m.hold(1, 1); m.unhold(1); m.unhold(3) }, false},
		{"holding past the capacity fails even after release", func(m *meter) { m.hold(0, 3); m.hold(1, 2); m.unhold(2); m.unhold(3) }, true},
		{"a peak seen by the worker that did not start it still fails", func(m *meter) {
			m.hold(1, 2)
			m.hold(0, 3) // worker 0's add takes it to 5
			m.unhold(2)
			m.unhold(3)
		}, true},
		{"a peak seen by a worker outside the slots still fails", func(m *meter) { m.hold(0, 3); m.hold(9, 2); m.unhold(2); m.unhold(3) }, true},
		{"weight still held at the end fails", func(m *meter) { m.hold(0, 2) }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMeter("test", 4, 2)
			tc.drive(m)
			err := m.verify()
			var inv *impls.InvariantError
			if tc.failed != errors.As(err, &inv) || tc.failed != (err != nil) {
				t.Fatalf("verify() = %v, want an *impls.InvariantError: %v", err, tc.failed)
			}
		})
	}
	t.Run("a semaphore that leaks weight internally fails", func(t *testing.T) {
		s, _ := parseConfig("fifo", impls.Config{Capacity: 2})
		tg := newTarget("fifo", s, NewFIFO(2))
		tg.sem.TryAcquire(1) // held inside the semaphore, never seen by the meter
		var inv *impls.InvariantError
		if err := tg.Verify(); !errors.As(err, &inv) {
			t.Fatalf("Verify() = %v, want an *impls.InvariantError", err)
		}
	})
}

func TestStatsMergeEveryWorker(t *testing.T) {
	m := newMeter("test", 4, 2)
	m.hold(1, 4)
	m.unhold(4)
	m.acquired(0, time.Microsecond)
	m.acquired(0, 3*time.Microsecond)
	m.acquired(1, 2*time.Microsecond)
	m.acquired(1, 2*time.Microsecond)
	m.acquired(7, time.Hour+time.Second) // outside [0, Workers): counted, not a share; clamped to 1 h
	m.failed(1, impls.Timeout)
	m.failed(0, impls.Denied)
	m.failed(0, impls.Error)

	st := m.stats()
	near := func(got, want float64) bool { return math.Abs(got-want) <= want*0.001 }
	for _, c := range []struct {
		key  string
		want float64
	}{
		{"capacity", 4},
		{"peak_in_use", 4},
		{"acquisitions", 5},
		{"timeouts", 1},
		{"denials", 1},
		{"errors", 1},
		{"jain_fairness", 1},
		{"longest_wait_ns", float64(time.Hour + time.Second)},
		{"wait_p50_ns", 2000},
		{"wait_p99_ns", float64(time.Hour)},
		{"wait_mean_ns", float64(time.Hour+8*time.Microsecond) / 5},
		{"wait_samples", 5},
	} {
		if got, ok := st[c.key]; !ok || !near(got, c.want) {
			t.Errorf("%s = %v (present %v), want %v", c.key, got, ok, c.want)
		}
	}
}

func TestLightOpsThatHoldNothingAreTimedOneInSixtyOne(t *testing.T) {
	const ops = 10 * waitSampleEvery
	tg := newTarget("weighted", settings{capacity: 2, workers: 3}, NewFIFO(2))
	for w := range 3 {
		for range ops {
			if tg.Do(context.Background(), impls.Op{Kind: impls.OpAcquire, Weight: 1, Worker: w}) != impls.OK {
				t.Fatal("an uncontended acquire failed")
			}
		}
	}
	// Worker 2 with a hold, and heavy ops on worker 1: every op timed.
	for range 3 {
		tg.Do(context.Background(), impls.Op{Kind: impls.OpAcquire, Weight: 1, Worker: 2, Hold: time.Nanosecond})
		tg.Do(context.Background(), impls.Op{Kind: impls.OpAcquire, Weight: 2, Worker: 1})
	}
	if err := tg.Verify(); err != nil {
		t.Fatal(err)
	}
	st := tg.Stats()
	// Each worker times one op in waitSampleEvery, starting at a staggered
	// offset: exactly ops/waitSampleEvery of its ops, whatever the offset.
	want := float64(3*ops/waitSampleEvery + 6)
	if st["wait_samples"] != want || st["acquisitions"] != 3*ops+6 {
		t.Errorf("wait_samples %v of %v acquisitions, want %v of %d", st["wait_samples"], st["acquisitions"], want, 3*ops+6)
	}
	if st["peak_in_use"] != 2 {
		t.Errorf("peak_in_use %v, want 2 (one op at a time, the heaviest of weight 2)", st["peak_in_use"])
	}
}
