package paired

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestCorrectionsKnownValues(t *testing.T) {
	t.Parallel()
	p := []float64{0.01, 0.04, 0.03, 0.005}
	// Holm: sorted 0.005·4, 0.01·3, 0.03·2, 0.04·1, made non-decreasing.
	// BH: sorted 0.005·4/1, 0.01·4/2, 0.03·4/3, 0.04·4/4, made non-increasing from the top.
	tests := []struct {
		name string
		f    func([]float64) []float64
		want []float64
	}{
		{"Holm", Holm, []float64{0.03, 0.06, 0.06, 0.02}},
		{"Benjamini-Hochberg", BenjaminiHochberg, []float64{0.02, 0.04, 0.04, 0.02}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.f(p)
			for i := range got {
				if math.Abs(got[i]-tt.want[i]) > 1e-12 {
					t.Fatalf("adjusted %v, want %v", got, tt.want)
				}
			}
		})
	}
	if got := Holm([]float64{math.NaN(), 0.01}); got[0] != 1 || got[1] != 0.02 {
		t.Errorf("Holm with a NaN = %v, want [1 0.02]", got)
	}
}

// TestFamilyRates checks the corrections over a family of 20 paired metrics,
// 12 rounds each, with seeded noise: with no change anywhere, Holm flags some
// metric in at most alpha of the runs (family-wise error) and BH likewise (all
// nulls true, FDR = FWER); with one metric shifted by 2.5σ, Holm finds it in
// most runs.
func TestFamilyRates(t *testing.T) {
	t.Parallel()
	const trials, metrics, n, alpha = 1500, 20, 12, 0.05
	rng := rand.New(rand.NewPCG(7, 8))
	run := func(shift float64, correct func([]float64) []float64) (anyFlag, shiftedFlag float64) {
		hitsAny, hitsShifted := 0, 0
		p := make([]float64, metrics)
		d := make([]float64, n)
		for range trials {
			for m := range p {
				s := 0.0
				if m == 0 {
					s = shift
				}
				for i := range d {
					d[i] = s + 0.02*rng.NormFloat64()
				}
				p[m] = SignedRank(d).P
			}
			adj := correct(p)
			flaggedAny := false
			for m := range adj {
				if adj[m] < alpha {
					if m == 0 {
						hitsShifted++
					}
					if m != 0 || shift == 0 {
						flaggedAny = true
					}
				}
			}
			if flaggedAny {
				hitsAny++
			}
		}
		return float64(hitsAny) / trials, float64(hitsShifted) / trials
	}
	for _, c := range []struct {
		name string
		f    func([]float64) []float64
	}{{"Holm", Holm}, {"Benjamini-Hochberg", BenjaminiHochberg}} {
		t.Run(c.name+" keeps false alarms at alpha with no change", func(t *testing.T) {
			if fwer, _ := run(0, c.f); fwer > alpha+0.01 {
				t.Errorf("some unchanged metric flagged in %.3f of runs, want ≤ %.2f", fwer, alpha)
			}
		})
	}
	t.Run("Holm finds one metric shifted by 2.5σ", func(t *testing.T) {
		falseAny, found := run(0.05, Holm)
		if found < 0.85 {
			t.Errorf("shifted metric flagged in %.3f of runs, want ≥ 0.85", found)
		}
		if falseAny > alpha+0.01 {
			t.Errorf("an unchanged metric flagged in %.3f of runs, want ≤ %.2f", falseAny, alpha)
		}
	})
}
