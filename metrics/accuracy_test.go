package metrics

import (
	"encoding/json"
	"math"
	"sync"
	"testing"
	"time"
)

func TestAdmissionTrackerAccuracy(t *testing.T) {
	const (
		limit  = 1000.0
		burst  = 100
		window = time.Second
	)
	tests := []struct {
		name string
		// admit feeds the tracker; the run lasts durationNs.
		admit      func(tr *AdmissionTracker)
		durationNs int64
		check      func(t *testing.T, a LimiterAccuracy)
	}{
		{
			name: "evenly spaced admissions at the limit after a burst show no rate error and no excess",
			admit: func(tr *AdmissionTracker) {
				tr.Admit(0, burst)
				for i := int64(0); i < 10_000; i++ {
					tr.Admit(i*int64(time.Millisecond)+500_000, 1) // 1000/s, mid-bin
				}
			},
			durationNs: int64(10 * time.Second),
			check: func(t *testing.T, a LimiterAccuracy) {
				if a.Admitted != 10_100 {
					t.Errorf("admitted = %d, want 10100", a.Admitted)
				}
				if math.Abs(a.RateErrorPct) > 0.01 {
					t.Errorf("rate error = %.4f%%, want ~0", a.RateErrorPct)
				}
				if a.MaxInWindow != 1100 {
					t.Errorf("max in window = %d, want burst + limit·window = 1100", a.MaxInWindow)
				}
				if a.ExcessOverEnvelope != 0 {
					t.Errorf("excess = %v, want 0", a.ExcessOverEnvelope)
				}
			},
		},
		{
			name: "a fixed-window pattern straddling a boundary shows twice the limit in a sliding window",
			admit: func(tr *AdmissionTracker) {
				// 1000 in the last 100 ms of window [0,1s), 1000 in the first 100 ms of [1s,2s).
				for i := int64(0); i < 1000; i++ {
					tr.Admit(int64(900*time.Millisecond)+i*100_000, 1)
					tr.Admit(int64(time.Second)+i*100_000, 1)
				}
			},
			durationNs: int64(3 * time.Second),
			check: func(t *testing.T, a LimiterAccuracy) {
				if a.MaxInWindow != 2000 {
					t.Errorf("max in window = %d, want 2000 (2× the per-window limit)", a.MaxInWindow)
				}
				if a.ExcessOverEnvelope != 900 {
					t.Errorf("excess = %v, want 2000 − 1100 = 900", a.ExcessOverEnvelope)
				}
			},
		},
		{
			name: "admissions outside the run are clamped into the first and last bins",
			admit: func(tr *AdmissionTracker) {
				tr.Admit(-5, 3)
				tr.Admit(int64(time.Hour), 4)
			},
			durationNs: int64(2 * time.Second),
			check: func(t *testing.T, a LimiterAccuracy) {
				if a.Admitted != 7 {
					t.Errorf("admitted = %d, want 7", a.Admitted)
				}
			},
		},
		{
			name: "a run with half the limit admitted shows a negative rate error",
			admit: func(tr *AdmissionTracker) {
				tr.Admit(0, burst)
				for i := int64(0); i < 1000; i++ {
					tr.Admit(i*int64(2*time.Millisecond), 1)
				}
			},
			durationNs: int64(2 * time.Second),
			check: func(t *testing.T, a LimiterAccuracy) {
				if math.Abs(a.RateErrorPct-(-50)) > 0.01 {
					t.Errorf("rate error = %.3f%%, want -50%%", a.RateErrorPct)
				}
				if math.Abs(a.AdmittedRate-550) > 0.01 {
					t.Errorf("admitted rate = %v, want 1100/2s = 550", a.AdmittedRate)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewAdmissionTracker(time.Duration(tt.durationNs))
			tt.admit(tr)
			a := tr.Accuracy(limit, burst, window, tt.durationNs)
			if a.BinWidthNs != int64(time.Millisecond) || a.Envelope != 1100 || a.Limit != limit || a.Burst != burst {
				t.Errorf("configuration echoed as %+v", a)
			}
			tt.check(t, a)
		})
	}
}

func TestAdmissionTrackerBoundsMemoryForLongRuns(t *testing.T) {
	tr := NewAdmissionTracker(48 * time.Hour)
	if len(tr.bins) > maxAdmissionBins {
		t.Fatalf("%d bins for 48 h, want at most %d", len(tr.bins), maxAdmissionBins)
	}
	if w := tr.BinWidth(); w%time.Millisecond != 0 || w < 100*time.Millisecond {
		t.Errorf("bin width %v, want whole milliseconds covering 48 h in 2^20 bins", w)
	}
	tr.Admit(int64(47*time.Hour), 1)
	if a := tr.Accuracy(1, 1, time.Minute, int64(48*time.Hour)); a.Admitted != 1 {
		t.Errorf("admitted = %d, want 1", a.Admitted)
	}
}

func TestAdmissionTrackerConcurrentAdmits(t *testing.T) {
	tr := NewAdmissionTracker(time.Second)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				tr.Admit(int64(i)*int64(time.Millisecond)+int64(w), 1)
			}
		})
	}
	wg.Wait()
	if a := tr.Accuracy(8000, 0, time.Second, int64(time.Second)); a.Admitted != 8000 || a.MaxInWindow != 8000 {
		t.Errorf("admitted %d, max in window %d; want 8000 and 8000", a.Admitted, a.MaxInWindow)
	}
}

