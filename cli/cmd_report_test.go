package cli

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
)

// runVerb runs loadgen in-process and returns its exit code and output.
func runVerb(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = runMain(context.Background(), args, stdio{stdout: &out, stderr: &errOut})
	return code, out.String(), errOut.String()
}

// testResult records ops ops with latencies around latNs into a real Recorder
// and returns a valid result of impl at concurrency conc.
func testResult(t *testing.T, impl string, conc, rep, ops int, latNs float64) *result.Result {
	t.Helper()
	rng := rand.New(rand.NewPCG(uint64(rep), uint64(conc)))
	rec := metrics.NewRecorder(1)
	for range ops {
		lat := int64(latNs * (1 + 0.1*rng.NormFloat64()))
		rec.Record(0, 0, lat/4, lat, impls.OK)
	}
	iv := rec.Collect()
	tot := rec.Totals()
	resp, _ := result.EncodeHistogram(tot.Response)
	svc, _ := result.EncodeHistogram(tot.Service)
	lag, _ := result.EncodeHistogram(tot.Lag)
	n := tot.Completed()
	r := &result.Result{
		Schema: result.Schema, Impl: impl, Family: "locks", Workload: "mixed",
		Params:     result.Params{Model: "closed", Concurrency: conc, DurationNs: int64(time.Second), Seed: int64(rep)},
		Env:        result.Environment{GoVersion: "go1.26", GOOS: "linux", GOARCH: "amd64", GOMAXPROCS: 2, NumCPU: 2},
		Start:      time.Date(2026, 1, 1, 0, rep, 0, 0, time.UTC),
		DurationNs: int64(time.Second), Repetition: rep,
		Counts:    result.Counts{Offered: n, Completed: n, OK: n},
		Rates:     result.Rates{Offered: float64(n), Achieved: float64(n), Admitted: float64(n)},
		Latency:   result.Latencies{Response: result.Summarize(tot.Response), Service: result.Summarize(tot.Service), Lag: result.SummarizePtr(tot.Lag)},
		Histogram: result.Histograms{Response: resp, Service: svc, Lag: lag},
		Series: []result.Interval{{DurationNs: int64(time.Second), Offered: float64(n), Achieved: float64(n), Admitted: float64(n), OK: n,
			ResponseP50: iv.Response.ValueAtQuantile(50), ResponseP99: iv.Response.ValueAtQuantile(99), ResponseMax: iv.Response.Max()}},
	}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	return r
}

// writeCell writes reps repetitions of impl into dir and returns their paths.
func writeCell(t *testing.T, dir, impl string, conc, reps, ops int, latNs float64) []string {
	t.Helper()
	var paths []string
	for rep := 1; rep <= reps; rep++ {
		p := filepath.Join(dir, fmt.Sprintf("%s-c%d-r%d.json", impl, conc, rep))
		if err := result.WriteFile(p, testResult(t, impl, conc, rep, ops, latNs)); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func TestReportWritesReportFilesAndAcceptsSingleDashFlags(t *testing.T) {
	t.Parallel()
	in, out := t.TempDir(), filepath.Join(t.TempDir(), "rep")
	writeCell(t, in, "mutex", 4, 3, 200, 1000)
	writeCell(t, in, "atomic", 4, 3, 300, 300)
	code, stdout, stderr := runVerb(t, "report", in, "-out", out, "-title=Nightly")
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, "report.md") {
		t.Errorf("stdout %q does not name report.md", stdout)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(md), "# Nightly") || !strings.Contains(string(md), "Throughput: `atomic` ") || !strings.Contains(string(md), "not tested") {
		t.Errorf("report.md does not have the title or the comparison line:\n%s", md)
	}
	for _, f := range []string{"results.csv", "bench.txt", "plots"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s missing: %v", f, err)
		}
	}
}

func TestReportDefaultsOutToTheSingleInputDirectory(t *testing.T) {
	t.Parallel()
	in := t.TempDir()
	writeCell(t, in, "mutex", 1, 1, 50, 500)
	if code, _, stderr := runVerb(t, "report", "--no-plots", in); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(in, "report.md")); err != nil {
		t.Error(err)
	}
}

