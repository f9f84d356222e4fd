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
		"| hybrid | 1000/s | 4 | 3 | 0.060 (0.050–0.070) | 50.0µs (40.0µs–60.0µs) | 30.0µs (30.0µs–30.0µs) | 100.00% |",
		"| sleep | 1000/s | 4 | 3 | 0.030 (0.020–0.040) | 800µs (700µs–900µs) | – | 100.00% |",
		"| spinfloor | 1000/s | 1 | 1 | 1.000 (1.000–1.000) | 20.0µs (20.0µs–20.0µs) | – | 100.00% |",
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
