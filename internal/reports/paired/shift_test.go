package paired

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestShiftKnownValues(t *testing.T) {
	t.Parallel()
	// Walsh averages of {1, 2, 4}: 1, 1.5, 2.5, 2, 3, 4 → median (2 + 2.5)/2.
	e := Shift([]float64{1, 2, 4}, 0.95)
	if e.Center != 2.25 {
		t.Errorf("centre = %v, want 2.25", e.Center)
	}
	if !math.IsInf(e.Lo, -1) || !math.IsInf(e.Hi, 1) {
		t.Errorf("three pairs cannot give a 95%% interval, got [%v, %v]", e.Lo, e.Hi)
	}
	// Ten pairs: 95% needs P(W+ ≥ c) ≤ 0.025, c = 47 (P(W+ ≥ 47) = 0.0244), so the
	// interval runs from the 9th smallest to the 9th largest Walsh average.
	d := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	e = Shift(d, 0.95)
	if e.Center != 5.5 || e.Lo != 3 || e.Hi != 8 {
		t.Errorf("1…10: centre %v [%v, %v], want 5.5 [3, 8]", e.Center, e.Lo, e.Hi)
	}
}

// TestShiftCoverage: the interval covers the true shift in at least its nominal
// share of seeded runs, and its rejection of 0 agrees with the test.
func TestShiftCoverage(t *testing.T) {
	t.Parallel()
	const trials, n = 3000, 15
	rng := rand.New(rand.NewPCG(9, 10))
	covered := 0
	d := make([]float64, n)
	for range trials {
		for i := range d {
			d[i] = 0.01 + 0.02*rng.NormFloat64()
		}
		e := Shift(d, 0.95)
		if e.Lo <= 0.01 && 0.01 <= e.Hi {
			covered++
		}
		excludesZero := e.Lo > 0 || e.Hi < 0
		if rejects := SignedRank(d).P < 0.05; rejects != excludesZero {
			t.Fatalf("d = %v: test rejects %v but interval [%v, %v]", d, rejects, e.Lo, e.Hi)
		}
	}
	if got := float64(covered) / trials; got < 0.94 {
		t.Errorf("covered the true shift in %.3f of runs, want ≥ 0.95", got)
	}
}

func TestLogRatios(t *testing.T) {
	t.Parallel()
	d, ok := LogRatios([]float64{100, 0, 50}, []float64{110, 0, 50})
	if !ok || len(d) != 3 || math.Abs(d[0]-math.Log(1.1)) > 1e-15 || d[1] != 0 || d[2] != 0 {
		t.Errorf("LogRatios = %v, %v", d, ok)
	}
	if _, ok := LogRatios([]float64{0}, []float64{1}); ok {
		t.Error("a pair with one zero has no ratio")
	}
}
