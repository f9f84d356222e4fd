package reports

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// pairedRun describes synthetic regress.sh output: rounds of benchmarks, each
// round sharing a machine-wide drift factor between base and head (what
// interleaving cancels), plus independent noise per measurement.
type pairedRun struct {
	seed          uint64
	rounds, bench int
	drift, noise  float64         // log-normal σ of the round factor and of each value
	slow          map[int]float64 // benchmark index → head time/op factor
	p99Slow       float64         // head p99 factor for every benchmark (0 = 1)
	noisy         map[int]float64 // benchmark index → its own noise σ
	noLabels      bool            // omit the round lines, as plain go test output
}

// texts returns base.txt and head.txt as scripts/regress.sh writes them.
func (r pairedRun) texts() (string, string) {
	rng := rand.New(rand.NewPCG(r.seed, 99))
	var base, head strings.Builder
	for _, b := range []*strings.Builder{&base, &head} {
		b.WriteString("Unit p99-ns better=lower\n")
	}
	for round := 1; round <= r.rounds; round++ {
		roundFactor := math.Exp(r.drift * rng.NormFloat64())
		for side, b := range []*strings.Builder{&base, &head} {
			if !r.noLabels {
				fmt.Fprintf(b, "round: %d\n", round)
			}
			b.WriteString("goos: linux\ngoarch: amd64\npkg: example.com/x\n")
			for i := 0; i < r.bench; i++ {
				sigma := r.noise
				if s, ok := r.noisy[i]; ok {
					sigma = s
				}
				ns := 100 * float64(i+1) * roundFactor * math.Exp(sigma*rng.NormFloat64())
				p99 := 3 * ns
				if side == 1 {
					if f, ok := r.slow[i]; ok {
						ns *= f
						p99 *= f
					}
					if r.p99Slow != 0 {
						p99 *= r.p99Slow
					}
				}
				fmt.Fprintf(b, "BenchmarkB/n=%d-2\t1000000\t%.3f ns/op\t%.1f p99-ns\n", i, ns, p99)
			}
		}
	}
	return base.String(), head.String()
}

func (r pairedRun) compare(t *testing.T) *Comparison {
	t.Helper()
	b, h := r.texts()
	return Compare(mustSamples(t, b), mustSamples(t, h), CompareOptions{})
}

func TestComparePairsRoundsAndCancelsDrift(t *testing.T) {
	t.Parallel()
	// 20% drift between rounds, 1.5% noise within a round: a 10% slowdown of one
	// benchmark is invisible to an unpaired test and plain to a paired one.
	run := pairedRun{seed: 1, rounds: 12, bench: 10, drift: 0.2, noise: 0.015, slow: map[int]float64{3: 1.10}}
	c := run.compare(t)
	reg := c.Regressions()
	if len(reg) != 1 || reg[0].Key.Name != "example.com/x B/n=3-2" || reg[0].Pairs != 12 {
		t.Fatalf("paired: regressions %+v, want n=3 alone with 12 pairs; verdict %q", reg, c.Verdict())
	}
	if d := reg[0].Delta; math.Abs(d-0.10) > 0.02 || !(reg[0].DeltaLo < 0.10 && 0.10 < reg[0].DeltaHi) {
		t.Errorf("estimated change %+.3f [%+.3f, %+.3f], want about +0.10 inside its interval", d, reg[0].DeltaLo, reg[0].DeltaHi)
	}
	run.noLabels = true
	c = run.compare(t)
	if len(c.Regressions()) != 0 {
		t.Errorf("unpaired: flagged %d under 20%% drift; the test is not paired if it can see this", len(c.Regressions()))
	}
	if !strings.Contains(strings.Join(c.Warnings, "\n"), "no round labels") {
		t.Errorf("unpaired input is not called out: %q", c.Warnings)
	}
}

