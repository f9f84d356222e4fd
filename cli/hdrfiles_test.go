package cli

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/result"
)

func TestEveryOutputFileHasTheSameMode(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "-impl", "mutex", "-duration", "100ms", "-warmup", "0s", "-quiet", "-o", out); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		seen[filepath.Ext(e.Name())] = true
		if mode := info.Mode().Perm(); mode != 0o644 {
			t.Errorf("%s has mode %o, want 0644 like every output", e.Name(), mode)
		}
	}
	for _, ext := range []string{".json", ".hlog", ".hgrm", ".md"} {
		if !seen[ext] {
			t.Errorf("no %s file among the outputs %v", ext, entries)
		}
	}
}

func TestAnHlogSaysWhetherItsHistogramsAreASample(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, sample, want string
	}{
		{"a sampled run's log says it is a sample and of what share", "1/64", "[Timing: sampled, fraction 0.015625 (about 1 op in 64 timed)"},
		{"a fully timed run's log says it holds every op", "1", "[Timing: full, every op timed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			if code, _, stderr := runCLI(t, "-impl", "mutex", "-duration", "100ms", "-warmup", "0s", "-quiet", "-sample", tt.sample, "-o", out); code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			b, err := os.ReadFile(filepath.Join(out, "mutex.hlog"))
			if err != nil {
				t.Fatal(err)
			}
			text := string(b)
			legend := strings.Index(text, `"StartTimestamp"`)
			if i := strings.Index(text, tt.want); i < 0 || i > legend {
				t.Errorf("the header (before the legend) lacks %q:\n%s", tt.want, text[:max(legend, 0)])
			}
			r, err := result.ReadFile(filepath.Join(out, "mutex.json"))
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(text), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "#[Timing: "+r.Timing.Mode) || !strings.Contains(last, " timed ops;") {
				t.Errorf("last line %q does not give the run's timing (%+v)", last, *r.Timing)
			}
			// HdrHistogram's reader still reads every interval, and they hold
			// the timed sample: as many values as the result's timing says.
			lr := hdr.NewHistogramLogReader(strings.NewReader(text))
			var timed int64
			for {
				h, err := lr.NextIntervalHistogram()
				if err != nil {
					t.Fatal(err)
				}
				if h == nil {
					break
				}
				if h.Tag() == "response" {
					timed += h.TotalCount()
				}
			}
			if timed != r.Timing.Samples {
				t.Errorf("the log's response intervals hold %d values, the result says %d were timed", timed, r.Timing.Samples)
			}
		})
	}
}

func TestAnHgrmStatesItsUnitAndIsInMilliseconds(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "-impl", "mutex", "-duration", "100ms", "-warmup", "0s", "-quiet", "-o", out); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "mutex.hgrm"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := result.ReadFile(filepath.Join(out, "mutex.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), reports.HgrmUnitLine) {
		t.Errorf("mutex.hgrm does not state its unit:\n%s", b)
	}
	// HdrHistogram's plotter reads each row's first field as the value and
	// labels it in milliseconds: the last row (100%) must be the max in ms.
	last := -1.0
	for line := range strings.SplitSeq(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 4 && !strings.HasPrefix(line, "#") && f[3] == "inf" {
			last, _ = strconv.ParseFloat(f[0], 64)
		}
	}
	if want := float64(r.Latency.Response.Max) / 1e6; math.Abs(last-want) > 5e-7 {
		t.Errorf("the 100%% row reads %v, want the max %d ns in ms, %v", last, r.Latency.Response.Max, want)
	}
}
