package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/multiproc"
	"github.com/syncbench/syncbench/result"
)

// useChildBinary makes runProcs, run in-process, start exe as its children (the
// test binary is not loadgen).
func useChildBinary(t *testing.T, exe string) {
	t.Helper()
	saved := selfExecutable
	selfExecutable = func() (string, error) { return exe, nil }
	t.Cleanup(func() { selfExecutable = saved })
}

func TestFileLocksInThreeProcessesMergeLosslesslyAndPassTheExclusionCheck(t *testing.T) {
	// Not parallel: it points selfExecutable, a package variable, at loadgen.
	useChildBinary(t, loadgenBinary(t))
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "-impl", "flock,ofd,fcntl", "-procs", "3", "-duration", "1s", "-warmup", "200ms", "-out", out)
	if code != ExitOK {
		t.Fatalf("exit %d, want 0; stderr %q", code, stderr)
	}
	for _, impl := range []string{"flock", "ofd", "fcntl"} {
		t.Run(impl+" merges the three processes' results", func(t *testing.T) {
			merged, err := result.ReadFile(filepath.Join(out, impl+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var completed, timed int64
			var acquisitions float64
			for i := 1; i <= 3; i++ {
				r, err := result.ReadFile(filepath.Join(out, "procs", "p"+strconv.Itoa(i), impl+".json"))
				if err != nil {
					t.Fatalf("process %d: %v", i, err)
				}
				if r.Counts.Completed == 0 || r.Impl != impl {
					t.Fatalf("process %d: %d ops of %q", i, r.Counts.Completed, r.Impl)
				}
				completed += r.Counts.Completed
				timed += r.Latency.Response.Count
				acquisitions += r.ImplStats["acquisitions"]
			}
			if merged.Counts.Completed != completed {
				t.Errorf("merged completed = %d, want the sum of the processes' %d", merged.Counts.Completed, completed)
			}
			// Latencies may be sampled and describe the window's ops, counts its
			// completions: the merged histogram holds the processes' timed ops.
			if h, _ := result.DecodeHistogram(merged.Histogram.Response); h.TotalCount() != timed {
				t.Errorf("merged response histogram holds %d ops, want %d", h.TotalCount(), timed)
			}
			if merged.ImplStats["acquisitions"] != acquisitions || acquisitions == 0 {
				t.Errorf("merged acquisitions = %v, want the processes' sum %v", merged.ImplStats["acquisitions"], acquisitions)
			}
			procs := merged.Extras[multiproc.ExtrasKey]
			if procs["processes"] != float64(3) || procs["exclusion_check"] != "passed" {
				t.Errorf("merged extras %v, want 3 processes and a passed exclusion check", procs)
			}
			if _, ok := merged.Params.Family["lockfile"]; ok {
				t.Errorf("the parent's temp lock file leaked into the configuration: %v", merged.Params.Family)
			}
			for _, want := range []string{impl + "[p1]", impl + "[p3]", impl + "[merged]", impl + ": exclusion across 3 processes passed"} {
				if !strings.Contains(stdout, want) {
					t.Errorf("summary lacks %q", want)
				}
			}
		})
	}
	if md, err := os.ReadFile(filepath.Join(out, "summary.md")); err != nil || !strings.Contains(string(md), "flock[merged]") {
		t.Errorf("summary.md lacks the merged rows (err %v)", err)
	}
}

func TestChildArgsKeepTheFlagsThatApplyAndForceTheChildOutput(t *testing.T) {
	t.Parallel()
	lockFile := filepath.Join(t.TempDir(), "x.lock")
	var sink bytes.Buffer
	p, code := parsePlan([]string{"-impl", "flock,mutex", "-procs", "3", "-hold", "1ms", "-shared-ratio", "0.5",
		"-duration", "2s", "--format=md", "-seed", "7", "-quiet"}, stdio{stdout: &sink, stderr: &sink})
	if p == nil {
		t.Fatalf("parsePlan: exit %d: %s", code, sink.String())
	}
	flock, _ := impls.Lookup("flock")
	mutex, _ := impls.Lookup("mutex")
	tests := []struct {
		name     string
		impl     impls.Impl
		lockFile string
		seed     int64
		want     []string
		wantNot  []string
	}{
		{"a file lock child gets the lock file and the file-lock flags", flock, lockFile, 8,
			[]string{"--impl=flock", "--seed=8", "--shared-ratio=0.5", "--hold=1ms", "--duration=2s", "--quiet", "--format=json", "--out=DIR", "--lockfile=" + lockFile},
			[]string{"--procs=3", "--format=md"}},
		{"a mutex child drops the flags of other families", mutex, "", 7,
			[]string{"--impl=mutex", "--seed=7", "--hold=1ms", "--format=json", "--out=DIR"},
			[]string{"--shared-ratio=0.5", "--lockfile=" + lockFile, "--procs=3"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			args := childArgs(p.fs, tc.impl, dir, tc.lockFile, tc.seed)
			for _, w := range tc.want {
				if !slices.Contains(args, strings.ReplaceAll(w, "DIR", dir)) {
					t.Errorf("args %q lack %q", args, w)
				}
			}
			for _, w := range tc.wantNot {
				if slices.Contains(args, w) {
					t.Errorf("args %q hold %q", args, w)
				}
			}
			child, code := parsePlan(args, stdio{stdout: &sink, stderr: &sink})
			if child == nil {
				t.Fatalf("the child would refuse its flags: exit %d: %s", code, sink.String())
			}
			if child.flags.procs != 1 || len(child.cells) != 1 || child.cells[0].impl.Name != tc.impl.Name {
				t.Fatalf("the child would run %d cells in %d processes", len(child.cells), child.flags.procs)
			}
		})
	}
}

func TestProcsFlagBelowOneIsBadInput(t *testing.T) {
	t.Parallel()
	for _, n := range []string{"0", "-1"} {
		t.Run("-procs "+n+" is refused", func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "-impl", "flock", "-procs", n, "-duration", "1s")
			if code != ExitBadInput || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "-procs "+n) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit 2 and one line naming -procs", code, stdout, stderr)
			}
		})
	}
}

