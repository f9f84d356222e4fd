package trend

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestReadHistoryReadsTheActionsDataFileAsStored(t *testing.T) {
	commits, err := ReadHistory(filepath.Join("testdata", "data.js"), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(commits) != 12 {
		t.Fatalf("%d commits, want 12", len(commits))
	}
	for i := 1; i < len(commits); i++ {
		if !commits[i-1].Time.Before(commits[i].Time) {
			t.Fatalf("commit %d (%v) not after commit %d (%v)", i, commits[i].Time, i-1, commits[i-1].Time)
		}
	}
	if len(commits[0].Benches) != 3 {
		t.Fatalf("first commit has %d benches, want both suites' 3", len(commits[0].Benches))
	}
	series := SeriesOf(commits)
	var mutex *Series
	for i := range series {
		if strings.HasSuffix(series[i].Name, "impl=mutex/conc=8/rps=0 response p99") {
			mutex = &series[i]
		}
		if strings.HasSuffix(series[i].Name, "achieved") && !series[i].BiggerIsBetter {
			t.Errorf("%s comes from customBiggerIsBetter but reads smaller-is-better", series[i].Name)
		}
	}
	if mutex == nil || !strings.HasPrefix(mutex.Name, "syncbench latency: ") || len(mutex.Values) != 12 {
		t.Fatalf("mutex p99 series %+v, want 12 points named with its suite", mutex)
	}
	f := Analyze([]Series{*mutex}, DefaultConfig(), 0.05, 1)[0]
	if n := f.Newest(); n == nil || n.Commit != "bb5d7385de08caa1a08179104a25e4664f5253a0" || !n.Regression {
		t.Fatalf("newest change %+v, want the +25%% regression at bb5d7385de08", n)
	}
}

func TestReadHistoryReadsBenchFilesInTheOrderAFileGives(t *testing.T) {
	dir := t.TempDir()
	hist := filepath.Join(dir, "hist")
	if err := os.Mkdir(hist, 0o755); err != nil {
		t.Fatal(err)
	}
	names := []string{"zeta", "alpha", "mid"}
	for i, name := range names {
		body := "goos: linux\nBenchmarkX-2 1000 " + []string{"10", "20", "30"}[i] + " ns/op 5 ops/s\nBenchmarkX-2 1000 " +
			[]string{"12", "22", "32"}[i] + " ns/op 7 ops/s\n"
		if err := os.WriteFile(filepath.Join(hist, name+".txt"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	order := filepath.Join(dir, "order.txt")
	if err := os.WriteFile(order, []byte("# oldest first\nzeta\r\nalpha\n\nmid\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	commits, err := ReadHistory(hist, order)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range commits {
		ids = append(ids, c.ID)
	}
	if strings.Join(ids, ",") != "zeta,alpha,mid" {
		t.Fatalf("order %v, want zeta,alpha,mid as the order file lists", ids)
	}
	series := SeriesOf(commits)
	if len(series) != 2 || series[0].Unit != "sec/op" || series[0].BiggerIsBetter || series[1].Unit != "ops/s" || !series[1].BiggerIsBetter {
		t.Fatalf("series %+v, want sec/op (smaller is better) and ops/s (bigger)", series)
	}
	if got := series[0].Values; abs(got[0]-10e-9) > 1e-18 || abs(got[2]-30e-9) > 1e-18 {
		t.Fatalf("sec/op values %v, want the least times 10ns … 30ns", got)
	}
	if got := series[1].Values; got[0] != 7 || got[2] != 7 {
		t.Fatalf("ops/s values %v, want the greatest rates 7", got)
	}
	commits, err = ReadHistory(hist, OrderNames)
	if err != nil || commits[0].ID != "alpha" {
		t.Fatalf("by names: %v, %v; want alpha first", commits, err)
	}
}

func TestReadHistoryRefusesWhatItCannotRead(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	emptyDir := filepath.Join(dir, "empty")
	os.Mkdir(emptyDir, 0o755)
	badBench := filepath.Join(dir, "badbench")
	write("badbench/a.txt", "not a benchmark line\n")
	unlisted := filepath.Join(dir, "unlisted")
	write("unlisted/a.txt", "BenchmarkX 1 1 ns/op\n")
	write("unlisted/b.txt", "BenchmarkX 1 1 ns/op\n")
	orderFile := write("order.txt", "a\n")
	cases := []struct {
		name, path, order, want string
	}{
		{"a missing path", filepath.Join(dir, "nope"), "", "no such file"},
		{"a data file that is not one", write("x.js", "window.X = [1, 2]"), "", "not a github-action-benchmark data file"},
		{"an empty directory", emptyDir, "", "no entries"},
		{"a bench file without results", badBench, "", "no benchmark results"},
		{"an order file missing an entry", unlisted, orderFile, `does not list entry "b"`},
		{"an order that is neither a mode nor a file", unlisted, "newest", "-order: want names, time, git"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadHistory(c.path, c.order)
			var he *HistoryError
			if !errors.As(err, &he) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want a *HistoryError saying %q", err, c.want)
			}
		})
	}
}

func TestReadHistoryOrdersResultDirectoriesByWhenTheyWereMeasured(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "result", "testdata", "result-mutex-closed.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, c := range []struct {
		name  string
		start time.Time
	}{{"b-newer", time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)}, {"a-older", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}} {
		body := regexp.MustCompile(`"start": "[^"]*"`).ReplaceAllString(string(src), `"start": "`+c.start.Format(time.RFC3339Nano)+`"`)
		os.MkdirAll(filepath.Join(dir, c.name), 0o755)
		if err := os.WriteFile(filepath.Join(dir, c.name, "mutex.json"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	commits, err := ReadHistory(dir, OrderTime)
	if err != nil {
		t.Fatal(err)
	}
	if commits[0].ID != "b-newer" || len(commits[0].Benches) == 0 {
		t.Fatalf("by time: first %q with %d benches, want b-newer (measured first) with figures", commits[0].ID, len(commits[0].Benches))
	}
}
