package reports

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
)

func TestWriteCSVRoundTrips(t *testing.T) {
	t.Parallel()
	results := append(makeCell(t, fixture{impl: "mutex", conc: 8, ops: 500, baseNs: 300, seed: 1}, 2),
		makeResult(t, fixture{impl: "a,b \"quoted\"", conc: 1, ops: 10, baseNs: 5}))
	var buf bytes.Buffer
	if err := WriteCSV(&buf, results); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("output is not valid CSV: %v", err)
	}
	if len(rows) != len(results)+1 {
		t.Fatalf("got %d rows, want header + %d", len(rows), len(results))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for i, r := range results {
		row := rows[i+1]
		if len(row) != len(rows[0]) {
			t.Fatalf("row %d has %d fields, header %d", i, len(row), len(rows[0]))
		}
		if row[col["impl"]] != r.Impl {
			t.Errorf("row %d impl = %q, want %q", i, row[col["impl"]], r.Impl)
		}
		if got, _ := strconv.ParseInt(row[col["response_p99_ns"]], 10, 64); got != r.Latency.Response.P99 {
			t.Errorf("row %d response_p99_ns = %d, want %d", i, got, r.Latency.Response.P99)
		}
		if got, _ := strconv.ParseFloat(row[col["achieved_rate"]], 64); got != r.Rates.Achieved {
			t.Errorf("row %d achieved_rate = %v, want %v", i, got, r.Rates.Achieved)
		}
		if got, _ := strconv.ParseInt(row[col["completed"]], 10, 64); got != r.Counts.Completed {
			t.Errorf("row %d completed = %d, want %d", i, got, r.Counts.Completed)
		}
	}
}

func TestWriteBenchfmtReadsBackWithBenchfmtReader(t *testing.T) {
	t.Parallel()
	results := append(makeCell(t, fixture{impl: "mutex", conc: 8, ops: 500, baseNs: 300, seed: 1}, 3),
		makeResult(t, fixture{impl: "tokenbucket", family: "limiters", rate: 1000, conc: 2, ops: 100, baseNs: 50, limit: "500"}),
		makeResult(t, fixture{impl: "idle", conc: 1, ops: 0, baseNs: 1}))
	var buf bytes.Buffer
	if err := WriteBenchfmt(&buf, results); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	br := benchfmt.NewReader(strings.NewReader(text), "bench.txt")
	var got []*benchfmt.Result
	for br.Scan() {
		switch rec := br.Result().(type) {
		case *benchfmt.SyntaxError:
			t.Fatalf("syntax error reading back: %v\n%s", rec, text)
		case *benchfmt.Result:
			got = append(got, rec.Clone())
		}
	}
	if err := br.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(results) {
		t.Fatalf("read back %d results, want %d\n%s", len(got), len(results), text)
	}
	units := br.Units()
	for _, u := range []struct {
		unit string
		dir  int
	}{{"ns/op", -1}, {"ops/s", +1}, {"p99-ns", -1}, {"p999-ns", -1}} {
		if d := units.GetBetter(u.unit); d != u.dir {
			t.Errorf("better for %s = %d, want %d", u.unit, d, u.dir)
		}
	}
	for i, r := range results {
		g := got[i]
		if !strings.HasPrefix(g.Name.String(), BenchName(r)) {
			t.Errorf("result %d name %q, want prefix %q", i, g.Name, BenchName(r))
		}
		if ops, ok := g.Value("ops/s"); !ok || ops != r.Rates.Achieved {
			t.Errorf("result %d ops/s = %v (%v), want %v", i, ops, ok, r.Rates.Achieved)
		}
		if _, has := g.Value("sec/op"); has != (!r.OpenLoop() && r.Counts.Completed > 0) {
			t.Errorf("result %d (%s, open=%v) has ns/op = %v: only closed loops with ops carry it", i, r.Impl, r.OpenLoop(), has)
		}
		if r.Counts.Completed == 0 {
			continue
		}
		if p99, ok := g.Value("p99-sec"); !ok || p99*1e9 < float64(r.Latency.Response.P99)-0.5 || p99*1e9 > float64(r.Latency.Response.P99)+0.5 {
			t.Errorf("result %d p99 = %v s, want %d ns", i, p99, r.Latency.Response.P99)
		}
		if g.GetConfig("goos") != "linux" || g.GetConfig("commit") != "abc1234" {
			t.Errorf("result %d config goos=%q commit=%q", i, g.GetConfig("goos"), g.GetConfig("commit"))
		}
	}
}

func TestBenchstatParsesBenchTxt(t *testing.T) {
	t.Parallel()
	benchstat, err := exec.LookPath("benchstat")
	if err != nil {
		if _, statErr := os.Stat("/root/go/bin/benchstat"); statErr != nil {
			t.Skip("benchstat not installed")
		}
		benchstat = "/root/go/bin/benchstat"
	}
	var buf bytes.Buffer
	if err := WriteBenchfmt(&buf, makeCell(t, fixture{impl: "mutex", conc: 8, ops: 200, baseNs: 300, seed: 1}, 3)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bench.txt")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(benchstat, path).CombinedOutput()
	if err != nil {
		t.Fatalf("benchstat failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "impl=mutex") || strings.Contains(string(out), "syntax error") {
		t.Errorf("benchstat output unexpected:\n%s", out)
	}
}