// writeScript writes an executable shell script standing in for a child loadgen,
// to make a child exit the way a test needs.
func writeScript(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "child.sh")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAChildsExitCodeBecomesTheParents(t *testing.T) {
	// Not parallel: it points selfExecutable, a package variable, at scripts.
	tests := []struct {
		name     string
		script   string
		wantCode int
		want     string // substring of stderr
	}{
		{"a child's bad input is printed and exits 2", `echo "loadgen: -redis: connection refused" >&2; exit 2`, ExitBadInput, "loadgen: -redis: connection refused"},
		{"a child's failed run exits 1", `echo "loadgen: invariant violated" >&2; exit 1`, ExitRunFailed, "exit 1: loadgen: invariant violated"},
		{"a child killed by a signal exits 1", `kill -KILL $$`, ExitRunFailed, "killed by a signal"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			useChildBinary(t, writeScript(t, tc.script))
			code, _, stderr := runCLI(t, "-impl", "mutex", "-procs", "2", "-duration", "1s")
			if code != tc.wantCode || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, stderr, tc.wantCode, tc.want)
			}
		})
	}
}

// processesMentioning returns the pids of processes whose command line contains s.
func processesMentioning(t *testing.T, s string) []int {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && bytes.Contains(cmdline, []byte(s)) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// startProcsParent starts a real loadgen parent of two flock children whose temp
// directory, and so whose children's command lines, contain a unique path; it
// returns once both children run.
func startProcsParent(t *testing.T) (cmd *exec.Cmd, marker string, stdout, stderr *bytes.Buffer) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("finds the children through /proc")
	}
	marker = t.TempDir()
	cmd = exec.Command(loadgenBinary(t), "-impl", "flock", "-procs", "2", "-duration", "60s", "-warmup", "0s", "-interval", "100ms")
	cmd.Env = append(os.Environ(), "TMPDIR="+marker)
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	deadline := time.Now().Add(10 * time.Second)
	for len(processesMentioning(t, marker)) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the two children did not start; stderr %q", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cmd, marker, stdout, stderr
}

// waitGone fails the test unless no process mentions marker within d.
func waitGone(t *testing.T, marker string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		pids := processesMentioning(t, marker)
		if len(pids) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("children %v still running", pids)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestSIGINTToTheParentStopsEveryChildAndExits130(t *testing.T) {
	// Not parallel: its fixed sleep must end inside the children's run.
	cmd, marker, stdout, stderr := startProcsParent(t)
	time.Sleep(2 * time.Second) // past the children's floor measurement and start-up on a loaded machine, into the run
	cmd.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("the parent did not exit within 15s of SIGINT")
	}
	if code := cmd.ProcessState.ExitCode(); code != ExitInterrupted {
		t.Fatalf("exit %d, want %d; stderr %q", code, ExitInterrupted, stderr.String())
	}
	if pids := processesMentioning(t, marker); len(pids) > 0 {
		t.Fatalf("children %v outlived the parent", pids)
	}
	if !strings.Contains(stdout.String(), "flock[merged] (interrupted)") {
		t.Fatalf("the partial results were not merged and shown:\n%s", stdout.String())
	}
}

func TestAParentKilledOutrightTakesItsChildrenDown(t *testing.T) {
	t.Parallel()
	cmd, marker, _, _ := startProcsParent(t)
	cmd.Process.Kill()
	cmd.Wait()
	waitGone(t, marker, 5*time.Second)
}
