package reports

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/internal/crossover"
	"github.com/syncbench/syncbench/result"
)

func TestComparePairUsesTheVerdictsTest(t *testing.T) {
	t.Parallel()
	results := forked(t, 6, twoLocks, opsByFork(
		[]int{1000, 1000, 1000, 1000, 1000, 1000},
		[]int{2000, 2100, 1900, 2050, 1950, 2000}))
	pc, err := ComparePair(results, "a", "b", "achieved_rate", true)
	if err != nil {
		t.Fatal(err)
	}
	// b is 2× a in every fork: a's advantage is 0.5×, separated, and its
	// interval is the verdict's (1.90×–2.10× for b) inverted.
	if !pc.Separated || pc.Pairs != 6 || math.Abs(pc.Ratio-0.5) > 1e-9 || math.Abs(pc.P-0.03125) > 1e-9 {
		t.Errorf("%+v; want a's advantage 0.5×, separated on 6 paired forks at p=0.03125", pc)
	}
	if math.Abs(pc.Lo-1/2.1) > 1e-9 || math.Abs(pc.Hi-1/1.9) > 1e-9 {
		t.Errorf("interval %v–%v; want 1/2.1–1/1.9", pc.Lo, pc.Hi)
	}
	if pc.A.N != 6 || pc.A.Median != 1000 || pc.B.Median != 2000 {
		t.Errorf("figures %+v and %+v; want medians 1000 and 2000 over 6 forks", pc.A, pc.B)
	}
	if !strings.Contains(pc.Evidence, "Wilcoxon signed-rank test on 6 paired forks") {
		t.Errorf("evidence %q", pc.Evidence)
	}
}

func TestComparePairWithTooFewForksHasNoInterval(t *testing.T) {
	t.Parallel()
	results := forked(t, 2, twoLocks, opsByFork([]int{2000, 2000}, []int{1000, 1000}))
	pc, err := ComparePair(results, "a", "b", "achieved_rate", true)
	if err != nil {
		t.Fatal(err)
	}
	if pc.Separated || pc.Lo != 0 || !math.IsInf(pc.Hi, 1) || math.Abs(pc.Ratio-2) > 1e-9 {
		t.Errorf("%+v; want 2×, not separated, with no interval", pc)
	}
	if _, err := ComparePair(results, "a", "c", "achieved_rate", true); err == nil {
		t.Error("comparing against an implementation the results lack: no error")
	}
}

func TestADirectoryWalkSkipsACrossoverDocument(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := result.WriteFile(filepath.Join(dir, "a.json"), makeResult(t, twoLocks[0])); err != nil {
		t.Fatal(err)
	}
	doc := filepath.Join(dir, "crossover.json")
	if err := os.WriteFile(doc, []byte(`{"schema":"`+crossover.Schema+`","a":"x"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := LoadResults(dir)
	if err != nil || len(got) != 1 {
		t.Fatalf("LoadResults(dir) = %d results, %v; want the one result", len(got), err)
	}
	if _, err := LoadResults(doc); err == nil {
		t.Error("LoadResults(crossover.json) by name: no error")
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.json"), []byte(`{"schema":"other/v1"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadResults(dir); err == nil {
		t.Error("a foreign JSON file in the directory: no error")
	}
}

func TestTheCrossoverPlotRenders(t *testing.T) {
	t.Parallel()
	pts := []crossover.Point{
		{X: 0, Ratio: 2, Lo: 1.8, Hi: 2.2, Separated: true},
		{X: 0.5, Ratio: 1.1, Lo: 0.9, Hi: 1.3},
		{X: 0.75, Ratio: 0.9, Lo: 0, Hi: math.Inf(1)}, // no interval
		{X: 1, Ratio: 0.5, Lo: 0.45, Hi: 0.55, Separated: true},
	}
	f := crossoverFigure(CrossoverPlot{Title: "t", XLabel: "read ratio", YLabel: "mutex/rwmutex", Points: pts, Bracket: true, Lo: 0.5, Hi: 0.75, Estimate: 0.62})
	files, err := renderFigure(f, []string{"svg"})
	if err != nil {
		t.Fatal(err)
	}
	if svg := string(files["svg"]); !strings.Contains(svg, "crossover interval [0.5, 0.75]") || !strings.Contains(svg, "95% between-fork interval") {
		t.Errorf("the svg lacks the crossover's interval or the band's legend")
	}
}
