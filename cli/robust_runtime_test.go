package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/redistest"
)

// backendGone counts the constructions of test-backend-gone: every odd one
// (the command line's check) succeeds, every even one (the run) fails, as a
// target whose server went away between the two would.
var backendGone atomic.Int64

func init() {
	impls.Register(impls.Impl{Name: "test-backend-gone", Family: impls.FamilyHarness, Summary: "test only: its server is gone when the run starts",
		New: func(impls.Config) (impls.Target, error) {
			if backendGone.Add(1)%2 == 0 {
				return nil, errors.New("test-backend-gone: cannot reach the backend at 127.0.0.1:1")
			}
			return lossy{}, nil
		}})
}

func TestABackendLostAfterTheCheckFailsTheRunNotTheInput(t *testing.T) {
	code, _, stderr := runCLI(t, "-impl", "test-backend-gone", "-duration", "100ms", "-warmup", "0s", "-quiet")
	if code != ExitRunFailed {
		t.Fatalf("exit %d, want %d (a failed run, not bad input); stderr %q", code, ExitRunFailed, stderr)
	}
	want := "loadgen: test-backend-gone could not start: test-backend-gone: cannot reach the backend"
	if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, want) {
		t.Fatalf("stderr %q, want one line containing %q", stderr, want)
	}
}

func TestRedisKilledMidRunExitsOne(t *testing.T) {
	srv := redistest.Start(t)
	out := t.TempDir()
	done := make(chan struct{})
	var code int
	var stderr string
	go func() {
		defer close(done)
		code, _, stderr = runCLI(t, "-impl", "redislock", "-redis", srv.Addr(), "-count", "3", "-duration", "3s",
			"-warmup", "0s", "-interval", "100ms", "-quiet", "-out", out)
	}()
	// Killed once the first run is written: the next run's construction
	// fails, or its ops do and then the third run's construction; either
	// way the run failed (exit 1), whatever the input was.
	waitFor(t, "the first run's result", func() bool {
		_, err := os.Stat(filepath.Join(out, "redislock-r1.json"))
		return err == nil
	})
	srv.Kill()
	<-done
	if code != ExitRunFailed {
		t.Fatalf("exit %d, want %d; stderr %q", code, ExitRunFailed, stderr)
	}
	if strings.Contains(stderr, "redislock: redislock:") {
		t.Fatalf("stderr names the implementation twice: %q", stderr)
	}
}
