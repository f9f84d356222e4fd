package redistest

import (
	"fmt"
	"strings"
	"testing"
)

func TestStartedServerAnswersPingAndStopsAtCleanup(t *testing.T) {
	var addr string
	t.Run("server runs during the test", func(t *testing.T) {
		s := Start(t)
		addr = s.Addr()
		if !strings.HasPrefix(addr, "127.0.0.1:") {
			t.Fatalf("Addr() = %q, want a loopback address", addr)
		}
		if err := ping(addr); err != nil {
			t.Fatalf("PING %s: %v", addr, err)
		}
	})
	if addr == "" {
		t.Skip("subtest skipped: no redis-server")
	}
	if err := ping(addr); err == nil {
		t.Fatalf("server at %s still answers after its test ended", addr)
	}
}

func TestKillStopsTheServerAndRestartBringsItBackOnTheSamePort(t *testing.T) {
	s := Start(t)
	addr := s.Addr()
	s.Kill()
	if err := ping(addr); err == nil {
		t.Fatal("server answers PING after Kill")
	}
	s.Kill() // killing a dead server is a no-op, not a hang
	s.Restart()
	if s.Addr() != addr {
		t.Fatalf("Addr() after Restart = %q, want %q", s.Addr(), addr)
	}
	if err := ping(addr); err != nil {
		t.Fatalf("PING after Restart: %v", err)
	}
	s.Restart() // restarting a running server replaces it
	if err := ping(addr); err != nil {
		t.Fatalf("PING after second Restart: %v", err)
	}
}

func TestTwoServersGetDistinctPorts(t *testing.T) {
	a, b := Start(t), Start(t)
	if a.Addr() == b.Addr() {
		t.Fatalf("both servers on %s", a.Addr())
	}
}

// recordingTB captures Skip and Fatal instead of ending the goroutine.
type recordingTB struct {
	testing.TB
	skipped, failed string
}

func (r *recordingTB) Helper()                   {}
func (r *recordingTB) Skip(args ...any)          { r.skipped = fmt.Sprint(args...) }
func (r *recordingTB) Fatal(args ...any)         { r.failed = fmt.Sprint(args...) }
func (r *recordingTB) Fatalf(f string, a ...any) { r.failed = fmt.Sprintf(f, a...) }

func TestMissingBinary(t *testing.T) {
	old := binary
	binary = "redis-server-that-does-not-exist"
	t.Cleanup(func() { binary = old })
	tests := []struct {
		name     string
		ci       string
		wantSkip bool
	}{
		{"skips the test outside CI", "", true},
		{"skips the test when CI is not exactly true", "1", true},
		{"fails the test under CI=true", "true", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			rec := &recordingTB{TB: t}
			if s := Start(rec); s != nil {
				t.Fatal("Start returned a server without a binary")
			}
			msg := rec.skipped
			if !tt.wantSkip {
				msg = rec.failed
				if rec.skipped != "" {
					t.Errorf("skipped under CI=true: %s", rec.skipped)
				}
			} else if rec.failed != "" {
				t.Errorf("failed outside CI: %s", rec.failed)
			}
			if !strings.Contains(msg, "redis-server-that-does-not-exist not found") {
				t.Errorf("message %q does not name the missing binary", msg)
			}
		})
	}
}
