package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
)

func TestExportFormats(t *testing.T) {
	dir := t.TempDir()
	writeCell(t, dir, "mutex", 4, 2, 100, 800)
	t.Run("benchfmt to a file reads back with benchfmt.Reader", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "bench.txt")
		if code, _, stderr := runVerb(t, "export", "-format", "benchfmt", dir, "-o", out); code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		br := benchfmt.NewReader(f, out)
		n := 0
		for br.Scan() {
			switch rec := br.Result().(type) {
			case *benchfmt.SyntaxError:
				t.Fatal(rec)
			case *benchfmt.Result:
				n++
			}
		}
		if n != 2 {
			t.Errorf("read %d results, want 2", n)
		}
	})
	t.Run("csv to stdout has a header and a row per result", func(t *testing.T) {
		code, stdout, stderr := runVerb(t, "export", "--format=csv", dir)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
		if err != nil || len(rows) != 3 {
			t.Errorf("got %d rows (%v), want 3", len(rows), err)
		}
	})
	t.Run("hlog to stdout holds an interval per result", func(t *testing.T) {
		code, stdout, stderr := runVerb(t, "export", "-format", "hlog", dir)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if n := strings.Count(stdout, "Tag=Loadgen/impl=mutex"); n != 2 {
			t.Errorf("%d tagged intervals, want 2:\n%s", n, stdout)
		}
	})
}
