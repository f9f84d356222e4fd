package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// rowOf returns the markdown table row of impl in md.
func rowOf(t *testing.T, md, impl string) string {
	t.Helper()
	for line := range strings.SplitSeq(md, "\n") {
		if strings.HasPrefix(line, "| `"+impl+"` |") && strings.Contains(line, " | ") {
			return line
		}
	}
	t.Fatalf("no row for %s in\n%s", impl, md)
	return ""
}

func TestSaturatedRunsShowUnfinishedOpsAndLowerBounds(t *testing.T) {
	t.Parallel()
	// 1000 ops finished, 500 were cut off after waiting 3 s: the response
	// percentiles include those waits so far and are lower bounds.
	sat := makeResult(t, fixture{impl: "slow", family: "limiters", rate: 1000, conc: 4, ops: 1000, baseNs: 1e6, unfinished: 500, unfinishedNs: 3e9})
	ok := makeResult(t, fixture{impl: "fast", family: "limiters", rate: 1000, conc: 4, ops: 1000, baseNs: 1e5})
	if !sat.Latency.Response.LowerBound || !sat.Saturated || sat.Counts.Unfinished != 500 {
		t.Fatalf("fixture: %+v", sat.Counts)
	}
	dir := t.TempDir()
	if err := WriteReport(dir, []*result.Result{sat, ok}, ReportOptions{NoPlots: true}); err != nil {
		t.Fatal(err)
	}
	md := readFile(t, dir, ReportFile)
	row := rowOf(t, md, "slow")
	p99 := units.AtLeast(formatNs(float64(sat.Latency.Response.P99)), true)
	for _, want := range []string{" | 500 | ", "| " + p99 + " |", "≥ 3.00s", "⚠S"} {
		if !strings.Contains(row, want) {
			t.Errorf("saturated row lacks %q: %s", want, row)
		}
	}
	if strings.Contains(rowOf(t, md, "fast"), "≥") {
		t.Errorf("a run that finished every op is marked as a lower bound: %s", rowOf(t, md, "fast"))
	}
	if !strings.Contains(md, "⚠S: saturated") {
		t.Errorf("the ⚠S mark is not explained")
	}
	v := verdictOf([]*result.Result{sat, ok})[0]
	if !strings.Contains(strings.ToLower(v), "saturated") || !strings.Contains(v, "`slow` (500 unfinished)") || !strings.Contains(v, "`fast`, response p99") || !strings.Contains(v, "the only one ranked") {
		t.Errorf("verdict does not put the saturated run aside:\n%s", v)
	}
	if !strings.Contains(v, "`slow` (≥ ") {
		t.Errorf("the saturated run's latency in the verdict is not marked ≥:\n%s", v)
	}
}

func TestClosedLoopsHaveNoLagInTablesOrCSV(t *testing.T) {
	t.Parallel()
	closed := makeResult(t, fixture{impl: "mutex", conc: 2, ops: 100, baseNs: 100})
	open := makeResult(t, fixture{impl: "atomic", rate: 100, conc: 2, ops: 100, baseNs: 100})
	if closed.Latency.Lag != nil {
		t.Fatal("fixture: a closed loop with lag")
	}
	dir := t.TempDir()
	if err := WriteReport(dir, []*result.Result{closed, open}, ReportOptions{NoPlots: true}); err != nil {
		t.Fatal(err)
	}
	md := readFile(t, dir, ReportFile)
	row := rowOf(t, md, "mutex")
	cells := strings.Split(row, " | ")
	head, _, _ := strings.Cut(md[strings.Index(md, "| impl |"):], "\n")
	lagCol := -1
	for i, h := range strings.Split(head, " | ") {
		if h == "lag p99" {
			lagCol = i
		}
	}
	if lagCol < 0 || cells[lagCol] != "-" {
		t.Errorf("closed loop's lag cell is %q, want -: %s\n%s", cells[max(lagCol, 0)], head, row)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, []*result.Result{closed, open}); err != nil {
		t.Fatal(err)
	}
	rows, _ := csv.NewReader(&buf).ReadAll()
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if got := rows[1][col["lag_p99_ns"]]; got != "" {
		t.Errorf("closed loop's lag_p99_ns in CSV is %q, want empty", got)
	}
	if got := rows[2][col["lag_p99_ns"]]; got == "" {
		t.Errorf("open loop's lag_p99_ns is empty")
	}
}

