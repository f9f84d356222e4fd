package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/internal/crossover"
	"github.com/syncbench/syncbench/internal/reports"
)

// TestCrossoverRefusesBadInputBeforeAnything is the bad-input contract for
// loadgen crossover: exit 2, one stderr line, nothing run and nothing
// created (expectRefused), each case for its own reason.
func TestCrossoverRefusesBadInputBeforeAnything(t *testing.T) {
	t.Parallel()
	ok := []string{"-impl", "mutex,rwmutex", "-vary", "read-ratio=0..1", "-forks", "2", "-duration", "100ms"}
	with := func(args ...string) []string {
		out := append([]string{"crossover"}, ok...)
		for i := 0; i < len(args); i += 2 {
			replaced := false
			for j := 1; j < len(out); j += 2 {
				if out[j] == args[i] {
					out[j+1], replaced = args[i+1], true
				}
			}
			if !replaced {
				out = append(out, args[i], args[i+1])
			}
		}
		return out
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"an unknown impl, with the closest name", with("-impl", "mutx,rwmutex"), "did you mean mutex"},
		{"one impl", with("-impl", "mutex"), `-impl "mutex" names 1 implementations (allowed: exactly two`},
		{"a family of more than two", with("-impl", "locks"), `-impl "locks" names`},
		{"no -vary", []string{"crossover", "-impl", "mutex,rwmutex", "-forks", "2"}, "-vary PARAM=LO..HI is required"},
		{"an unknown parameter, with the closest", with("-vary", "read-ratoi=0..1"), `no parameter "read-ratoi"; did you mean read-ratio?`},
		{"a range that is not LO..HI", with("-vary", "read-ratio=0-1"), "the range is not LO..HI"},
		{"a range outside the parameter's values", with("-vary", "read-ratio=0..2"), "2 is out of range (allowed: a fraction in [0,1])"},
		{"a reversed range", with("-vary", "read-ratio=1..0"), "LO must be below HI"},
		{"an empty integer range", with("-vary", "concurrency=4..4"), "LO must be below HI"},
		{"a fractional concurrency", with("-vary", "concurrency=1.5..8"), "the range is not LO..HI"},
		{"the varied flag also given", with("-read-ratio", "0.5"), "-read-ratio is given and also varied"},
		{"one fork", with("-forks", "1"), "pairs the two implementations fork by fork"},
		{"a sweep inside a probe", with("-concurrency", "1,8"), "sweep 4 cells"},
		{"a threshold", with("-threshold", "p99<1ms"), "-threshold does not apply"},
		{"negative steps", with("-steps", "-1"), "-steps -1 is out of range"},
		{"a grid of one point", with("-grid", "1"), "-grid 1 is out of range"},
		{"an unknown metric", with("-metric", "p98"), `-metric "p98" is not a figure it compares`},
		{"a limiter flag on locks, found at the probes' plan", with("-limit", "5"), "at read-ratio=0: -limit does not apply to the chosen implementations"},
		{"a bad run flag value", with("-duration", "0s"), "-duration 0s is not positive"},
		{"an unknown run flag", with("-impll", "x"), "unknown flag -impll"},
		{"-format md", with("-format", "md"), `-format "md" is not allowed`},
		{"a stray argument", append(with(), "extra"), `unexpected argument "extra"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			expectRefused(t, t.TempDir(), append(tc.args, "-out", "{root}/out"), tc.want, "")
		})
	}
	t.Run("an -out holding an earlier run", func(t *testing.T) {
		t.Parallel()
		root := t.TempDir()
		if err := os.MkdirAll(filepath.Join(root, "out"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "out", "mutex.json"), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
		expectRefused(t, root, append(with(), "-out", "{root}/out"), "already holds results of an earlier run", "")
	})
}

func TestCrossoverRunsItsProbesInForksAndWritesItsFiles(t *testing.T) {
	// Not parallel: it points selfExecutable, a package variable, at loadgen.
	useChildBinary(t, loadgenBinary(t))
	out := filepath.Join(t.TempDir(), "x")
	code, stdout, stderr := runCLI(t, "crossover", "-impl", "mutex,rwmutex", "-vary", "read-ratio=0..1", "-concurrency", "2",
		"-duration", "100ms", "-warmup", "0s", "-forks", "2", "-steps", "1", "-grid", "3", "-quiet", "-out", out)
	if code != ExitOK {
		t.Fatalf("exit %d; stderr %q", code, stderr)
	}
	raw, err := os.ReadFile(filepath.Join(out, "crossover.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc crossover.Document
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != crossover.Schema || doc.A != "mutex" || doc.B != "rwmutex" || doc.Param != "read-ratio" || doc.Forks != 2 {
		t.Errorf("crossover.json: %+v", doc)
	}
	// Two forks cannot separate two implementations (the fewest is 6): the
	// ends only when the estimates lean opposite ways, else the 3-point grid.
	n := len(doc.Probes)
	if n != doc.Outcome.Probes || (n != 2 && n != 3) {
		t.Fatalf("%d probes stored, %d made; want 2 or 3", n, doc.Outcome.Probes)
	}
	for _, p := range doc.Probes {
		if p.Separated || p.Pairs != 2 || p.Lo != nil || p.Hi != nil || !(p.AMedian > 0 && p.BMedian > 0) {
			t.Errorf("probe %+v: want 2 unseparated pairs with no interval and both figures", p)
		}
	}
	if k := doc.Outcome.Kind; k != string(crossover.NotSeparated) && k != string(crossover.WholeRange) {
		t.Errorf("outcome %q with two forks; want not-separated or whole-range", k)
	}
	if !strings.Contains(stdout, doc.Outcome.Summary[1:]) || !strings.Contains(stdout, "throughput mutex/rwmutex") {
		t.Errorf("stdout lacks the table or the answer:\n%s", stdout)
	}
	for _, f := range []string{"crossover.png", "crossover.svg", "probes/read-ratio=0", "probes/read-ratio=1"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("-out lacks %s: %v", f, err)
		}
	}
	// The probes' results are ordinary results: a report reads them, and
	// skips crossover.json.
	results, err := reports.LoadResults(out)
	if err != nil || len(results) != n*2*2 {
		t.Errorf("LoadResults(-out): %d results, %v; want %d (probes × impls × forks)", len(results), err, n*2*2)
	}
}
