//go:build linux

package filelocks

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"golang.org/x/sys/unix"
)

// The helper-process pattern: the test binary re-executes itself with
// -test.run=TestHelperProcess and helperEnv set to a role, so that a lock can be
// held (and killed) by a genuinely different process.
const (
	helperEnv     = "FILELOCKS_HELPER"
	helperKindEnv = "FILELOCKS_KIND"
	helperPathEnv = "FILELOCKS_PATH"
	helperOpsEnv  = "FILELOCKS_OPS"
)

// TestHelperProcess is not a test: it is the body of the child processes. Roles:
//   - hold: take the lock exclusively, print "locked", sleep until killed.
//   - probe: make one non-blocking POSIX write-lock attempt (released at once),
//     print "free" or "busy".
//   - hammer: run FILELOCKS_OPS exclusive ops with 2 workers on the lock file and
//     print the acknowledged count.
func TestHelperProcess(t *testing.T) {
	role := os.Getenv(helperEnv)
	if role == "" {
		t.Skip("helper process body; runs only when re-executed by another test")
	}
	kind, path := os.Getenv(helperKindEnv), os.Getenv(helperPathEnv)
	switch role {
	case "hold":
		l, closeAll := openLocker(t, kind, path)
		defer closeAll()
		if err := l.Lock(context.Background(), Exclusive); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("locked")
		time.Sleep(30 * time.Second) // the parent kills us long before
		os.Exit(0)
	case "probe":
		fd, err := unix.Open(path, unix.O_RDWR, 0)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		lk := wholeFile(unix.F_WRLCK)
		ok, err := tryLock(fd, unix.F_SETLK, &lk)
		switch {
		case err != nil:
			fmt.Println("error:", err)
		case ok:
			// Release before answering: the parent acts on the answer at once,
			// before this process has exited.
			unlock := wholeFile(unix.F_UNLCK)
			_ = unix.FcntlFlock(uintptr(fd), unix.F_SETLK, &unlock)
			fmt.Println("free")
		default:
			fmt.Println("busy")
		}
		os.Exit(0)
	case "hammer":
		ops, _ := strconv.Atoi(os.Getenv(helperOpsEnv))
		target, err := New(kind, impls.Config{Workers: 2, LockFile: path})
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		runWorkers(context.Background(), target, 2, ops, impls.Op{Kind: impls.OpWrite})
		if err := target.Verify(); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println(int(target.Stats()["acquisitions"]))
		_ = target.Close()
		os.Exit(0)
	}
	t.Fatalf("unknown helper role %q", role)
}

// helper starts the test binary as a child in role and returns it with its stdout.
// The child dies with the test (parent-death signal) and is killed at cleanup.
func helper(t *testing.T, role, kind, path string, extraEnv ...string) (*exec.Cmd, *bufio.Reader) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), helperEnv+"="+role, helperKindEnv+"="+kind, helperPathEnv+"="+path)
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return cmd, bufio.NewReader(out)
}

// readLine reads one line from a child, failing the test after a bound.
func readLine(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		line, err := r.ReadString('\n')
		ch <- result{strings.TrimSpace(line), err}
	}()
	select {
	case res := <-ch:
		if res.err != nil && res.line == "" {
			t.Fatalf("reading from child: %v", res.err)
		}
		return res.line
	case <-time.After(10 * time.Second):
		t.Fatal("child did not answer within 10s")
		return ""
	}
}

// openLocker returns a raw Locker of kind on path and a function closing it.
func openLocker(t testing.TB, kind, path string) (Locker, func()) {
	t.Helper()
	switch kind {
	case KindFlock:
		l := NewFlock(path)
		return l, func() { _ = l.Close() }
	case KindOFD:
		l, err := OpenOFD(path)
		if err != nil {
			t.Fatal(err)
		}
		return l, func() { _ = l.Close() }
	case KindFcntl:
		f, err := OpenFcntl(path)
		if err != nil {
			t.Fatal(err)
		}
		return f.NewLocker(), func() { _ = f.Close() }
	}
	t.Fatalf("unknown kind %q", kind)
	return nil, nil
}
