package paired

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestResolutionIsCalibrated checks what the resolution promises: a change the
// size of the stated resolution, in fresh runs with the same noise, is flagged
// in about rule.Power of them. Each pilot run states a resolution from its own
// 15 pairs; the median over pilots is then shifted into new runs.
func TestResolutionIsCalibrated(t *testing.T) {
	t.Parallel()
	const n, sigma = 15, 0.03
	rule := ResolutionRule{Alpha: 0.05 / 20, MinShift: math.Log(1.05), Power: 0.8}
	rng := rand.New(rand.NewPCG(11, 12))
	sample := func(shift float64) []float64 {
		d := make([]float64, n)
		for i := range d {
			d[i] = shift + sigma*rng.NormFloat64()
		}
		return d
	}
	var res []float64
	for range 201 {
		res = append(res, Resolution(sample(0), rule, rng))
	}
	r := medianOf(res)
	flag := func(d []float64) bool {
		return SignedRank(d).P < rule.Alpha && Shift(d, 0.95).Center > rule.MinShift
	}
	hits := 0
	const trials = 2000
	for range trials {
		if flag(sample(r)) {
			hits++
		}
	}
	got := float64(hits) / trials
	t.Logf("median resolution %.2f%% (σ = %.0f%%, n = %d): flagged %.3f at that shift", 100*(math.Exp(r)-1), 100*sigma, n, got)
	if got < 0.7 || got > 0.9 {
		t.Errorf("a shift equal to the resolution was flagged in %.3f of runs, want about 0.8", got)
	}
	// Half the resolution must be flagged far less often.
	hits = 0
	for range trials {
		if flag(sample(r / 2)) {
			hits++
		}
	}
	if got := float64(hits) / trials; got > 0.5 {
		t.Errorf("half the resolution was flagged in %.3f of runs, want well below 0.8", got)
	}
}

func TestResolutionEdges(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(13, 14))
	rule := ResolutionRule{Alpha: 0.05 / 20, MinShift: math.Log(1.05), Power: 0.8}
	// Eight pairs cannot reach 0.0025 (MinP(8) = 0.0078): no change is detectable.
	if r := Resolution([]float64{0.01, -0.01, 0.02, 0, 0.01, -0.02, 0.03, 0}, rule, rng); !math.IsInf(r, 1) {
		t.Errorf("8 pairs at alpha 0.0025: resolution %v, want +Inf", r)
	}
	if r := Resolution([]float64{0.01}, rule, rng); !math.IsNaN(r) {
		t.Errorf("one pair: resolution %v, want NaN", r)
	}
	// Noise-free pairs: only the threshold limits what is flagged.
	flat := make([]float64, 12)
	if r := Resolution(flat, rule, rng); math.Abs(r-rule.MinShift) > 1e-12 {
		t.Errorf("noise-free: resolution %v, want the threshold %v", r, rule.MinShift)
	}
	// Quadrupling the noise about quadruples the resolution's excess over nothing.
	a, b := make([]float64, 20), make([]float64, 20)
	for i := range a {
		a[i] = 0.01 * rng.NormFloat64()
		b[i] = 4 * a[i]
	}
	noMin := ResolutionRule{Alpha: 0.05 / 20, Power: 0.8}
	ra := Resolution(a, noMin, rand.New(rand.NewPCG(1, 1)))
	rb := Resolution(b, noMin, rand.New(rand.NewPCG(1, 1)))
	if math.Abs(rb/ra-4) > 1e-9 {
		t.Errorf("resolution scales by %v with 4× noise, want 4", rb/ra)
	}
}

func medianOf(v []float64) float64 {
	s := append([]float64(nil), v...)
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return median(s)
}
