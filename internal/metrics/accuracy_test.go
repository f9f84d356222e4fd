package metrics

import (
	"encoding/json"
	"math"
	"strings"
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
				tr.Admit(0, 0, burst)
				for i := range int64(10_000) {
					tr.Admit(i*int64(time.Millisecond)+500_000, 0, 1) // 1000/s, mid-bin
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
				for i := range int64(1000) {
					tr.Admit(int64(900*time.Millisecond)+i*100_000, 0, 1)
					tr.Admit(int64(time.Second)+i*100_000, 0, 1)
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
			name: "admissions outside the window are dropped, not folded into its first or last bin",
			admit: func(tr *AdmissionTracker) {
				tr.Admit(-5, 0, 3)
				tr.Admit(int64(2*time.Second), 0, 4) // the first instant after the window
				tr.Admit(int64(time.Hour), 0, 5)
				tr.Admit(int64(2*time.Second)-1, 0, 1) // the window's last instant
			},
			durationNs: int64(2 * time.Second),
			check: func(t *testing.T, a LimiterAccuracy) {
				if a.Admitted != 1 || a.MaxInWindow != 1 || a.Dropped != 12 {
					t.Errorf("admitted = %d, max in window %d, dropped %d; want 1, 1 and 12", a.Admitted, a.MaxInWindow, a.Dropped)
				}
			},
		},
		{
			name: "a run with half the limit admitted shows a negative rate error",
			admit: func(tr *AdmissionTracker) {
				tr.Admit(0, 0, burst)
				for i := range int64(1000) {
					tr.Admit(i*int64(2*time.Millisecond), 0, 1)
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
			a := tr.Accuracy(AccuracyConfig{Limit: limit, Burst: burst, Window: window, DurationNs: tt.durationNs})
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
	tr.Admit(int64(47*time.Hour), 0, 1)
	if a := tr.Accuracy(AccuracyConfig{Limit: 1, Burst: 1, Window: time.Minute, DurationNs: int64(48 * time.Hour)}); a.Admitted != 1 {
		t.Errorf("admitted = %d, want 1", a.Admitted)
	}
}

func TestAdmissionTrackerConcurrentAdmits(t *testing.T) {
	tr := NewAdmissionTracker(time.Second)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				tr.Admit(int64(i)*int64(time.Millisecond)+int64(w), 0, 1)
			}
		})
	}
	wg.Wait()
	if a := tr.Accuracy(AccuracyConfig{Limit: 8000, Window: time.Second, DurationNs: int64(time.Second)}); a.Admitted != 8000 || a.MaxInWindow != 8000 {
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
		if vf, isNum := v.(float64); isNum {
			if f := toFloat(got); f != vf {
				t.Errorf("Map[%q] = %v, JSON %v", k, got, v)
			}
		} else if got != v {
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
	for ms := range int64(100) {
		tr.Admit(ms*int64(time.Millisecond), 0, 3)
	}
	tr.Admit(120*int64(time.Millisecond), 0, 7)
	tr.Admit(999*int64(time.Millisecond), 0, 1)
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
	a := tr.Accuracy(AccuracyConfig{Limit: 100, Window: time.Second, DurationNs: int64(time.Second)})
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

// Envelopes as the limiters state them (impls.AdmissionBound), written out here so
// that metrics stays free of impls.
func rateEnvelope(b, r float64) Envelope {
	return Envelope{Algorithm: "token bucket", Rule: "b + r·w", Rate: r, Burst: b,
		Max: func(w time.Duration) float64 { return b + r*w.Seconds() }}
}

func slidingEnvelope(l float64, window time.Duration) Envelope {
	return Envelope{Algorithm: "sliding log", Rule: "L per any W", Rate: l / window.Seconds(),
		Max: func(w time.Duration) float64 { return l * math.Max(1, math.Ceil(float64(w)/float64(window))) }}
}

func alignedEnvelope(name string, l float64, window time.Duration) Envelope {
	return Envelope{Algorithm: name, Rule: "L per aligned W, 2L per any W", Rate: l / window.Seconds(),
		AlignedWindow: window, AlignedMax: l,
		Max: func(w time.Duration) float64 { return l * (math.Max(1, math.Ceil(float64(w)/float64(window))) + 1) }}
}

// admitEvenly admits count events, one every gap ns from first on.
func admitEvenly(tr *AdmissionTracker, first, gap int64, count int) {
	for i := range int64(count) {
		tr.Admit(first+i*gap, 0, 1)
	}
}

func TestAccuracyJudgesEachLimiterAgainstItsOwnBound(t *testing.T) {
	const ms = int64(time.Millisecond)
	sec := int64(time.Second)
	tests := []struct {
		name  string
		admit func(tr *AdmissionTracker)
		cfg   AccuracyConfig
		check func(t *testing.T, a LimiterAccuracy)
	}{
		{
			name: "a sliding log letting 10% too many through a window exceeds its bound of L, which b + r·w would pass",
			admit: func(tr *AdmissionTracker) {
				admitEvenly(tr, 0, 909_000, 1100) // 1100 in the first second
				admitEvenly(tr, sec, ms, 2000)    // then exactly 1000/s
			},
			cfg: AccuracyConfig{Limit: 1000, Burst: 100, Envelope: slidingEnvelope(1000, time.Second)},
			check: func(t *testing.T, a LimiterAccuracy) {
				if a.Envelope != 1000 || a.MaxInWindow != 1100 || a.ExcessOverEnvelope != 100 {
					t.Errorf("max %d vs envelope %v, excess %v; want 1100 vs 1000, excess 100", a.MaxInWindow, a.Envelope, a.ExcessOverEnvelope)
				}
				if a.Bound != "sliding log: L per any W" {
					t.Errorf("bound named %q", a.Bound)
				}
			},
		},
		{
			name: "a fixed window putting 2L through its boundary is within its own bound, and L per aligned window",
			admit: func(tr *AdmissionTracker) {
				// Windows aligned at −300 ms: [−0.3, 0.7), [0.7, 1.7), [1.7, 2.7): L
				// early in each, as a fixed window does under demand.
				for _, start := range []int64{700 * ms, 1700 * ms} {
					admitEvenly(tr, start, 200_000, 1000)
				}
				admitEvenly(tr, 500*ms, 200_000, 1000) // the first window's L, at its end
			},
			cfg: AccuracyConfig{Limit: 1000, Burst: 100, Envelope: alignedEnvelope("fixed window", 1000, time.Second),
				AlignedOriginNs: -300 * ms},
			check: func(t *testing.T, a LimiterAccuracy) {
				if a.Envelope != 2000 || a.MaxInWindow != 2000 || a.ExcessOverEnvelope != 0 {
					t.Errorf("max %d vs envelope %v, excess %v; want 2000 vs 2000, none", a.MaxInWindow, a.Envelope, a.ExcessOverEnvelope)
				}
				if a.MaxInAlignedWindow != 1000 || a.AlignedEnvelope != 1000 {
					t.Errorf("max in an aligned window %d vs %v, want 1000 vs 1000", a.MaxInAlignedWindow, a.AlignedEnvelope)
				}
			},
		},
		{
			name: "a fixed window admitting 1.5L in one aligned window shows it in the aligned check",
			admit: func(tr *AdmissionTracker) {
				admitEvenly(tr, 0, 600_000, 1500) // [0, 0.9 s) inside aligned window [0, 1 s)
			},
			cfg: AccuracyConfig{Limit: 1000, Envelope: alignedEnvelope("fixed window", 1000, time.Second), DurationNs: 2 * sec},
			check: func(t *testing.T, a LimiterAccuracy) {
				if a.MaxInAlignedWindow != 1500 {
					t.Errorf("max in an aligned window %d, want 1500", a.MaxInAlignedWindow)
				}
			},
		},
		{
			name: "a sliding counter's first-window transient after a short warm-up is left out of the steady rate",
			admit: func(tr *AdmissionTracker) {
				// Built 500 ms before the window: its first window's L were all
				// admitted during the warm-up, so nothing until 500 ms; then L/W evenly.
				admitEvenly(tr, 500*ms, ms, 2500)
			},
			cfg: AccuracyConfig{Limit: 1000, Burst: 100, Envelope: alignedEnvelope("sliding counter", 1000, time.Second),
				AlignedOriginNs: -500 * ms},
			check: func(t *testing.T, a LimiterAccuracy) {
				if math.Abs(a.AdmittedRate-2500.0/3) > 1e-9 {
					t.Errorf("admitted rate %v, want 833.3", a.AdmittedRate)
				}
				if a.SteadyFromNs != sec || a.SteadyToNs != 3*sec || a.SteadyRate != 1000 || a.RateErrorPct != 0 {
					t.Errorf("steady %v over [%d, %d), error %v%%; want 1000/s over [1s, 3s), 0%%", a.SteadyRate, a.SteadyFromNs, a.SteadyToNs, a.RateErrorPct)
				}
			},
		},
		{
			name: "a sliding log admitting exactly its rate with no warm-up has no burst taken out (it grants none)",
			admit: func(tr *AdmissionTracker) {
				for w := range int64(3) { // L early in each window, as a sliding log repeats its first window
					admitEvenly(tr, w*sec, 200_000, 1000)
				}
			},
			cfg: AccuracyConfig{Limit: 1000, Burst: 100, Envelope: slidingEnvelope(1000, time.Second), StartsFull: true},
			check: func(t *testing.T, a LimiterAccuracy) {
				if a.SteadyRate != 1000 || a.RateErrorPct != 0 {
					t.Errorf("steady %v, error %v%%; want 1000/s, 0%% (not (3000 − 100)/3 s, −3.3%%)", a.SteadyRate, a.RateErrorPct)
				}
			},
		},
		{
			name: "nor from a run too short for a steady span",
			admit: func(tr *AdmissionTracker) {
				admitEvenly(tr, 0, 200_000, 1000)
			},
			cfg: AccuracyConfig{Limit: 1000, Burst: 100, Envelope: slidingEnvelope(1000, time.Second), StartsFull: true, DurationNs: sec},
			check: func(t *testing.T, a LimiterAccuracy) {
				if a.SteadyRate != 1000 || a.RateErrorPct != 0 {
					t.Errorf("steady %v, error %v%%; want 1000/s, 0%%", a.SteadyRate, a.RateErrorPct)
				}
			},
		},
		{
			name: "a gap longer than a bucket can bank is named as the cause of a shortfall",
			admit: func(tr *AdmissionTracker) {
				admitEvenly(tr, 0, ms, 1500)       // [0, 1.5 s)
				admitEvenly(tr, 1800*ms, ms, 1200) // nothing in [1.5 s, 1.8 s)
			},
			cfg: AccuracyConfig{Limit: 1000, Burst: 100, Envelope: rateEnvelope(100, 1000)},
			check: func(t *testing.T, a LimiterAccuracy) {
				if a.LongestGapNs != 300*ms || a.LongestGapAtNs != 1500*ms || !strings.Contains(a.RateBasis, "no admission for 300ms at 1.5s") ||
					!strings.Contains(a.RateBasis, "banked 100 of its 100-event burst") {
					t.Errorf("longest gap %v, basis %q; want 300 ms at 1.5 s named, with the full burst of 100 banked in it",
						time.Duration(a.LongestGapNs), a.RateBasis)
				}
			},
		},
		{
			name: "a window algorithm's gaps are its own pattern, not a cause",
			admit: func(tr *AdmissionTracker) {
				for w := range int64(3) {
					admitEvenly(tr, w*sec, 200_000, 1000)
				}
			},
			cfg: AccuracyConfig{Limit: 1000, Burst: 100, Envelope: slidingEnvelope(1000, time.Second)},
			check: func(t *testing.T, a LimiterAccuracy) {
				if a.LongestGapNs != 800*ms || strings.Contains(a.RateBasis, "no admission") {
					t.Errorf("longest gap %v, basis %q; want 800 ms and no note", time.Duration(a.LongestGapNs), a.RateBasis)
				}
			},
		},
		{
			name: "admissions decided before a window and recorded in it are allowed for, one per worker",
			admit: func(tr *AdmissionTracker) {
				admitEvenly(tr, 0, 250_000, 1003) // 3 over a sliding log's L in its first 250 ms
			},
			cfg: AccuracyConfig{Limit: 1000, Envelope: slidingEnvelope(1000, time.Second), InFlight: 4},
			check: func(t *testing.T, a LimiterAccuracy) {
				if a.MaxInWindow != 1003 || a.InFlight != 4 || a.ExcessOverEnvelope != 0 {
					t.Errorf("max %d, in flight %d, excess %v; want 1003, 4, none", a.MaxInWindow, a.InFlight, a.ExcessOverEnvelope)
				}
			},
		},
		{
			name: "but no more than that",
			admit: func(tr *AdmissionTracker) {
				admitEvenly(tr, 0, 250_000, 1007)
			},
			cfg: AccuracyConfig{Limit: 1000, Envelope: slidingEnvelope(1000, time.Second), InFlight: 4},
			check: func(t *testing.T, a LimiterAccuracy) {
				if a.ExcessOverEnvelope != 3 {
					t.Errorf("excess %v, want 1007 − 1000 − 4 = 3", a.ExcessOverEnvelope)
				}
			},
		},
		{
			name: "a token bucket starting full in a short run has its burst taken out",
			admit: func(tr *AdmissionTracker) {
				tr.Admit(0, 0, 100)
				admitEvenly(tr, ms, ms, 1500)
			},
			cfg: AccuracyConfig{Limit: 1000, Burst: 100, Envelope: rateEnvelope(100, 1000), StartsFull: true, DurationNs: 1600 * ms},
			check: func(t *testing.T, a LimiterAccuracy) {
				if math.Abs(a.SteadyRate-1500/1.6) > 1e-9 {
					t.Errorf("steady %v, want (1600 − 100)/1.6 s", a.SteadyRate)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewAdmissionTracker(3 * time.Second)
			tt.admit(tr)
			tt.check(t, tr.Accuracy(tt.cfg))
		})
	}
}

func TestSteadySpanIsWholeWindowsAfterTheFirst(t *testing.T) {
	sec := int64(time.Second)
	for _, tt := range []struct{ d, w, from, to int64 }{
		{3 * sec, sec, sec, 3 * sec},
		{3500 * int64(time.Millisecond), sec, sec, 3 * sec},
		{10 * sec, 3 * sec, 3 * sec, 9 * sec},
	} {
		if from, to, ok := steadySpan(tt.d, tt.w); !ok || from != tt.from || to != tt.to {
			t.Errorf("steadySpan(%v, %v) = [%v, %v) %v, want [%v, %v)", time.Duration(tt.d), time.Duration(tt.w),
				time.Duration(from), time.Duration(to), ok, time.Duration(tt.from), time.Duration(tt.to))
		}
	}
	if _, _, ok := steadySpan(sec+sec/2, sec); ok {
		t.Error("a run of 1.5 windows has a steady span")
	}
}
