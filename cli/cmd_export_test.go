package cli

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/perf/benchfmt"
)

func TestExportFormats(t *testing.T) {
	t.Parallel()
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
	t.Run("hgrm to stdout is HdrHistogram's percentile distribution", func(t *testing.T) {
		code, stdout, stderr := runVerb(t, "export", "-format", "hgrm", dir)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if !strings.Contains(stdout, "Value") || !strings.Contains(stdout, "1/(1-Percentile)") || strings.Count(stdout, "#[Histogram ") != 2 {
			t.Errorf("not two .hgrm sections:\n%s", stdout)
		}
		if code, _, stderr := runVerb(t, "export", "-format", "hgrm", "-histogram", "nonsense", dir); code != ExitBadInput || !strings.Contains(stderr, "allowed: response, service") {
			t.Errorf("an unknown histogram: exit %d, %q", code, stderr)
		}
	})
	t.Run("github-action-benchmark is a JSON list of name, unit, value", func(t *testing.T) {
		for _, better := range []string{"smaller", "bigger"} {
			code, stdout, stderr := runVerb(t, "export", "-format", "github-action-benchmark", "-better", better, dir)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var entries []struct {
				Name  string  `json:"name"`
				Unit  string  `json:"unit"`
				Value float64 `json:"value"`
			}
			if err := json.Unmarshal([]byte(stdout), &entries); err != nil || len(entries) == 0 {
				t.Errorf("-better %s: %v\n%s", better, err, stdout)
			}
		}
	})
	t.Run("a misspelt format gets the closest one", func(t *testing.T) {
		code, _, stderr := runVerb(t, "export", "-format", "hgmr", dir)
		if code != ExitBadInput || !strings.Contains(stderr, "did you mean hgrm?") {
			t.Errorf("exit %d, %q", code, stderr)
		}
	})
}
