package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Three runs of two cells, as BenchmarkPacer prints them.
const fixture = `goos: linux
pkg: github.com/syncbench/syncbench/internal/workloads
BenchmarkPacer/mode=hybrid/rps=1000/conc=4-2 1 100.0 achieved-pct 0.05 cores 40000 lag-p99-ns 30000 pacer-lag-p99-ns
BenchmarkPacer/mode=sleep/rps=1000/conc=4-2  1 100.0 achieved-pct 0.03 cores 900000 lag-p99-ns
BenchmarkPacer/mode=hybrid/rps=1000/conc=4-2 1 100.0 achieved-pct 0.07 cores 60000 lag-p99-ns
BenchmarkPacer/mode=sleep/rps=1000/conc=4-2  1 99.0 achieved-pct 0.04 cores 700000 lag-p99-ns
BenchmarkPacer/mode=hybrid/rps=1000/conc=4-2 1 100.0 achieved-pct 0.06 cores 50000 lag-p99-ns
BenchmarkPacer/mode=sleep/rps=1000/conc=4-2  1 100.0 achieved-pct 0.02 cores 800000 lag-p99-ns
BenchmarkPacer/mode=spinfloor/rps=1000/conc=1-2  1 100.0 achieved-pct 1.0 cores 20000 lag-p99-ns 1.5 stalled-pct
vegeta pacer 1000/s: 3999 ops in 4s (100.0% of schedule), lag p50 740.1µs p99 1.3ms p99.9 2ms, cores 0.03
vegeta pacer 1000/s: 3998 ops in 4s (99.9% of schedule), lag p50 700µs p99 1.1ms p99.9 2ms, cores 0.05
`

func TestRunTablesMediansAndDrawsThePlot(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "bench.txt"), filepath.Join(dir, "frontier.png")
	if err := os.WriteFile(in, []byte(fixture), 0o644); err != nil {
		t.Fatal(err)
	}
	var table bytes.Buffer
	if err := run(in, out, "test", &table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| hybrid | 1000/s | 4 | 3 | 0.060 (0.050–0.070) | – | 50.0µs (40.0µs–60.0µs) | 30.0µs (30.0µs–30.0µs) | 100.00% |",
		"| sleep | 1000/s | 4 | 3 | 0.030 (0.020–0.040) | – | 800µs (700µs–900µs) | – | 100.00% |",
		"| spinfloor | 1000/s | 1 | 1 | 1.000 (1.000–1.000) | – | 20.0µs (20.0µs–20.0µs) | – | 100.00% |",
		"| peer | 1000/s | 4 | 2 | 0.040 (0.030–0.050) | – | 1.20ms (1.10ms–1.30ms) | – | 99.95% |",
		// Within the peer's 0.040 cores only the sleep mode (0.030) fits.
		"peer at 1000/s: 0.040 cores, lag p99 1.20ms; within its CPU loadgen's sleep: 0.030 cores, lag p99 800µs: lower lag p99",
	} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
		t.Fatalf("no plot written: %v", err)
	}
}

func TestRunRejectsInputWithoutPacerResults(t *testing.T) {
	in := filepath.Join(t.TempDir(), "bench.txt")
	os.WriteFile(in, []byte("BenchmarkOther 10 5 ns/op\n"), 0o644)
	if err := run(in, filepath.Join(t.TempDir(), "x.png"), "", &bytes.Buffer{}); err == nil {
		t.Fatal("no error for an input without BenchmarkPacer results")
	}
}

func TestPeerCheckSaysWhenNoModeFitsThePeersCPU(t *testing.T) {
	in := filepath.Join(t.TempDir(), "bench.txt")
	os.WriteFile(in, []byte(`BenchmarkPacer/mode=batch/rps=5000/conc=4-2 1 100.0 achieved-pct 0.06 cores 1000000 lag-p99-ns
BenchmarkPacer/mode=sleep/rps=5000/conc=4-2 1 100.0 achieved-pct 0.20 cores 60000 lag-p99-ns
vegeta pacer 5000/s: 20000 ops in 4s (100.0% of schedule), lag p50 750µs p99 1.3ms p99.9 2.9ms, cores 0.04
`), 0o644)
	var table bytes.Buffer
	if err := run(in, filepath.Join(t.TempDir(), "x.png"), "", &table); err != nil {
		t.Fatal(err)
	}
	want := "peer at 5000/s: 0.040 cores, lag p99 1.30ms; no loadgen mode within its CPU (cheapest: batch, 0.060 cores, lag p99 1.00ms)"
	if !strings.Contains(table.String(), want) {
		t.Errorf("check lacks %q:\n%s", want, table.String())
	}
}

// Where a run reports its CPU over the measured window, the frontier compares
// that (the span the peer times itself over), and the table shows the whole
// run's beside it.
func TestPeerCheckComparesTheWindowsCPUWhereItWasMeasured(t *testing.T) {
	in := filepath.Join(t.TempDir(), "bench.txt")
	os.WriteFile(in, []byte(`BenchmarkPacer/mode=batch/rps=5000/conc=4-2 1 100.0 achieved-pct 0.050 cores 0.036 window-cores 1000000 lag-p99-ns
BenchmarkPacer/mode=batch/rps=5000/conc=4-2 1 100.0 achieved-pct 0.046 cores 0.034 window-cores 1100000 lag-p99-ns
BenchmarkPacer/mode=sleep/rps=5000/conc=4-2 1 100.0 achieved-pct 0.20 cores 0.19 window-cores 60000 lag-p99-ns
vegeta pacer 5000/s: 20000 ops in 4s (100.0% of schedule), lag p50 750µs p99 1.3ms p99.9 2.9ms, cores 0.0400
`), 0o644)
	var table bytes.Buffer
	if err := run(in, filepath.Join(t.TempDir(), "x.png"), "", &table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| batch | 5000/s | 4 | 2 | 0.035 (0.034–0.036) | 0.048 (0.046–0.050) | 1.05ms (1.00ms–1.10ms) |",
		"peer at 5000/s: 0.040 cores, lag p99 1.30ms; within its CPU loadgen's batch: 0.035 cores, lag p99 1.05ms: lower lag p99",
	} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
}