func TestSplitHistogramsShowInTablesAndExports(t *testing.T) {
	t.Parallel()
	// Every 4th op a write; writes and reads share the latency distribution
	// here, but each has its own histogram and count.
	rw := makeResult(t, fixture{impl: "rwmutex", conc: 4, ops: 4000, baseNs: 500, writeEvery: 4})
	lim := makeResult(t, fixture{impl: "tokenbucket", family: "limiters", rate: 1000, conc: 2, ops: 1000, baseNs: 800, denyEvery: 5})
	write, ok := rw.SplitLatency("write")
	if !ok || write.Response.Count != 1000 {
		t.Fatalf("fixture: write split %+v, %v", write.Response, ok)
	}
	dir := t.TempDir()
	if err := WriteReport(dir, []*result.Result{rw, lim}, ReportOptions{NoPlots: true}); err != nil {
		t.Fatal(err)
	}
	md := readFile(t, dir, ReportFile)
	for _, want := range []string{"| read p99 | write p99 |", "| admitted p99 | denied p99 |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks the split columns %q", want)
		}
	}
	if row := rowOf(t, md, "rwmutex"); !strings.Contains(row, "| "+formatNs(float64(write.Response.P99))+" |") {
		t.Errorf("rwmutex row lacks its write p99 %s: %s", formatNs(float64(write.Response.P99)), row)
	}
	// CSV: per-group count and percentiles.
	var buf bytes.Buffer
	if err := WriteCSV(&buf, []*result.Result{rw, lim}); err != nil {
		t.Fatal(err)
	}
	rows, _ := csv.NewReader(&buf).ReadAll()
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if rows[1][col["write_count"]] != "1000" || rows[2][col["denied_count"]] != "200" || rows[1][col["denied_count"]] != "" {
		t.Errorf("CSV split counts: write %q, denied %q / %q", rows[1][col["write_count"]], rows[2][col["denied_count"]], rows[1][col["denied_count"]])
	}
	// benchfmt: the split p99s as their own units.
	buf.Reset()
	if err := WriteBenchfmt(&buf, []*result.Result{rw}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), " write-p99-ns") || !strings.Contains(buf.String(), "Unit write-p99-ns better=lower") {
		t.Errorf("bench.txt lacks write-p99-ns:\n%s", buf.String())
	}
	// .hgrm of one group.
	buf.Reset()
	if err := WriteHgrm(&buf, []*result.Result{rw}, "write"); err != nil {
		t.Fatal(err)
	}
	rowsH, footer := parseHgrm(t, buf.String())
	if footer["Total count"] != 1000 || len(rowsH) == 0 {
		t.Errorf("write .hgrm holds %v ops, want 1000", footer["Total count"])
	}
	// github-action-benchmark: the split p99s are series of their own.
	buf.Reset()
	if err := WriteActionBenchmark(&buf, []*result.Result{rw, lim}, SmallerIsBetter); err != nil {
		t.Fatal(err)
	}
	var entries []ActionBenchmarkEntry
	json.Unmarshal(buf.Bytes(), &entries)
	var all []string
	for _, e := range entries {
		all = append(all, e.Name)
	}
	joined := strings.Join(all, "\n")
	for _, want := range []string{"impl=rwmutex/workload=mixed/conc=4/rps=0 write p99", "impl=tokenbucket/workload=mixed/conc=2/rps=1000 denied p99",
		"impl=tokenbucket/workload=mixed/conc=2/rps=1000 ok p99"} {
		if !strings.Contains(joined, want) {
			t.Errorf("github-action-benchmark lacks %q:\n%s", want, joined)
		}
	}
}

func TestTheHarnessShareAndSampledTimingAreShownApart(t *testing.T) {
	t.Parallel()
	r := makeResult(t, fixture{impl: "tokenbucket", family: "limiters", rate: 1000, conc: 2, ops: 1000, baseNs: 800})
	r.Harness = &result.Harness{Pacer: "hybrid", Lag: &result.LatencySummary{Count: 1000, P99: 4_200_000}, CPUCores: 0.25, TargetBusyShare: 0.5}
	c := makeResult(t, fixture{impl: "mutex", conc: 2, ops: 1000, baseNs: 80})
	c.Timing = &result.Timing{Mode: "sampled", Fraction: 1.0 / 16, Samples: 62}
	dir := t.TempDir()
	if err := WriteReport(dir, []*result.Result{r, c}, ReportOptions{NoPlots: true}); err != nil {
		t.Fatal(err)
	}
	md := readFile(t, dir, ReportFile)
	row := ""
	for line := range strings.SplitSeq(md[strings.Index(md, "The harness's own share"):], "\n") {
		if strings.HasPrefix(line, "| `tokenbucket`") {
			row = line
			break
		}
	}
	for _, want := range []string{"4.20ms", "0.25", "50.0%", "hybrid"} {
		if !strings.Contains(row, want) {
			t.Errorf("harness row lacks %q: %s", want, row)
		}
	}
	if !strings.Contains(rowOf(t, md, "mutex"), "latencies timed on a 6.25% sample (62 ops)") {
		t.Errorf("the sampled run does not say so: %s", rowOf(t, md, "mutex"))
	}
}