func TestCompareStatesResolution(t *testing.T) {
	t.Parallel()
	run := pairedRun{seed: 2, rounds: 15, bench: 10, drift: 0.1, noise: 0.01}
	c := run.compare(t)
	if len(c.Regressions()) != 0 || len(c.Unresolved()) != 0 {
		t.Fatalf("A/A: %d regressions, %d unresolved; verdict %q", len(c.Regressions()), len(c.Unresolved()), c.Verdict())
	}
	v := c.Verdict()
	if !strings.HasPrefix(v, "No regression: no time/op change ≥ ") || !strings.Contains(v, "in any of 10 benchmarks") {
		t.Errorf("verdict %q does not state the resolution", v)
	}
	for _, m := range c.Metrics {
		// σ of a ratio is 1.4% here; 15 pairs at alpha 0.05/10 resolve about 5-7%.
		if m.Primary && !(m.Resolution > 0.05 && m.Resolution < 0.09) {
			t.Errorf("%s: resolution %.3f, want between the 5%% threshold and 9%%", m.Key.Name, m.Resolution)
		}
	}

	// One benchmark ten times noisier cannot resolve the 10% target: the verdict
	// says so instead of passing.
	run.noisy = map[int]float64{7: 0.10}
	c = run.compare(t)
	un := c.Unresolved()
	if len(un) != 1 || !strings.Contains(un[0].Key.Name, "n=7") {
		t.Fatalf("unresolved %+v, want n=7 alone", un)
	}
	if v := c.Verdict(); !strings.HasPrefix(v, "INCONCLUSIVE:") || !strings.Contains(v, "B/n=7-2") {
		t.Errorf("verdict %q does not name the unresolved benchmark", v)
	}
	var md bytes.Buffer
	if err := c.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "### ⚠️ INCONCLUSIVE") || !strings.Contains(md.String(), "detects ≥") {
		t.Errorf("markdown:\n%s", md.String())
	}

	// Too few rounds to pass the correction at all: resolution "none".
	c = pairedRun{seed: 3, rounds: 7, bench: 10, noise: 0.01}.compare(t)
	if !math.IsInf(c.Metrics[0].Resolution, 1) || !strings.Contains(strings.Join(c.Warnings, "\n"), "take at least 9 rounds") {
		t.Errorf("7 rounds for 10 benchmarks: resolution %v, warnings %q", c.Metrics[0].Resolution, c.Warnings)
	}
}

func TestCompareSecondaryFamiliesDoNotGate(t *testing.T) {
	t.Parallel()
	c := pairedRun{seed: 4, rounds: 12, bench: 6, noise: 0.01, p99Slow: 1.5}.compare(t)
	if len(c.Regressions()) != 0 {
		t.Errorf("p99 alone failed the check: %q", c.Verdict())
	}
	if got := len(c.SecondaryRegressions()); got != 6 {
		t.Errorf("%d secondary regressions, want all 6 p99 metrics", got)
	}
	if len(c.Families) != 2 || !c.Families[0].Primary || c.Families[0].Unit != "sec/op" || c.Families[0].Correction != "Holm" ||
		c.Families[1].Correction != "Benjamini-Hochberg" || c.Families[1].Size != 6 {
		t.Errorf("families %+v", c.Families)
	}
	var md bytes.Buffer
	if err := c.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "Secondary metrics that got worse (reported, not failing the check)") {
		t.Errorf("markdown does not list the secondary regressions:\n%s", md.String())
	}
}

