package reports

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

// benchOutput returns `go test -bench` output for two benchmarks, count lines
// each, with ns/op around nsPerOp and a little noise.
func benchOutput(seed uint64, count int, nsPerOp float64) string {
	rng := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	b.WriteString("goos: linux\ngoarch: amd64\npkg: github.com/syncbench/syncbench\ncpu: Test CPU\n")
	for range count {
		for _, name := range []string{"BenchmarkMutex-2", "BenchmarkAtomic-2"} {
			ns := nsPerOp * (1 + 0.02*rng.NormFloat64())
			fmt.Fprintf(&b, "%s\t1000000\t%.1f ns/op\t%.0f p99-ns\n", name, ns, 3*ns)
		}
	}
	b.WriteString("PASS\n")
	return b.String()
}

func mustSamples(t *testing.T, text string) *Samples {
	t.Helper()
	s, err := ReadBenchSamples(strings.NewReader(text), "bench.txt")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCompareBenchOutputs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		base, head string
		regressed  bool
		improved   bool
		warnFew    bool
	}{
		{"identical samples show no regression", benchOutput(1, 10, 100), benchOutput(1, 10, 100), false, false, false},
		{"independent samples of the same code show no regression", benchOutput(1, 10, 100), benchOutput(2, 10, 100), false, false, false},
		{"a 30% slower head is a regression", benchOutput(1, 10, 100), benchOutput(2, 10, 130), true, false, false},
		{"a 30% faster head is an improvement, not a regression", benchOutput(1, 10, 100), benchOutput(2, 10, 70), false, true, false},
		{"a 2% slowdown is below the threshold", benchOutput(1, 10, 100), benchOutput(1, 10, 102), false, false, false},
		{"three samples a side cannot show anything and say so", benchOutput(1, 3, 100), benchOutput(2, 3, 200), false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Compare(mustSamples(t, tt.base), mustSamples(t, tt.head), CompareOptions{})
			if got := len(c.Regressions()) > 0; got != tt.regressed {
				t.Errorf("regressed = %v, want %v; verdict %q", got, tt.regressed, c.Verdict())
			}
			improved := false
			for _, m := range c.Metrics {
				improved = improved || m.Improvement
			}
			if improved != tt.improved {
				t.Errorf("improved = %v, want %v", improved, tt.improved)
			}
			warned := strings.Contains(strings.Join(c.Warnings, "\n"), "fewer than 6 samples")
			if warned != tt.warnFew {
				t.Errorf("few-samples warning = %v, want %v (%q)", warned, tt.warnFew, c.Warnings)
			}
			if len(c.Metrics) != 4 {
				t.Errorf("compared %d metrics, want 4 (2 benchmarks × 2 units)", len(c.Metrics))
			}
			var md bytes.Buffer
			if err := c.WriteMarkdown(&md); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(md.String(), "| **geomean** |") || !strings.Contains(md.String(), c.Verdict()) {
				t.Errorf("markdown lacks geomean row or verdict:\n%s", md.String())
			}
		})
	}
}

func TestCompareUsesUnitMetadataForDirection(t *testing.T) {
	t.Parallel()
	// "score" has no conventional direction; metadata says higher is better, so
	// a drop is a regression.
	mk := func(v float64) string {
		var b strings.Builder
		b.WriteString("Unit score better=higher\n")
		for i := range 8 {
			fmt.Fprintf(&b, "BenchmarkX 1 %.2f score\n", v+float64(i)*0.01)
		}
		return b.String()
	}
	c := Compare(mustSamples(t, mk(100)), mustSamples(t, mk(50)), CompareOptions{})
	if len(c.Regressions()) != 1 {
		t.Errorf("a halved higher-is-better score is not a regression: %q", c.Verdict())
	}
}

func TestCompareResultDirectories(t *testing.T) {
	t.Parallel()
	write := func(dir string, slow float64, seed uint64) {
		for _, impl := range []string{"mutex", "atomic"} {
			for _, r := range makeCell(t, fixture{impl: impl, conc: 4, ops: 100, baseNs: 1000 * slow, seed: seed}, 6) {
				if impl == "mutex" {
					r.Rates.Achieved /= slow
				}
				if err := result.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.json", impl, r.Repetition)), r); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	base, same, slow := t.TempDir(), t.TempDir(), t.TempDir()
	write(base, 1, 1)
	write(same, 1, 100)
	write(slow, 1.5, 200)
	load := func(p string) *Samples {
		s, err := LoadSamples(p)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if c := Compare(load(base), load(same), CompareOptions{}); len(c.Regressions()) != 0 {
		t.Errorf("same configuration regressed: %s", c.Verdict())
	}
	c := Compare(load(base), load(slow), CompareOptions{})
	if len(c.Regressions()) == 0 {
		t.Errorf("50%% slower latencies did not regress: %s", c.Verdict())
	}
	if len(c.Metrics) != 6 {
		t.Errorf("compared %d metrics, want 2 cells × (ops/s, p50, p99)", len(c.Metrics))
	}
}

func TestLoadSamplesDetectsTheInputKind(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := makeResult(t, fixture{impl: "mutex", conc: 1, ops: 10, baseNs: 100})
	jsonPath := filepath.Join(dir, "one.json")
	if err := result.WriteFile(jsonPath, r); err != nil {
		t.Fatal(err)
	}
	benchPath := filepath.Join(dir, "bench.out")
	if err := os.WriteFile(benchPath, []byte(benchOutput(1, 2, 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "garbage.txt")
	if err := os.WriteFile(garbage, []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err := LoadSamples(jsonPath); err != nil || len(s.Values[MetricKey{BenchName(r), unitOpsPerSec}]) != 1 {
		t.Errorf("result file: %v %+v", err, s)
	}
	if s, err := LoadSamples(benchPath); err != nil || len(s.Order) != 4 {
		t.Errorf("bench output: %v %+v", err, s)
	}
	for _, bad := range []string{garbage, filepath.Join(dir, "missing")} {
		if _, err := LoadSamples(bad); err == nil {
			t.Errorf("LoadSamples(%s) succeeded", bad)
		}
	}
}
