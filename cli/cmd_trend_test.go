package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeBenchHistory writes one bench .txt file per commit, c00 … c(n-1), of a
// benchmark whose ns/op is level[i] with ±1% alternating noise.
func writeBenchHistory(t *testing.T, level func(i int) float64, n int) string {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		noise := 1 + 0.01*float64(i%3-1)
		body := fmt.Sprintf("goos: linux\nBenchmarkLock-2 1000 %.2f ns/op\n", level(i)*noise)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%02d.txt", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestTrendExitsThreeWhenTheNewestChangeIsARegression(t *testing.T) {
	t.Parallel()
	hist := writeBenchHistory(t, func(i int) float64 {
		if i >= 20 {
			return 120
		}
		return 100
	}, 30)
	out := filepath.Join(t.TempDir(), "trend")
	js := filepath.Join(t.TempDir(), "trend.json")
	code, stdout, stderr := runVerb(t, "trend", hist, "-out", out, "-json", js)
	if code != ExitCheckFailed {
		t.Fatalf("exit %d, want %d (stderr %q)", code, ExitCheckFailed, stderr)
	}
	if !strings.Contains(stdout, "**Regression**") || !strings.Contains(stdout, "`c20`") || !strings.Contains(stderr, "BenchmarkLock") {
		t.Errorf("stdout %q / stderr %q do not name the regression at c20", stdout, stderr)
	}
	var rep struct {
		Series []struct {
			ChangePoints []struct {
				Commit, Previous string
				ChangePct        float64 `json:"change_pct"`
				Regression       bool
			} `json:"change_points"`
			Plot string
		}
		Regressions []string
	}
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	cp := rep.Series[0].ChangePoints
	if len(cp) != 1 || cp[0].Commit != "c20" || cp[0].Previous != "c19" || !cp[0].Regression || cp[0].ChangePct < 15 || cp[0].ChangePct > 25 {
		t.Fatalf("change points %+v, want one +20%% regression at c20", cp)
	}
	if _, err := os.Stat(filepath.Join(out, rep.Series[0].Plot)); err != nil || rep.Series[0].Plot == "" {
		t.Errorf("plot %q of the changed series: %v", rep.Series[0].Plot, err)
	}
	md, err := os.ReadFile(filepath.Join(out, "trend.md"))
	if err != nil || !strings.Contains(string(md), "![") {
		t.Errorf("trend.md %q (%v) does not show the plot", md, err)
	}
}

func TestTrendExitsZeroForAnImprovementOrAFlatHistory(t *testing.T) {
	t.Parallel()
	for name, level := range map[string]func(int) float64{
		"faster from c20": func(i int) float64 { return map[bool]float64{true: 80, false: 100}[i >= 20] },
		"flat":            func(int) float64 { return 100 },
	} {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runVerb(t, "trend", writeBenchHistory(t, level, 30))
			if code != ExitOK || stderr != "" {
				t.Fatalf("exit %d, stderr %q, want 0 and nothing", code, stderr)
			}
			if strings.Contains(stdout, "**Regression**") {
				t.Errorf("stdout names a regression: %s", stdout)
			}
		})
	}
}

func TestTrendRefusesBadInputBeforeWritingAnything(t *testing.T) {
	t.Parallel()
	hist := writeBenchHistory(t, func(int) float64 { return 100 }, 10)
	for name, args := range map[string][]string{
		"no history":           {"trend"},
		"two histories":        {"trend", hist, hist},
		"a missing history":    {"trend", filepath.Join(hist, "nope")},
		"a bad threshold":      {"trend", hist, "-threshold", "lots"},
		"alpha out of range":   {"trend", hist, "-alpha", "0.9"},
		"too few permutations": {"trend", hist, "-permutations", "3"},
		"an unknown order":     {"trend", hist, "-order", "newest"},
	} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runVerb(t, append(args, "-out", out)...)
			if code != ExitBadInput || stdout != "" || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Fatalf("exit %d, stdout %q, stderr %q: want 2, nothing on stdout, one line", code, stdout, stderr)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("-out %s was created for bad input", out)
			}
		})
	}
}
