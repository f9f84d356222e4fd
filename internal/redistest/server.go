// Package redistest starts a real, throwaway redis-server for tests, so that the
// Redis-backed implementations are tested against Redis itself and never against a
// mock. Each server listens on its own free loopback port, keeps nothing on disk and
// is stopped when the test ends.
//
// Without a redis-server binary on PATH, Start skips the test with a message saying
// what to install, except under CI (the environment variable CI=true), where a
// missing binary fails the test: CI must exercise the real thing.
package redistest

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// binary is the executable looked up on PATH; a variable so the package's own
// tests can exercise the missing-binary path.
var binary = "redis-server"

// readyTimeout bounds how long Start and Restart wait for the first PONG.
const readyTimeout = 10 * time.Second

// Server is one redis-server process owned by a test. Its methods are safe for
// concurrent use, although a test normally drives it from one goroutine.
type Server struct {
	t    testing.TB
	path string // resolved binary
	dir  string // working directory: log file, would-be dump files
	port int
	// busPort is the cluster bus port of a cluster node, 0 for a standalone
	// server; with it, launch makes the server a cluster node.
	busPort int

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd has been waited for
}

// Start launches redis-server on a free port of 127.0.0.1 with persistence off
// (--save "" --appendonly no) in a temporary directory, waits until it answers
// PING, and registers a cleanup that stops it. It skips the test when the binary
// is missing (fails it under CI=true), and fails the test if the server does not
// come up within a few seconds.
func Start(t testing.TB) *Server {
	t.Helper()
	path, err := exec.LookPath(binary)
	if err != nil {
		missingBinary(t, binary, err)
		return nil // only reached with a fake testing.TB
	}
	s, err := startServer(t, path, false)
	if err != nil {
		t.Fatalf("redistest: %v", err)
	}
	return s
}

// startServer starts one server (a cluster node when cluster is set) on fresh
// free ports, retrying with others if the ports were taken meanwhile.
func startServer(t testing.TB, path string, cluster bool) (*Server, error) {
	s := &Server{t: t, path: path, dir: t.TempDir()}
	t.Cleanup(s.stop)
	// Another process may grab the port between our probe and redis binding it;
	// a fresh port on each attempt makes that race harmless.
	var lastErr error
	for range 3 {
		port, err := freePort()
		if err != nil {
			return nil, fmt.Errorf("finding a free port: %v", err)
		}
		s.port = port
		if cluster {
			if s.busPort, err = freePort(); err != nil {
				return nil, fmt.Errorf("finding a free port: %v", err)
			}
		}
		if lastErr = s.launch(); lastErr == nil {
			return s, nil
		}
	}
	return nil, lastErr
}

// missingBinary skips or fails t for a binary (redis-server, redis-cli) that is
// not on PATH.
func missingBinary(t testing.TB, name string, err error) {
	t.Helper()
	msg := fmt.Sprintf("redistest: %s not found on PATH (%v); install it (apt-get install redis-server redis-tools) to run this test", name, err)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + "; CI=true requires it")
		return
	}
	t.Skip(msg)
}

// Addr returns the server's host:port, which stays the same across Restart.
func (s *Server) Addr() string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))
}

// Kill ends the server with SIGKILL, as a crash would, and returns once the
// process has exited. Clients see refused connections until Restart. Killing a
// server that is not running does nothing.
func (s *Server) Kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.killLocked()
}

// Restart starts the server again on the same port after Kill (or kills it first
// if it is still running) and waits until it answers PING. The data set starts
// empty: nothing was persisted. It fails the test if the server does not come up.
func (s *Server) Restart() {
	s.t.Helper()
	s.mu.Lock()
	s.killLocked()
	s.mu.Unlock()
	var err error
	// The port was ours a moment ago; a brief retry covers a slow kernel release.
	for range 3 {
		if err = s.launch(); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("redistest: restart: %v", err)
}

func (s *Server) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.killLocked()
}

func (s *Server) killLocked() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.done
	s.cmd, s.done = nil, nil
}

// launch starts the process and waits for PONG; on failure the process is gone
// and the error carries the tail of the server's log.
func (s *Server) launch() error {
	logPath := filepath.Join(s.dir, "redis.log")
	args := []string{
		"--port", strconv.Itoa(s.port),
		"--bind", "127.0.0.1",
		"--save", "",
		"--appendonly", "no",
		"--dir", s.dir,
		"--logfile", logPath,
		"--daemonize", "no",
	}
	if s.busPort != 0 {
		args = append(args, clusterArgs(s.busPort)...)
	}
	cmd := exec.Command(s.path, args...)
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", s.path, err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(done)
	}()

	deadline := time.Now().Add(readyTimeout)
	for {
		if err := ping(s.Addr()); err == nil {
			break
		}
		select {
		case <-done:
			return fmt.Errorf("redis-server on port %d exited early: %s", s.port, logTail(logPath))
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-done
			return fmt.Errorf("redis-server on port %d did not answer PING within %v: %s", s.port, readyTimeout, logTail(logPath))
		}
	}
	s.mu.Lock()
	s.cmd, s.done = cmd, done
	s.mu.Unlock()
	return nil
}

// ping sends one RESP PING and expects +PONG; it needs no Redis client library.
func ping(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(500 * time.Millisecond))
	if _, err := conn.Write([]byte("*1\r\n$4\r\nPING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if line != "+PONG\r\n" {
		return fmt.Errorf("unexpected reply %q to PING", line)
	}
	return nil
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// logTail returns the last lines of the server log, for failure messages.
func logTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return string(bytes.Join(lines, []byte(" | ")))
}
