package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

func TestWriteReportWritesEveryFileAndPlot(t *testing.T) {
	t.Parallel()
	var results []*result.Result
	for i, impl := range []string{"mutex", "atomic"} {
		for _, conc := range []int{1, 8} {
			results = append(results, makeCell(t, fixture{impl: impl, conc: conc, ops: 1000, intervals: 5, baseNs: float64(200 * (i + 1) * conc), seed: uint64(i)}, 2)...)
		}
	}
	results = append(results, makeCell(t, fixture{impl: "tokenbucket", family: "limiters", rate: 2000, conc: 4, ops: 2000, intervals: 5, baseNs: 500, denyEvery: 2, limit: "1000",
		extras: map[string]map[string]any{"limiter": {"limit": 1000.0, "rate_error_pct": 0.4}}}, 2)...)
	results = append(results, makeCell(t, fixture{impl: "fixedwindow", family: "limiters", rate: 2000, conc: 4, ops: 2000, intervals: 5, baseNs: 800, denyEvery: 3, limit: "1000"}, 2)...)
	dir := t.TempDir()
	// Three tiles are enough to check the cap; rasterising more only slows
	// the test under -race.
	if err := WriteReport(dir, results, ReportOptions{Command: "loadgen report r/", MaxTimelines: 3}); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	text := string(md)
	for _, want := range []string{"## Provenance", "abc1234", "go1.26.8", "linux/amd64", "Test CPU", "harness floor", "## locks", "## limiters",
		"## Verdict", "Limiter accuracy", "rate error", "](plots/"} {
		if !strings.Contains(text, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if v, p := strings.Index(text, "## Verdict"), strings.Index(text, "## Provenance"); v < 0 || v > p {
		t.Errorf("the verdict does not come first (at %d, provenance at %d)", v, p)
	}
	if !strings.Contains(text, "The timeline shows the first 3 of 4 cells") {
		t.Errorf("report.md does not say that timelines beyond MaxTimelines were left out")
	}
	if strings.Contains(text, "could not be drawn") {
		t.Errorf("a plot failed:\n%s", text)
	}
	for _, f := range []string{CSVFile, BenchFile, "plots/spectrum-locks.png", "plots/spectrum-locks.svg", "plots/scaling-locks-concurrency.png", "plots/admitted-limiters.png", "plots/timeline-locks.png", "plots/timeline-limiters.png"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty: %v", f, err)
		}
	}
	// One small-multiples timeline per family, not one image per cell.
	if n := strings.Count(text, "![Over time"); n != 2 {
		t.Errorf("report embeds %d timeline figures, want one per family (2)", n)
	}
	// Every embedded image exists.
	for line := range strings.SplitSeq(text, "\n") {
		if i := strings.Index(line, "](plots/"); i >= 0 && strings.HasPrefix(line, "![") {
			rel := strings.TrimSuffix(line[i+2:], ")")
			if _, err := os.Stat(filepath.Join(dir, rel)); err != nil {
				t.Errorf("report embeds %s which does not exist", rel)
			}
		}
	}
}

func TestWriteReportRejectsAnUnknownPlotFormat(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	err := WriteReport(dir, []*result.Result{makeResult(t, fixture{impl: "m", conc: 1, ops: 10, baseNs: 10})}, ReportOptions{Formats: []string{"gif"}})
	if err == nil || !strings.Contains(err.Error(), "gif") {
		t.Errorf("WriteReport with format gif: %v", err)
	}
}

func TestKeepReportForInspection(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("REPORT_KEEP")
	if dir == "" {
		t.Skip("set REPORT_KEEP=dir to keep a sample report")
	}
	var results []*result.Result
	for i, impl := range []string{"mutex", "rwmutex", "atomic"} {
		for _, conc := range []int{1, 8, 64} {
			results = append(results, makeCell(t, fixture{impl: impl, conc: conc, ops: 5000, intervals: 30, baseNs: float64(200*(i+1)) * float64(conc), seed: uint64(i)}, 3)...)
		}
	}
	results = append(results, makeCell(t, fixture{impl: "tokenbucket", family: "limiters", rate: 2000, conc: 4, ops: 2000, intervals: 20, baseNs: 500, denyEvery: 2, limit: "1000"}, 2)...)
	results = append(results, makeCell(t, fixture{impl: "fixedwindow", family: "limiters", rate: 2000, conc: 4, ops: 2000, intervals: 20, baseNs: 800, denyEvery: 3, limit: "1000"}, 2)...)
	if err := WriteReport(dir, results, ReportOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestReportTablesShowTheChosenPercentiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	results := []*result.Result{makeResult(t, fixture{impl: "m", conc: 1, ops: 10000, baseNs: 1000})}
	if err := WriteReport(dir, results, ReportOptions{NoPlots: true, Percentiles: []float64{50, 99.99}}); err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(filepath.Join(dir, ReportFile))
	if !strings.Contains(string(md), "| p50 | p99.99 | max |") || strings.Contains(string(md), "| p90 |") {
		t.Errorf("the table does not show exactly p50 and p99.99:\n%s", md)
	}
	p9999 := formatNs(float64(results[0].Latency.Response.P9999))
	if !strings.Contains(string(md), "| "+p9999+" |") {
		t.Errorf("p99.99 %s not in the table", p9999)
	}
}
