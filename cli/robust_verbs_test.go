package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

// oneResult runs a short noop load into a fresh directory and returns its
// result file.
func oneResult(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if code, _, stderr := runCLI(t, "-impl", "noop", "-duration", "100ms", "-warmup", "0s", "-quiet", "-out", dir); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	return filepath.Join(dir, "noop.json")
}

func TestVerbsRefuseWhatTheyCannotUseWithExitTwo(t *testing.T) {
	t.Parallel()
	res := oneResult(t)
	copied := filepath.Join(t.TempDir(), "copy.json")
	data, err := os.ReadFile(res)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(copied, data, 0o644); err != nil {
		t.Fatal(err)
	}
	plainFile := filepath.Join(t.TempDir(), "plain")
	if err := os.WriteFile(plainFile, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	symlinked := t.TempDir()
	if err := os.Symlink(t.TempDir(), filepath.Join(symlinked, "plots")); err != nil {
		t.Fatal(err)
	}
	merged := filepath.Join(t.TempDir(), "merged.json")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"merge of one file twice", []string{"merge", res, res, "-out", merged}, "are the same run"},
		{"merge of a file and its copy, even with -force", []string{"merge", res, copied, "-force", "-out", merged}, "are the same run"},
		{"report into an unwritable -out", []string{"report", res, "-out", filepath.Join(plainFile, "sub")}, "is not a writable directory"},
		{"report into an -out whose plots is a symlink", []string{"report", res, "-out", symlinked}, "plots is a symbolic link"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tc.args...)
			if code != ExitBadInput {
				t.Fatalf("exit %d, want %d (stderr %q)", code, ExitBadInput, stderr)
			}
			if lines := strings.Count(strings.TrimRight(stderr, "\n"), "\n") + 1; lines != 1 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("stderr = %q, want one line containing %q", stderr, tc.want)
			}
			if _, err := os.Stat(merged); err == nil {
				t.Fatal("a refused merge wrote its -out")
			}
		})
	}
}

func TestARunInWhichNoOpSucceededExitsOne(t *testing.T) {
	t.Parallel()
	// errgroup's slots take weight 1 only: every op of weight 2 is an error,
	// exactly, whatever the machine's speed.
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "-impl", "errgroup", "-weights", "2", "-capacity", "4", "-duration", "100ms", "-warmup", "0s", "-quiet", "-out", out)
	if code != ExitRunFailed {
		t.Fatalf("exit %d, want %d (stderr %q)", code, ExitRunFailed, stderr)
	}
	if !strings.Contains(stderr, "errgroup: no op succeeded") {
		t.Fatalf("stderr %q does not say that no op succeeded", stderr)
	}
	if !strings.Contains(stdout, "errgroup") {
		t.Fatalf("the summary was not printed:\n%s", stdout)
	}
	if _, err := os.Stat(filepath.Join(out, "errgroup.json")); err != nil {
		t.Fatalf("the result was not kept: %v", err)
	}
}

func TestAnInterruptSaysWhatItStopped(t *testing.T) {
	t.Parallel()
	done := &result.Result{Impl: "mutex"}
	cut := &result.Result{Impl: "rwmutex", Interrupted: true}
	for _, tc := range []struct {
		results []*result.Result
		planned int
		want    string
	}{
		// SIGINT while the report was written: every run had finished.
		{[]*result.Result{done, done}, 2, "interrupted after every run had finished: all 2 results are complete"},
		{[]*result.Result{done, cut}, 3, "interrupted: 1 of 3 runs complete, 1 cut short (marked \"interrupted\"), 1 not started"},
	} {
		if got := interruptNote(tc.results, tc.planned); got != tc.want {
			t.Errorf("interruptNote = %q, want %q", got, tc.want)
		}
	}
}