// TestVerbsRejectBadInputWithOneLineAndNoOutput covers every verb's bad input:
// exit 2, exactly one stderr line starting "loadgen: ", and no output file.
func TestVerbsRejectBadInputWithOneLineAndNoOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := writeCell(t, dir, "mutex", 4, 2, 50, 500)
	other := writeCell(t, t.TempDir(), "mutex", 8, 1, 50, 500)[0]
	notJSON := filepath.Join(dir, "broken.json")
	os.WriteFile(notJSON, []byte("{not json"), 0o644)
	wrongSchema := filepath.Join(t.TempDir(), "old.json")
	os.WriteFile(wrongSchema, []byte(`{"schema":"syncbench/result/v0"}`), 0o644)
	emptyDir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	outDir := t.TempDir()
	outFile := filepath.Join(outDir, "out")

	tests := []struct {
		name    string
		args    []string
		mention string // the bad value the message must name
	}{
		{"report of a nonexistent directory", []string{"report", missing, "-out", outFile}, "missing"},
		{"report of a file that is not JSON", []string{"report", notJSON, "-out", outFile}, "broken.json"},
		{"report of a result of another schema", []string{"report", wrongSchema, "-out", outFile}, "syncbench/result/v0"},
		{"report of a directory without results", []string{"report", emptyDir, "-out", outFile}, emptyDir},
		{"report with an unknown flag", []string{"report", good[0], "-out", outFile, "-colour"}, "colour"},
		{"report without inputs", []string{"report", "-out", outFile}, "report needs"},
		{"report of files without -out", []string{"report", good[0]}, "-out"},
		{"compare with one input", []string{"compare", good[0], "-out", outFile}, "exactly two"},
		{"compare with a threshold that is not a number", []string{"compare", good[0], good[1], "-threshold", "lots", "-out", outFile}, "lots"},
		{"compare with a bare threshold of 5", []string{"compare", good[0], good[1], "-threshold=5", "-out", outFile}, "5%"},
		{"compare with alpha outside (0,1)", []string{"compare", good[0], good[1], "-alpha", "1.5", "-out", outFile}, "1.5"},
		{"compare with a missing base", []string{"compare", missing, good[1], "-out", outFile}, "missing"},
		{"compare with a garbage bench file", []string{"compare", writeGarbage(t), good[1], "-out", outFile}, "garbage"},
		{"merge of different configurations", []string{"merge", good[0], other, "-out", outFile}, "-force"},
		{"merge without -out", []string{"merge", good[0], good[1]}, "-out"},
		{"merge of a broken file", []string{"merge", good[0], notJSON, "-out", outFile}, "broken.json"},
		{"merge of a single result", []string{"merge", good[0], "-out", outFile}, "at least two"},
		{"export in an unknown format", []string{"export", "-format", "xml", good[0], "-o", outFile}, "xml"},
		{"export of a nonexistent file", []string{"export", missing, "-o", outFile}, "missing"},
		{"export without inputs", []string{"export", "-o", outFile}, "export needs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runVerb(t, tt.args...)
			if code != ExitBadInput {
				t.Errorf("exit %d, want %d (stdout %q, stderr %q)", code, ExitBadInput, stdout, stderr)
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "loadgen: ") {
				t.Errorf("stderr is not one loadgen: line: %q", stderr)
			}
			if !strings.Contains(stderr, tt.mention) {
				t.Errorf("stderr %q does not mention %q", stderr, tt.mention)
			}
			if entries, _ := os.ReadDir(outDir); len(entries) != 0 {
				t.Errorf("bad input left files behind: %v", entries)
				for _, e := range entries {
					os.RemoveAll(filepath.Join(outDir, e.Name()))
				}
			}
		})
	}
}

func writeGarbage(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "garbage.txt")
	os.WriteFile(p, []byte("this is not benchmark output\n"), 0o644)
	return p
}

func TestVerbHelpExitsZero(t *testing.T) {
	t.Parallel()
	for _, verb := range []string{"report", "compare", "merge", "export"} {
		t.Run(verb+" -h prints usage and exits 0", func(t *testing.T) {
			code, stdout, _ := runVerb(t, verb, "-h")
			if code != ExitOK || !strings.Contains(stdout, "usage: loadgen "+verb) {
				t.Errorf("exit %d, stdout %q", code, stdout)
			}
		})
	}
}

func TestReportTakesPercentiles(t *testing.T) {
	t.Parallel()
	in := t.TempDir()
	writeCell(t, in, "mutex", 4, 1, 200, 1000)
	if code, _, stderr := runVerb(t, "report", in, "-no-plots", "-percentiles", "50,99.99"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	md, err := os.ReadFile(filepath.Join(in, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "| p50 | p99.99 | max |") {
		t.Errorf("report.md does not show the chosen percentiles:\n%s", md)
	}
	if code, _, stderr := runVerb(t, "report", in, "-percentiles", "x"); code != ExitBadInput || !strings.Contains(stderr, "-percentiles") {
		t.Errorf("-percentiles x: exit %d, %q", code, stderr)
	}
}
