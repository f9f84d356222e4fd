package reports

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

func TestCellsExportsGiveEachFigureWithItsForksRange(t *testing.T) {
	t.Parallel()
	results := forked(t, 6, twoLocks, opsByFork(
		[]int{2000, 2100, 1900, 2050, 1950, 2000},
		[]int{1000, 1000, 1000, 1000, 1000, 1000}))
	// And a cell of one run, which has no between-run interval.
	results = append(results, makeResult(t, fixture{impl: "c", conc: 2, ops: 500, baseNs: 100, seed: 9}))

	var b bytes.Buffer
	if err := WriteCellsCSV(&b, results); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want a header and 3 cells", len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	byImpl := map[string][]string{}
	for _, r := range rows[1:] {
		byImpl[r[col["impl"]]] = r
	}
	a := byImpl["a"]
	for name, want := range map[string]string{"forks": "6", "runs": "6", "interval": "between-forks",
		"achieved_rate_median": "2000", "achieved_rate_min": "1900", "achieved_rate_max": "2100", "achieved_rate_n": "6",
		"lag_p99_ns_median": "", "lag_p99_ns_n": "0"} {
		if got := a[col[name]]; got != want {
			t.Errorf("a's %s = %q, want %q", name, got, want)
		}
	}
	if got := byImpl["c"][col["interval"]]; got != "none" {
		t.Errorf("a single run's interval = %q, want none", got)
	}

	b.Reset()
	if err := WriteCellsJSONL(&b, results); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d JSON lines, want 3", len(lines))
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	figs := first["figures"].(map[string]any)
	if ach := figs["achieved_rate"].(map[string]any); ach["median"] != 2000.0 || ach["n"] != 6.0 {
		t.Errorf("a's achieved_rate in JSON = %v", ach)
	}
	if lag := figs["lag_p99_ns"].(map[string]any); lag["median"] != nil {
		t.Errorf("a closed loop's lag in JSON = %v, want null", lag)
	}
}

func TestTheReportDirectoryHoldsTheCellsExportsAndStillReadsAsResults(t *testing.T) {
	t.Parallel()
	results := forked(t, 2, twoLocks, nil)
	dir := t.TempDir()
	if err := WriteReport(dir, results, ReportOptions{NoPlots: true}); err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if err := result.WriteFile(dir+"/"+r.Impl+"-f"+string(rune('0'+r.Fork))+".json", r); err != nil {
			t.Fatal(err)
		}
	}
	readFile(t, dir, CellsCSVFile)
	readFile(t, dir, CellsJSONLFile)
	back, err := LoadResults(dir)
	if err != nil || len(back) != len(results) {
		t.Fatalf("the directory reads back as %d results (%v), want %d: the cells exports must not read as results", len(back), err, len(results))
	}
}

func TestResultsCSVCarriesTheForkAndItsProcess(t *testing.T) {
	t.Parallel()
	results := forked(t, 2, twoLocks[:1], func(_, fork int, f *fixture) { f.roundTripNs = 60 * float64(fork) })
	var b bytes.Buffer
	if err := WriteCSV(&b, results); err != nil {
		t.Fatal(err)
	}
	rows, _ := csv.NewReader(&b).ReadAll()
	h := rows[0]
	n := len(h)
	if strings.Join(h[n-5:], ",") != "fork,forks,pid,machine_round_trip_ns,effective_cores" {
		t.Fatalf("the last columns are %q", h[n-5:])
	}
	if got := strings.Join(rows[2][n-5:n-1], ","); got != "2,0,1002,120" {
		t.Errorf("fork 2's columns = %s, want 2,0,1002,120", got)
	}
}