// TestCompareRates runs Compare on many seeded synthetic suites of 10
// benchmarks, 15 paired rounds, 2% noise per value (2.8% per ratio) and 10%
// drift between rounds: with no change, at most 5% of runs fail; a 15% slowdown
// of one benchmark is flagged in at least 90%.
func TestCompareRates(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("160 comparisons")
	}
	const trials = 80
	rate := func(t *testing.T, slow float64) float64 {
		hits := 0
		for s := range trials {
			run := pairedRun{seed: uint64(1000 + s), rounds: 15, bench: 10, drift: 0.1, noise: 0.02}
			if slow != 1 {
				run.slow = map[int]float64{s % 10: slow}
			}
			b, h := run.texts()
			if len(Compare(mustSamples(t, b), mustSamples(t, h), CompareOptions{PrimaryOnly: true}).Regressions()) > 0 {
				hits++
			}
		}
		return float64(hits) / trials
	}
	t.Run("with no change at most 5% fail", func(t *testing.T) {
		t.Parallel()
		if got := rate(t, 1); got > 0.05 {
			t.Errorf("A/A: %.2f of runs failed, want ≤ 0.05", got)
		}
	})
	t.Run("a 15% slowdown is flagged in at least 90%", func(t *testing.T) {
		t.Parallel()
		if got := rate(t, 1.15); got < 0.9 {
			t.Errorf("15%% slowdown: flagged in %.2f of runs, want ≥ 0.9", got)
		}
	})
}

func TestPairByRound(t *testing.T) {
	t.Parallel()
	k := MetricKey{"x", "sec/op"}
	var base, head Samples
	for i, v := range []float64{1, 2, 3} {
		base.AddRound(k.Name, k.Unit, fmt.Sprint(i+1), v)
	}
	// Head lacks round 2, has round 3 twice (REPEAT=2: its least counts) and
	// round 4.
	for _, e := range []struct {
		r string
		v float64
	}{{"3", 31}, {"1", 10}, {"3", 30}, {"4", 40}} {
		head.AddRound(k.Name, k.Unit, e.r, e.v)
	}
	b, h, dropped, ok := pairByRound(&base, &head, k)
	if !ok || fmt.Sprint(b, h) != "[1 3] [10 30]" || dropped != 2 {
		t.Errorf("pairs %v %v, dropped %d, ok %v; want [1 3] [10 30] (round 3's least, 30), 2 dropped (base round 2, head round 4)", b, h, dropped, ok)
	}
	head.Add(k.Name, k.Unit, 50)
	if _, _, _, ok := pairByRound(&base, &head, k); ok {
		t.Error("a value without a round label still paired")
	}
}

func TestComparePrimaryOnlyAndFamilySize(t *testing.T) {
	t.Parallel()
	run := pairedRun{seed: 5, rounds: 12, bench: 4, noise: 0.03, slow: map[int]float64{1: 1.3}}
	b, h := run.texts()
	full := Compare(mustSamples(t, b), mustSamples(t, h), CompareOptions{})
	only := Compare(mustSamples(t, b), mustSamples(t, h), CompareOptions{PrimaryOnly: true})
	if len(only.Families) != 1 || len(only.Metrics) != 4 || len(full.Metrics) != 8 {
		t.Fatalf("primary only: %d families, %d metrics (full %d)", len(only.Families), len(only.Metrics), len(full.Metrics))
	}
	for i, m := range only.Metrics {
		if f := full.Metrics[2*i]; f.Key != m.Key || f.PAdj != m.PAdj || f.Resolution != m.Resolution {
			t.Errorf("%s: primary-only PAdj %v resolution %v, full %v %v", m.Key.Name, m.PAdj, m.Resolution, f.PAdj, f.Resolution)
		}
	}
	// Correcting 4 benchmarks as if they were 40: 12 pairs (min p 2^-11) still
	// pass 0.05/40, but the resolution is coarser and p grows tenfold.
	big := Compare(mustSamples(t, b), mustSamples(t, h), CompareOptions{PrimaryOnly: true, FamilySize: 40})
	if big.Families[0].Size != 40 {
		t.Fatalf("family size %d, want 40", big.Families[0].Size)
	}
	for i, m := range big.Metrics {
		if !(m.Resolution > only.Metrics[i].Resolution) {
			t.Errorf("%s: resolution %v at 40, %v at 4", m.Key.Name, m.Resolution, only.Metrics[i].Resolution)
		}
	}
	if got, want := big.Metrics[1].PAdj, math.Min(1, 40*big.Metrics[1].P); math.Abs(got-want) > 1e-12 {
		t.Errorf("shifted metric's Holm p at family 40 = %v, want %v", got, want)
	}
}
