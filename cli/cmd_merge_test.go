package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

func TestMergeWritesAValidResultWithSummedCounts(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	paths := writeCell(t, dir, "mutex", 4, 2, 300, 800)
	out := filepath.Join(t.TempDir(), "merged.json")
	code, stdout, stderr := runVerb(t, "merge", paths[0], paths[1], "-out", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m, err := result.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if m.Counts.Completed != 600 {
		t.Errorf("merged completed = %d, want 600", m.Counts.Completed)
	}
	if !strings.Contains(stdout, "merged 2 results") {
		t.Errorf("stdout %q", stdout)
	}
}

func TestMergeForceCombinesDifferentConfigurations(t *testing.T) {
	t.Parallel()
	a := writeCell(t, t.TempDir(), "mutex", 4, 1, 100, 800)[0]
	b := writeCell(t, t.TempDir(), "mutex", 8, 1, 100, 800)[0]
	out := filepath.Join(t.TempDir(), "merged.json")
	if code, _, stderr := runVerb(t, "merge", a, b, "--force", "-o", out); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := result.ReadFile(out); err != nil {
		t.Error(err)
	}
}
