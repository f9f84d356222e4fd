package metrics

import (
	"math"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestKeyedAccuracyJudgesEachKeyAgainstItsOwnBound(t *testing.T) {
	sec := int64(time.Second)
	env := rateEnvelope(5, 10) // per key: burst 5, 10/s
	env.PerKey = true
	tr := NewAdmissionTracker(3 * time.Second)
	tr.TrackKeys(time.Second)
	// Key 1 held at its limit: its burst at once, then 10/s. Key 2 at 5/s. Key 3
	// lets 25 through in its first second, 10 over its bound of 5 + 10·1 s.
	tr.Admit(0, 1, 5)
	for i := int64(1); i <= 30; i++ {
		tr.Admit(i*sec/10-1, 1, 1)
	}
	for i := range int64(15) {
		tr.Admit(i*sec/5, 2, 1)
	}
	tr.Admit(100_000, 3, 25)
	// Keys 4 and 5 held at their limit like key 1, from their own phases.
	for _, key := range []uint64{4, 5} {
		for i := range int64(30) {
			tr.Admit(i*sec/10+int64(key)*int64(time.Millisecond), key, 1)
		}
	}
	a := tr.Accuracy(AccuracyConfig{Limit: 10, Burst: 5, Window: time.Second, Envelope: env})

	if !a.PerKey || a.KeysActive != 5 || a.Admitted != 135 {
		t.Fatalf("per key %v, %d keys, %d admitted; want 5 keys, 135", a.PerKey, a.KeysActive, a.Admitted)
	}
	if a.Envelope != 15 || a.WorstKey != 3 || a.MaxInWindow != 25 || a.ExcessOverEnvelope != 10 || a.KeysOverEnvelope != 1 {
		t.Errorf("worst key %d: %d in a window vs %v (excess %v, %d keys over); want key 3: 25 vs 15, excess 10, 1 key",
			a.WorstKey, a.MaxInWindow, a.Envelope, a.ExcessOverEnvelope, a.KeysOverEnvelope)
	}
	if a.KeyRateMin != 5 || a.KeyRateMedian != 10 || a.KeyRateMax != 35.0/3 {
		t.Errorf("key rates %v..%v..%v, want 5, 10, 11.67", a.KeyRateMin, a.KeyRateMedian, a.KeyRateMax)
	}
	// Keys 1, 3, 4 and 5 were held at their limit in the first window; key 3
	// then went quiet and is left out, and the others' steady rates are the
	// limit: the rate error is one key's against one key's limit, never the total's.
	if a.BusiestKey != 1 || a.KeysHeld != 3 || a.SteadyRate != 10 || a.RateErrorPct != 0 {
		t.Errorf("busiest key %d, %d keys held at %v/s (%v%%, %q); want key 1, 3 keys at 10/s, 0%%",
			a.BusiestKey, a.KeysHeld, a.SteadyRate, a.RateErrorPct, a.RateBasis)
	}
	if a.KeysAllowance != 5*35 || math.Abs(a.AllowanceUsedPct-100*135.0/175) > 1e-9 {
		t.Errorf("allowance %v (%v%% used), want 5 keys × (5 + 10·3 s) = 175, 77.1%%", a.KeysAllowance, a.AllowanceUsedPct)
	}
}

func TestKeyedAccuracyOfManyKeysAtTheirLimitReadsNoError(t *testing.T) {
	// The shape of -keys 1000 -zipf 1.2 -limit 10 -burst 5: hundreds of live keys,
	// the busiest held at 10/s, the total far above one key's limit.
	env := rateEnvelope(5, 10)
	env.PerKey = true
	tr := NewAdmissionTracker(3 * time.Second)
	tr.TrackKeys(time.Second)
	for key := range uint64(870) {
		perSec := int64(10 >> min(key, 3)) // 10, 5, 2, 1, 1, ... per second
		for i := range 3 * perSec {
			tr.Admit(i*int64(time.Second)/perSec+int64(key), key, 1)
		}
	}
	a := tr.Accuracy(AccuracyConfig{Limit: 10, Burst: 5, Window: time.Second, Envelope: env})
	if a.KeysHeld != 1 || !strings.Contains(a.RateBasis, "1 keys held") {
		t.Errorf("%d keys held at their limit (%q), want key 0 alone", a.KeysHeld, a.RateBasis)
	}
	if a.AdmittedRate < 800 || math.Abs(a.RateErrorPct) > 1e-9 || a.ExcessOverEnvelope != 0 {
		t.Errorf("admitted %v/s, rate error %v%%, excess %v; want the total above 800/s, 0%%, no excess", a.AdmittedRate, a.RateErrorPct, a.ExcessOverEnvelope)
	}
}

func TestKeyedTrackerFollowsAtMostMaxTrackedKeys(t *testing.T) {
	env := rateEnvelope(1, 1)
	env.PerKey = true
	tr := NewAdmissionTracker(time.Second)
	tr.TrackKeys(time.Second)
	for key := range uint64(maxTrackedKeys + 10) {
		tr.Admit(int64(key), key, 1)
	}
	a := tr.Accuracy(AccuracyConfig{Limit: 1, Burst: 1, Envelope: env})
	if a.KeysActive != maxTrackedKeys || a.KeysUntrackedAdmitted != 10 || a.Admitted != maxTrackedKeys+10 {
		t.Errorf("%d keys followed, %d admissions untracked, %d in all; want %d, 10, %d",
			a.KeysActive, a.KeysUntrackedAdmitted, a.Admitted, maxTrackedKeys, maxTrackedKeys+10)
	}
}

func TestKeyCountSlidesItsWindow(t *testing.T) {
	c := &keyCount{head: -1}
	c.add(0, 0, 3)
	c.add(0, keyBins-1, 4) // the same window: 7
	c.add(0, keyBins, 2)   // bin 0 leaves: 6
	c.add(0, 3, 1)         // late, still inside the window: 7
	c.add(0, 5*keyBins, 1) // long after: a fresh window
	c.add(0, 0, 1)         // far too late: counted in the oldest bin still in the window
	if c.max != 7 || c.inWindow != 2 || c.total != 12 {
		t.Errorf("max %d, in window %d, total %d; want 7, 2, 12", c.max, c.inWindow, c.total)
	}
}

// BenchmarkKeyedAdmissions admits to as many keys as the tracker follows and
// reports the live heap per key (the memory bound of keyed accuracy) and the cost
// of one admission.
func BenchmarkKeyedAdmissions(b *testing.B) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	tr := NewAdmissionTracker(10 * time.Second)
	tr.TrackKeys(time.Second)
	for key := range uint64(maxTrackedKeys) {
		tr.Admit(int64(key), key, 1)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perKey := float64(after.HeapAlloc-before.HeapAlloc) / maxTrackedKeys
	b.ResetTimer()
	for i := range b.N {
		tr.Admit(int64(i)%int64(10*time.Second), uint64(i)%maxTrackedKeys, 1)
	}
	b.ReportMetric(perKey, "B/key") // after ResetTimer, which drops reported metrics
	runtime.KeepAlive(tr)
}
