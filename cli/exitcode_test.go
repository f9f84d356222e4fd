package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/exitcode"
	"github.com/syncbench/syncbench/result"
)

// lossy is a test-only target whose invariant check always fails, as a lock that
// lost an update would: the run must still write its result, then exit 1.
type lossy struct{}

func (lossy) Do(context.Context, impls.Op) impls.Outcome { return impls.OK }
func (lossy) Verify() error {
	return &impls.InvariantError{Impl: "test-lossy", Detail: "final count 9 != 10 acknowledged writes"}
}
func (lossy) Close() error { return nil }

func init() {
	impls.Register(impls.Impl{Name: "test-lossy", Family: impls.FamilyHarness, Summary: "test only: fails its invariant",
		New: func(impls.Config) (impls.Target, error) { return lossy{}, nil }})
}

func TestAViolatedInvariantExitsOneAfterWritingTheResult(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	code, _, stderr := runCLI(t, "-impl", "test-lossy", "-duration", "100ms", "-warmup", "0s", "-quiet", "-out", out)
	if code != ExitRunFailed {
		t.Fatalf("exit %d, want %d; stderr %q", code, ExitRunFailed, stderr)
	}
	if !strings.Contains(stderr, "invariant violated by test-lossy") {
		t.Fatalf("stderr does not name the violation: %q", stderr)
	}
	if _, err := result.ReadFile(filepath.Join(out, "test-lossy.json")); err != nil {
		t.Fatalf("the measured result was not written: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "summary.md")); err != nil {
		t.Fatalf("no summary.md: %v", err)
	}
}

func TestTheExitCodesAreTheContractsOnes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ cli, internal int }{
		{ExitOK, exitcode.OK}, {ExitRunFailed, exitcode.RunFailed}, {ExitBadInput, exitcode.BadInput},
		{ExitCheckFailed, exitcode.CheckFailed}, {ExitInterrupted, exitcode.Interrupted},
	} {
		if c.cli != c.internal {
			t.Errorf("cli exits %d where internal/exitcode says %d", c.cli, c.internal)
		}
	}
}
