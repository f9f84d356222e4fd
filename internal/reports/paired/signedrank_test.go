package paired

import (
	"math"
	"math/rand/v2"
	"testing"
)

// bruteSignedRankP enumerates all 2^n sign assignments of the mid-ranks of |d|,
// the definition of the exact conditional p-value.
func bruteSignedRankP(d []float64) float64 {
	var abs []float64
	var pos []bool
	for _, x := range d {
		if x != 0 {
			abs = append(abs, math.Abs(x))
			pos = append(pos, x > 0)
		}
	}
	n := len(abs)
	rank := make([]float64, n)
	for i := range abs {
		less, eq := 0, 0
		for j := range abs {
			if abs[j] < abs[i] {
				less++
			} else if abs[j] == abs[i] {
				eq++
			}
		}
		rank[i] = float64(less) + float64(eq+1)/2
	}
	obs := 0.0
	for i := range rank {
		if pos[i] {
			obs += rank[i]
		}
	}
	lo, hi := 0, 0
	for mask := 0; mask < 1<<n; mask++ {
		w := 0.0
		for i := range rank {
			if mask&(1<<i) != 0 {
				w += rank[i]
			}
		}
		if w <= obs+1e-9 {
			lo++
		}
		if w >= obs-1e-9 {
			hi++
		}
	}
	return math.Min(1, 2*float64(min(lo, hi))/float64(int(1)<<n))
}

func TestSignedRankMatchesEnumeration(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 1 + rng.IntN(12)
		d := make([]float64, n)
		for i := range d {
			// Coarse values make ties and zeros common.
			d[i] = float64(rng.IntN(7) - 3 + trial%2)
		}
		got := SignedRank(d)
		want := bruteSignedRankP(d)
		if math.Abs(got.P-want) > 1e-12 {
			t.Fatalf("d = %v: p = %v, enumeration gives %v", d, got.P, want)
		}
	}
}

func TestSignedRankKnownValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		d     []float64
		wplus float64
		p     float64
	}{
		{"ten pairs all slower give the smallest p, 2/2^10", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 55, 2.0 / 1024},
		{"ten pairs all faster are as significant", []float64{-1, -2, -3, -4, -5, -6, -7, -8, -9, -10}, 0, 2.0 / 1024},
		// Hollander & Wolfe's depression-scale example (R's wilcox.test example):
		// V = 40, two-sided p = 0.039 06.
		{"the textbook example", diff(
			[]float64{1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30},
			[]float64{0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29}), 40, 0.0390625},
		{"no non-zero pair is no evidence", []float64{0, 0, 0}, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := SignedRank(tt.d)
			if r.WPlus != tt.wplus || math.Abs(r.P-tt.p) > 1e-9 {
				t.Errorf("W+ = %v, p = %v; want %v, %v", r.WPlus, r.P, tt.wplus, tt.p)
			}
		})
	}
}

func diff(a, b []float64) []float64 {
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	return d
}

func TestSignedRankNormalApproximationNearExactLimit(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	d := make([]float64, ExactLimit+1)
	for i := range d {
		d[i] = rng.NormFloat64() + 0.3
	}
	approx := SignedRank(d)
	if approx.Exact {
		t.Fatal("above ExactLimit the test should approximate")
	}
	exact := SignedRank(d[:ExactLimit])
	if !exact.Exact {
		t.Fatal("at ExactLimit the test should be exact")
	}
	// The same data through the exact path, one pair short of the limit, and the
	// approximation on the whole: compare the approximation with the exact value
	// for the same n by computing it directly from the untied distribution.
	p := untiedNull(len(d))
	w := int(approx.WPlus)
	lo, hi := 0.0, 0.0
	for s, ps := range p {
		if s <= w {
			lo += ps
		}
		if s >= w {
			hi += ps
		}
	}
	want := math.Min(1, 2*math.Min(lo, hi))
	if math.Abs(approx.P-want) > 1e-3 {
		t.Errorf("normal approximation p = %v, exact %v", approx.P, want)
	}
}

// TestSignedRankRates checks the test on synthetic samples with known answers:
// unshifted normal log ratios are flagged at about alpha, shifted ones at the
// power theory gives (n = 12, shift = one standard deviation: the paired t-test
// has power 0.88 there, and the signed-rank test a little less, since its exact
// level for 12 pairs is 0.042 rather than 0.05).
func TestSignedRankRates(t *testing.T) {
	t.Parallel()
	const trials, n, alpha = 4000, 12, 0.05
	rng := rand.New(rand.NewPCG(5, 6))
	flagged := func(shift float64) float64 {
		hits := 0
		d := make([]float64, n)
		for range trials {
			for i := range d {
				d[i] = shift + 0.03*rng.NormFloat64()
			}
			if SignedRank(d).P < alpha {
				hits++
			}
		}
		return float64(hits) / trials
	}
	if got := flagged(0); got > alpha+0.01 || got < alpha-0.02 {
		t.Errorf("unshifted: flagged %.3f of runs, want about %.2f (never more)", got, alpha)
	}
	if got := flagged(0.03); got < 0.80 || got > 0.90 {
		t.Errorf("shifted by one σ: flagged %.3f of runs, want about 0.85", got)
	}
}
