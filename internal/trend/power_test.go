package trend

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
)

var (
	powerTrials = flag.Int("trend.trials", 100, "trials per step size in TestDetectorPowerOnRecordedNoise")
	powerSteps  = flag.String("trend.steps", "0,20", "step sizes in percent TestDetectorPowerOnRecordedNoise measures (0 and 20 are asserted)")
)

// recordedNoise reads testdata/aa-noise.txt, 90 runs of each of nine
// BenchmarkImpls cells recorded from one commit (A/A: every difference is the
// machine's), and returns each cell's cpu-ns/op divided by its median.
func recordedNoise(t *testing.T) map[string][]float64 {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "aa-noise.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	noise := map[string][]float64{}
	rd := benchfmt.NewReader(f, "aa-noise.txt")
	for rd.Scan() {
		if r, ok := rd.Result().(*benchfmt.Result); ok {
			if v, ok := r.Value("cpu-sec/op"); ok {
				name := string(r.Name.Full())
				noise[name] = append(noise[name], v)
			}
		}
	}
	if err := rd.Err(); err != nil {
		t.Fatal(err)
	}
	for name, v := range noise {
		m := median(v)
		for i := range v {
			v[i] /= m
		}
		noise[name] = v
	}
	if len(noise) < 5 {
		t.Fatalf("recorded noise has %d benchmarks, want the nine cells", len(noise))
	}
	return noise
}

// history draws a 60-commit history from noise: each commit's figure is the
// least of three draws, as ReadHistory takes the best of a bench file's
// repeated runs (go test -count 3), and from index at on it is multiplied by
// 1+step.
func history(rng *rand.Rand, noise []float64, at int, step float64) []float64 {
	h := make([]float64, 60)
	var three [3]float64
	for i := range h {
		for k := range three {
			three[k] = noise[rng.IntN(len(noise))]
		}
		slices.Sort(three[:])
		h[i] = three[0]
		if i >= at {
			h[i] *= 1 + step
		}
	}
	return h
}

// TestDetectorPowerOnRecordedNoise measures what the detector finds in
// histories of 60 commits drawn from this machine's recorded noise: with a
// step of 5, 10 or 20% at a random commit, the share of trials whose change
// point lands within one commit of it; without a step, the share that raise a
// change point at all (a false alarm). It asserts what the recording
// supports (docs/trend.md): ≤ 5% false alarms, ≥ 90% found at +20%; the +10%
// row is measured and reported, not asserted: it sits at the edge (90.1% of
// 1000 trials on the quiet recording), because on the noisiest cells (~7% CV
// per run) a single commit's +10% is little more than one standard deviation.
// Seeded, so it is deterministic; run with -v -trend.trials 1000
// -trend.steps 0,5,10,20 for the table docs/trend.md quotes.
func TestDetectorPowerOnRecordedNoise(t *testing.T) {
	noise := recordedNoise(t)
	names := make([]string, 0, len(noise))
	for n := range noise {
		names = append(names, n)
	}
	slices.Sort(names)
	cfg := DefaultConfig()
	rng := rand.New(rand.NewPCG(2026, 12))
	var table strings.Builder
	table.WriteString("| step | trials | found within ±1 commit | any change point (false alarm at 0%) |\n|---|---|---|---|\n")
	rates := map[float64][2]float64{}
	var steps []float64
	for f := range strings.SplitSeq(*powerSteps, ",") {
		pct, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			t.Fatalf("-trend.steps %q: %v", *powerSteps, err)
		}
		steps = append(steps, pct/100)
	}
	for _, step := range steps {
		found, alarms := 0, 0
		for trial := range *powerTrials {
			at := cfg.MinSegment + rng.IntN(60-2*cfg.MinSegment+1)
			h := history(rng, noise[names[trial%len(names)]], at, step)
			splits := ChangePoints(h, cfg, rng)
			if len(splits) > 0 {
				alarms++
			}
			for _, s := range splits {
				if s.Index >= at-1 && s.Index <= at+1 {
					found++
					break
				}
			}
		}
		n := float64(*powerTrials)
		rates[step] = [2]float64{float64(found) / n, float64(alarms) / n}
		fmt.Fprintf(&table, "| %+.0f%% | %d | %.1f%% | %.1f%% |\n", step*100, *powerTrials, 100*float64(found)/n, 100*float64(alarms)/n)
	}
	t.Logf("E-divisive (alpha %v, %d permutations, min segment %d) on cpu-ns/op noise of %d cells:\n%s",
		cfg.Alpha, cfg.Permutations, cfg.MinSegment, len(names), table.String())
	if r, ok := rates[0.20]; ok && r[0] < 0.90 {
		t.Errorf("a +20%% step found at its commit (±1) in %.1f%% of trials, want ≥ 90%%", 100*r[0])
	}
	if r, ok := rates[0]; ok && r[1] > 0.05 {
		t.Errorf("unshifted histories raised a change point in %.1f%% of trials, want ≤ 5%%", 100*r[1])
	}
}
