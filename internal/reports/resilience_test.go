package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

func TestReportScoresResilienceFamiliesAgainstTheTruth(t *testing.T) {
	timeline := func(series map[string][]float64) map[string]any {
		tl := map[string]any{"bin_ns": 5e8}
		for k, v := range series {
			tl[k] = v
		}
		return tl
	}
	var results []*result.Result
	results = append(results, makeCell(t, fixture{impl: "aimd", family: "adaptive", rate: 2000, conc: 64, ops: 500, intervals: 2, baseNs: 1e7, denyEvery: 2,
		extras: map[string]map[string]any{"adaptive": {
			"tracking_error_pct": 34.375, "drop_converge_ns": 6.2e8, "drop_overshoot_pct": 0.0, "drop_settled": 5.18,
			"goodput_per_s": 10.0, "shed_pct": 50.0, "backend": "capacity=16x1s,4",
			"timeline": timeline(map[string][]float64{"limit": {16, 12, 8, 4}, "capacity": {16, 16, 4, 4}}),
		}}}, 1)...)
	results = append(results, makeCell(t, fixture{impl: "gobreaker", family: "breakers", rate: 500, conc: 64, ops: 500, intervals: 2, baseNs: 1e7,
		extras: map[string]map[string]any{"breaker": {
			"open_after_ns": 4.2e7, "failing_admitted": 5.0, "healthy_shed": 100.0, "goodput_per_s": 33.3, "backend": "failure=0x1s,1",
			"timeline": timeline(map[string][]float64{"open": {0, 0, 1, 1}, "half_open": {0, 0, 0, 0}, "failure": {0, 0, 1, 1}}),
		}}}, 1)...)
	dir := t.TempDir()
	if err := WriteReport(dir, results, ReportOptions{}); err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(filepath.Join(dir, ReportFile))
	text := string(md)
	for _, want := range []string{
		"**Adaptive limits against the true capacity**", "| tracking error | 90% of the drop after |", "| `aimd` | 34.4% | 620ms | 0% | 5.18 |", "ok p99 (in target)",
		"**Breakers against the true failure rate**", "| `gobreaker` | 42.0ms | 5 | 100 |",
		"![Limit vs true capacity — adaptive", "![Breaker state vs failure rate — breakers",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if strings.Contains(text, "could not be drawn") {
		t.Errorf("a plot failed:\n%s", text)
	}
	for _, f := range []string{"plots/adaptive-timeline-adaptive.png", "plots/breaker-timeline-breakers.png"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty: %v", f, err)
		}
	}
}
