package reports

import (
	"strings"
	"testing"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

func TestBimodalRepetitionsAreFlagged(t *testing.T) {
	t.Parallel()
	// Two tight groups far apart: 2 runs near 1.2M, 3 near 2.4M (rwmutex-like:
	// readers overlap in some runs and not in others). Gap 1.17M against
	// cluster ranges of 30k and 40k.
	b, ok := BimodalOf([]float64{2.41e6, 1.20e6, 2.38e6, 1.23e6, 2.42e6})
	if !ok {
		t.Fatal("two tight clusters 2× apart are not flagged bimodal")
	}
	if b.LowN != 2 || b.HighN != 3 || b.Low != 1.215e6 || b.High != 2.41e6 {
		t.Fatalf("clusters %+v, want 2 runs at 1.215M and 3 at 2.41M", b)
	}
	if got, want := b.Note(units.Rate), "bimodal: 2 runs at 1.22M, 3 at 2.41M"; got != want {
		t.Errorf("note %q, want %q", got, want)
	}
}

func TestUnimodalRepetitionsAreNotFlagged(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		values []float64
	}{
		// ±15% noise spread evenly: the largest gap (8) is not 3× a cluster's range.
		{"noisy", []float64{100, 85, 112, 93, 104, 97, 115, 89}},
		// Two tight groups only 4% apart: drift, not two modes (gap < 10% of the median).
		{"tight drift", []float64{100, 100.2, 104, 104.1, 100.1}},
		// One outlier: a cluster of one run is not a mode.
		{"outlier", []float64{100, 101, 99, 100.5, 200}},
		// Too few runs to tell.
		{"three runs", []float64{100, 101, 200}},
		{"identical", []float64{50, 50, 50, 50}},
	} {
		if b, ok := BimodalOf(c.values); ok {
			t.Errorf("%s %v flagged bimodal: %+v", c.name, c.values, b)
		}
	}
}

func TestTheReportNamesBothClustersOfABimodalCell(t *testing.T) {
	t.Parallel()
	var results = []*result.Result{}
	for rep, ops := range []int{1000, 2000, 1010, 2010, 1005} {
		results = append(results, makeResult(t, fixture{impl: "rwmutex", conc: 2, ops: ops, baseNs: 1000, rep: rep, seed: uint64(rep + 1)}))
	}
	results = append(results, makeResult(t, fixture{impl: "mutex", conc: 2, ops: 1000, baseNs: 1000, rep: 0, seed: 9}),
		makeResult(t, fixture{impl: "mutex", conc: 2, ops: 1010, baseNs: 1000, rep: 1, seed: 10}))
	dir := t.TempDir()
	if err := WriteReport(dir, results, ReportOptions{NoPlots: true}); err != nil {
		t.Fatal(err)
	}
	md := readFile(t, dir, ReportFile)
	var rw, mu string
	for line := range strings.SplitSeq(md, "\n") {
		switch {
		case strings.HasPrefix(line, "| `rwmutex`"):
			rw = line
		case strings.HasPrefix(line, "| `mutex`"):
			mu = line
		}
	}
	if !strings.Contains(rw, BimodalMark) || !strings.Contains(rw, "bimodal across runs: 3 at 1.00k ops/s, 2 at 2.00k ops/s") {
		t.Errorf("rwmutex row does not say its runs are bimodal:\n%s", rw)
	}
	if mu == "" || strings.Contains(mu, BimodalMark) {
		t.Errorf("mutex row (two runs) is flagged or missing:\n%s", mu)
	}
	if !strings.Contains(md, BimodalMark+": bimodal:") {
		t.Errorf("report has no legend for %s", BimodalMark)
	}
}
