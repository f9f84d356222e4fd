package trend

import (
	"math/rand/v2"
	"testing"
)

// noisy returns n values around level with Gaussian noise of sd.
func noisy(rng *rand.Rand, n int, level, sd float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = level + sd*rng.NormFloat64()
	}
	return v
}

func TestChangePointsFindAStepWhereItIs(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	series := append(noisy(rng, 30, 100, 2), noisy(rng, 30, 110, 2)...)
	got := ChangePoints(series, DefaultConfig(), rng)
	if len(got) != 1 || got[0].Index != 30 {
		t.Fatalf("change points %+v, want one at index 30", got)
	}
	if got[0].P > DefaultConfig().Alpha {
		t.Errorf("p = %v above alpha", got[0].P)
	}
}

func TestChangePointsFindTwoStepsInOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	series := append(append(noisy(rng, 20, 100, 1), noisy(rng, 20, 120, 1)...), noisy(rng, 20, 100, 1)...)
	got := ChangePoints(series, DefaultConfig(), rng)
	if len(got) != 2 || got[0].Index != 20 || got[1].Index != 40 {
		t.Fatalf("change points %+v, want 20 and 40", got)
	}
}

func TestChangePointsFindNoneInStationaryNoise(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 99))
		if got := ChangePoints(noisy(rng, 60, 100, 5), DefaultConfig(), rng); len(got) > 1 {
			t.Errorf("seed %d: %d change points in pure noise: %+v", seed, len(got), got)
		}
	}
}

func TestChangePointsLeaveShortSeriesAlone(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	cfg := DefaultConfig()
	short := []float64{1, 1, 1, 9, 9, 9, 9} // shorter than two minimum segments
	if got := ChangePoints(short, cfg, rng); len(got) != 0 {
		t.Fatalf("change points %+v in a series of %d (min segment %d)", got, len(short), cfg.MinSegment)
	}
	if got := ChangePoints(nil, cfg, rng); len(got) != 0 {
		t.Fatalf("change points %+v in an empty series", got)
	}
}

// TestBestSplitMatchesTheDefinition checks the prefix-sum statistic against a
// direct evaluation of Matteson and James's q̂ at every split.
func TestBestSplitMatchesTheDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	z := append(noisy(rng, 9, 0, 1), noisy(rng, 8, 3, 1)...)
	direct := func(tau int) float64 {
		x, y := z[:tau], z[tau:]
		var cross, wx, wy float64
		for _, a := range x {
			for _, b := range y {
				cross += abs(a - b)
			}
		}
		for i := range x {
			for k := i + 1; k < len(x); k++ {
				wx += abs(x[i] - x[k])
			}
		}
		for i := range y {
			for k := i + 1; k < len(y); k++ {
				wy += abs(y[i] - y[k])
			}
		}
		m, n := float64(len(x)), float64(len(y))
		e := 2*cross/(m*n) - wx/(m*(m-1)/2) - wy/(n*(n-1)/2)
		return m * n / (m + n) * e
	}
	wantAt, wantQ := -1, -1e300
	for tau := 3; tau <= len(z)-3; tau++ {
		if q := direct(tau); q > wantQ {
			wantAt, wantQ = tau, q
		}
	}
	var scratch []float64
	at, q := bestSplit(z, 3, &scratch)
	if at != wantAt || abs(q-wantQ) > 1e-9*abs(wantQ) {
		t.Fatalf("bestSplit = (%d, %v), direct evaluation (%d, %v)", at, q, wantAt, wantQ)
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestMeasureGivesTheMediansRatioAndAnIntervalAroundIt(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	c := measure([]float64{100, 100, 100, 100}, []float64{110, 110, 110}, rng)
	if c.Before != 100 || c.After != 110 || abs(c.Ratio-0.10) > 1e-12 || abs(c.Lo-0.10) > 1e-12 || abs(c.Hi-0.10) > 1e-12 {
		t.Fatalf("constant segments: %+v, want +10%% exactly with a zero-width interval", c)
	}
	c = measure(noisy(rng, 30, 100, 3), noisy(rng, 30, 110, 3), rng)
	if !(c.Lo < c.Ratio && c.Ratio < c.Hi) || c.Lo < 0.05 || c.Hi > 0.15 {
		t.Fatalf("noisy +10%% step: %+v, want an interval around the ratio within [5%%, 15%%]", c)
	}
}

func TestAnalyzeCallsARiseInTimeARegressionAndInThroughputAnImprovement(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	values := append(noisy(rng, 25, 100, 1), noisy(rng, 25, 120, 1)...)
	commits := make([]string, len(values))
	for i := range commits {
		commits[i] = string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	series := []Series{
		{Name: "time", Unit: "ns", Commits: commits, Values: values},
		{Name: "rate", Unit: "ops/s", BiggerIsBetter: true, Commits: commits, Values: values},
	}
	got := Analyze(series, DefaultConfig(), 0.05, 1)
	for i, want := range []bool{true, false} {
		n := got[i].Newest()
		if n == nil || n.Index != 25 || n.Commit != commits[25] || n.Previous != commits[24] {
			t.Fatalf("%s: newest change %+v, want at commit %s", series[i].Name, n, commits[25])
		}
		if n.Regression != want {
			t.Errorf("%s: regression = %v, want %v", series[i].Name, n.Regression, want)
		}
	}
	if got := Analyze(series, DefaultConfig(), 0.5, 1); got[0].Newest().Regression {
		t.Error("a +20% rise is a regression beyond a 50% threshold")
	}
}
