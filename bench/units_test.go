package bench_test

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/bench"
	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/result"
)

// unitLines returns the units of the "Unit NAME better=..." lines of text.
func unitLines(text string) map[string]bool {
	units := map[string]bool{}
	for line := range strings.SplitSeq(text, "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "Unit" {
			units[f[1]] = true
		}
	}
	return units
}

// printedUnits captures what bench.PrintUnits writes to stdout.
func printedUnits(t *testing.T) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	bench.PrintUnits()
	os.Stdout = stdout
	w.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestGoBenchAndBenchTxtSpellPercentileUnitsAlike(t *testing.T) {
	// benchstat pairs metrics by unit name: a p99.9 spelled p999-ns by
	// `go test -bench` and otherwise in bench.txt would never be compared.
	goBench := unitLines(printedUnits(t))
	r := &result.Result{Schema: result.Schema, Impl: "mutex", Family: "locks", Workload: "custom", DurationNs: 1e9,
		Counts:  result.Counts{Offered: 10, Completed: 10, OK: 10},
		Latency: result.Latencies{Response: result.LatencySummary{Count: 10, P50: 1, P90: 2, P99: 3, P999: 4, P9999: 5, Max: 6}}}
	var buf bytes.Buffer
	if err := reports.WriteBenchfmt(&buf, []*result.Result{r}); err != nil {
		t.Fatal(err)
	}
	benchTxt := unitLines(buf.String())
	latency := 0
	for unit := range goBench {
		if !strings.HasPrefix(unit, "p") || !strings.HasSuffix(unit, "-ns") {
			continue
		}
		latency++
		if !benchTxt[unit] {
			t.Errorf("go test -bench reports %s; bench.txt has no such unit (it has %v)", unit, benchTxt)
		}
	}
	if latency < 3 {
		t.Fatalf("bench.PrintUnits lists %d percentile units, want p50-ns, p99-ns, p999-ns: %v", latency, goBench)
	}
	for unit := range benchTxt {
		if strings.Contains(unit, ".") {
			t.Errorf("bench.txt unit %q has a dot: go test -bench spells p99.9 p999-ns", unit)
		}
	}
}