func TestLimiterAccuracyMapMatchesJSON(t *testing.T) {
	a := LimiterAccuracy{Admitted: 1, AdmittedRate: 2, Limit: 3, Burst: 4, WindowNs: 5, RateErrorPct: 6,
		MaxInWindow: 7, Envelope: 8, ExcessOverEnvelope: 9, BinWidthNs: 10}
	raw, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON map[string]any
	if err := json.Unmarshal(raw, &fromJSON); err != nil {
		t.Fatal(err)
	}
	m := a.Map()
	if len(m) != len(fromJSON) {
		t.Fatalf("Map has %d keys, JSON %d", len(m), len(fromJSON))
	}
	for k, v := range fromJSON {
		got, ok := m[k]
		if !ok {
			t.Errorf("Map lacks JSON key %q", k)
			continue
		}
		if f := toFloat(got); f != v.(float64) {
			t.Errorf("Map[%q] = %v, JSON %v", k, got, v)
		}
	}
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return math.NaN()
}

func TestCoarseBinsSumTheTrackerBins(t *testing.T) {
	tr := NewAdmissionTracker(time.Second)
	// 3 admissions in each of the first 100 ms, then 7 at 120 ms and 1 at 999 ms.
	for ms := int64(0); ms < 100; ms++ {
		tr.Admit(ms*int64(time.Millisecond), 3)
	}
	tr.Admit(120*int64(time.Millisecond), 7)
	tr.Admit(999*int64(time.Millisecond), 1)
	bins, width := tr.CoarseBins(50*time.Millisecond, int64(time.Second))
	if width != int64(50*time.Millisecond) || len(bins) != 20 {
		t.Fatalf("got %d bins of %dns, want 20 of 50ms", len(bins), width)
	}
	want := map[int]int64{0: 150, 1: 150, 2: 7, 19: 1}
	var total int64
	for i, b := range bins {
		if b != want[i] {
			t.Errorf("bin %d = %d, want %d", i, b, want[i])
		}
		total += b
	}
	if total != 308 {
		t.Errorf("total %d, want 308", total)
	}
	a := tr.Accuracy(100, 0, time.Second, int64(time.Second))
	if len(a.AdmittedBins) != 20 || a.AdmittedBinNs != int64(50*time.Millisecond) {
		t.Errorf("Accuracy carries %d bins of %dns", len(a.AdmittedBins), a.AdmittedBinNs)
	}
}

func TestCoarseBinsWidenForLongRuns(t *testing.T) {
	tr := NewAdmissionTracker(400 * time.Second)
	bins, width := tr.CoarseBins(50*time.Millisecond, int64(400*time.Second))
	if len(bins) > maxCoarseBins || width != int64(100*time.Millisecond) {
		t.Errorf("got %d bins of %v, want at most %d of 100ms", len(bins), time.Duration(width), maxCoarseBins)
	}
	if b, w := tr.CoarseBins(50*time.Millisecond, 0); b != nil || w != 0 {
		t.Errorf("an empty run gives %v, %d", b, w)
	}
}
