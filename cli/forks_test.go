package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncbench/syncbench/internal/forks"
	"github.com/syncbench/syncbench/result"
)

// withDefaultForks sets the fork count a run gets when it does not choose one
// (the tests' TestMain makes it 1) for one test.
func withDefaultForks(t *testing.T, n int) {
	t.Helper()
	saved := defaultForks
	defaultForks = n
	t.Cleanup(func() { defaultForks = saved })
}

func TestAPlainRunForksByDefaultAndSplitsItsDuration(t *testing.T) {
	// Not parallel: it sets defaultForks, a package variable.
	withDefaultForks(t, 6)
	var sink bytes.Buffer
	plan := func(args ...string) *plan {
		t.Helper()
		p, code := parsePlan(args, stdio{stdout: &sink, stderr: &sink})
		if p == nil {
			t.Fatalf("parsePlan %q: exit %d: %s", args, code, sink.String())
		}
		return p
	}
	p := plan("-impl", "mutex,rwmutex", "-duration", "3s")
	if p.forks != 6 || p.flags.duration != 500*time.Millisecond || p.totalDuration != 3*time.Second {
		t.Errorf("a plain comparison: %d forks of %v (of %v), want 6 of 500ms (of 3s)", p.forks, p.flags.duration, p.totalDuration)
	}
	if p := plan("-impl", "mutex", "-forks", "3", "-duration", "3s"); p.forks != 3 || p.flags.duration != time.Second {
		t.Errorf("-forks 3: %d forks of %v, want 3 of 1s", p.forks, p.flags.duration)
	}
	if p := plan("-impl", "tokenbucket,gcra", "-rps", "1000", "-duration", "3s"); p.forks != 6 || p.flags.duration != 2*time.Second {
		t.Errorf("limiters: %d forks of %v, want 6 of 2s (two -window, for a steady span)", p.forks, p.flags.duration)
	}
	if p := plan("-impl", "mutex", "-forks", "1", "-duration", "3s"); p.forks != 1 || p.flags.duration != 3*time.Second || p.role != forks.Single {
		t.Errorf("-forks 1: %d forks of %v as %v, want one process of 3s", p.forks, p.flags.duration, p.role)
	}
	for _, args := range [][]string{
		{"-impl", "flock", "-procs", "2"},
		{"-impl", "mutex", "-stream", filepath.Join(t.TempDir(), "s.jsonl")},
		{"-impl", "tokenbucket", "-find-max", "p99<1ms"},
		{"-impl", "tokenbucket", "-rps", "100", "-arrival", "ramp"},
		{"-impl", "mutex", "-cpuprofile", filepath.Join(t.TempDir(), "cpu.out")},
		{"-impl", "mutex,aimd", "-rps", "100"}, // the backend's schedule spans -duration
	} {
		if p := plan(args...); p.forks != 1 {
			t.Errorf("%q runs in %d forks, want one process: %s", args, p.forks, p.forkConflict())
		}
	}
	child := plan("-impl", "mutex,rwmutex", "-fork", "2/6", "-duration", "500ms")
	if child.forks != 1 || child.role != (forks.Role{Fork: 2, Of: 6}) || child.flags.duration != 500*time.Millisecond {
		t.Errorf("a fork child: %d forks as %v of %v, want to run here as 2/6 for 500ms", child.forks, child.role, child.flags.duration)
	}
}

func TestForksThatCannotBeAreBadInput(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"zero forks", []string{"-impl", "mutex", "-forks", "0"}, "-forks 0 is not positive"},
		{"forks with -procs", []string{"-impl", "flock", "-procs", "2", "-forks", "3"}, "-forks 3 does not combine with this run: -procs"},
		{"forks with -find-max", []string{"-impl", "tokenbucket", "-find-max", "p99<1ms", "-forks", "2"}, "-find-max searches in one process"},
		{"a malformed fork role", []string{"-impl", "mutex", "-fork", "7/6"}, "-fork \"7/6\" is not K/N"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runCLI(t, append(tc.args, "-out", out)...)
			if code != ExitBadInput || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 || stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit 2 with one line holding %q", code, stderr, stdout, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("bad input created -out")
			}
		})
	}
}

func TestForkArgsKeepTheRunAndGiveEachForkItsShare(t *testing.T) {
	// Not parallel: it sets defaultForks, a package variable.
	withDefaultForks(t, 6)
	var sink bytes.Buffer
	p, code := parsePlan([]string{"-impl", "mutex,rwmutex", "-duration", "6s", "-count", "2", "-seed", "9",
		"-threshold", "p99<1s", "-threshold", "error_rate<1%", "--format=md", "-out", t.TempDir()}, stdio{stdout: &sink, stderr: &sink})
	if p == nil {
		t.Fatalf("parsePlan: exit %d: %s", code, sink.String())
	}
	dir := t.TempDir()
	args := forkArgs(p.fs, forks.Role{Fork: 4, Of: 6}, p.flags.duration, dir)
	for _, w := range []string{"--impl=mutex,rwmutex", "--count=2", "--seed=9", "--duration=1s", "--fork=4/6", "--out=" + dir, "--quiet", "--format=json"} {
		if !slices.Contains(args, w) {
			t.Errorf("args %q lack %q", args, w)
		}
	}
	for _, a := range args {
		if strings.HasPrefix(a, "--threshold") || strings.HasPrefix(a, "--forks") || a == "--format=md" || a == "--duration=6s" {
			t.Errorf("args %q hold the parent's %q", args, a)
		}
	}
	child, code := parsePlan(args, stdio{stdout: &sink, stderr: &sink})
	if child == nil {
		t.Fatalf("the fork would refuse its flags: exit %d: %s", code, sink.String())
	}
	if child.forks != 1 || child.role != (forks.Role{Fork: 4, Of: 6}) || child.flags.duration != time.Second || len(child.cells) != 2 {
		t.Errorf("the fork would run %d cells as %v for %v in %d processes", len(child.cells), child.role, child.flags.duration, child.forks)
	}
}

func TestForksRunEveryCellOnceEachInARotatedOrderAndAProcessOfItsOwn(t *testing.T) {
	// Not parallel: it points selfExecutable, a package variable, at loadgen.
	useChildBinary(t, loadgenBinary(t))
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "-impl", "noop,mutex,atomic", "-forks", "3", "-duration", "600ms", "-warmup", "0s", "-quiet", "-out", out)
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	impls := []string{"noop", "mutex", "atomic"}
	pids := map[int]bool{}
	for fork := 1; fork <= 3; fork++ {
		var runs []*result.Result
		for _, impl := range impls {
			r, err := result.ReadFile(filepath.Join(out, impl+"-f"+string(rune('0'+fork))+".json"))
			if err != nil {
				t.Fatal(err)
			}
			if r.Fork != fork || r.Params.Forks != 3 || r.Params.DurationNs != int64(200*time.Millisecond) {
				t.Errorf("%s fork %d: recorded fork %d of %d over %v, want fork %d of 3 over 200ms", impl, fork, r.Fork, r.Params.Forks, time.Duration(r.Params.DurationNs), fork)
			}
			if !strings.Contains(r.Command, "-forks 3") || strings.Contains(r.Command, "--fork=") {
				t.Errorf("%s fork %d records the command %q, want the parent's", impl, fork, r.Command)
			}
			if r.Env.Machine == nil || r.Env.Machine.Method == "" {
				t.Errorf("%s fork %d records no machine mode", impl, fork)
			}
			runs = append(runs, r)
		}
		for _, r := range runs[1:] {
			if r.Env.PID != runs[0].Env.PID || r.Env.PID == 0 {
				t.Errorf("fork %d ran its cells in processes %d and %d, want one", fork, runs[0].Env.PID, r.Env.PID)
			}
		}
		if pids[runs[0].Env.PID] {
			t.Errorf("fork %d ran in the process of an earlier fork (%d)", fork, runs[0].Env.PID)
		}
		pids[runs[0].Env.PID] = true
		// Rotated: fork k starts at cell k and wraps around.
		slices.SortFunc(runs, func(a, b *result.Result) int { return a.Start.Compare(b.Start) })
		var order []string
		for _, r := range runs {
			order = append(order, r.Impl)
		}
		want := append(slices.Clone(impls[fork-1:]), impls[:fork-1]...)
		if !slices.Equal(order, want) {
			t.Errorf("fork %d ran %v, want %v", fork, order, want)
		}
	}
	for _, f := range []string{"summary.md", "report.md", "mutex-f2.hlog"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("-out lacks %s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, ".forks")); err == nil {
		t.Error("the forks' working directory is left in -out")
	}
	if !strings.Contains(stdout, "noop") || !strings.Contains(stdout, "atomic") {
		t.Errorf("the summary lacks the runs:\n%s", stdout)
	}
}

func TestAnInterruptedForkKeepsWhatRanAndTheRunExits130(t *testing.T) {
	t.Parallel()
	bin := loadgenBinary(t)
	out := t.TempDir()
	cmd := exec.Command(bin, "-impl", "mutex,noop", "-forks", "3", "-duration", "180s", "-warmup", "0s", "-interval", "100ms", "-quiet", "-out", out)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Into the first fork's first run: its interval log has a line.
	waitFor(t, "the first fork's running interval log", func() bool {
		m, _ := filepath.Glob(filepath.Join(out, ".forks", "f1", ".mutex-f1.hlog.tmp*"))
		return len(m) > 0
	})
	cmd.Process.Signal(syscall.SIGINT)
	if code := waitExit(t, cmd); code != ExitInterrupted {
		t.Fatalf("exit %d, want %d; stderr %q", code, ExitInterrupted, stderr.String())
	}
	r, err := result.ReadFile(filepath.Join(out, "mutex-f1.json"))
	if err != nil {
		t.Fatalf("no partial result of the first fork: %v (stderr %q)", err, stderr.String())
	}
	if !r.Interrupted || r.Fork != 1 {
		t.Errorf("the partial result: interrupted %v, fork %d; want interrupted, fork 1", r.Interrupted, r.Fork)
	}
	if m, _ := filepath.Glob(filepath.Join(out, "*-f2.json")); len(m) > 0 {
		t.Errorf("a second fork ran after the interrupt: %v", m)
	}
	if !strings.Contains(stderr.String(), "interrupted: 0 of 6 runs complete, 1 cut short") {
		t.Errorf("stderr %q does not say what the interrupt stopped", stderr.String())
	}
	if _, err := os.Stat(filepath.Join(out, "summary.md")); err != nil {
		t.Errorf("no summary of the partial run: %v", err)
	}
}

func TestTheSummaryEndsWithTheVerdictAndTheCellsExport(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "-impl", "noop,mutex", "-forks", "1", "-duration", "200ms", "-warmup", "0s", "-quiet", "-out", out)
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, "\nverdict:\n- **locks**") && !strings.Contains(stdout, "\nverdict:\n- **harness**") {
		t.Errorf("the terminal summary has no verdict:\n%s", stdout)
	}
	if strings.Contains(stdout, "`") {
		t.Errorf("the terminal verdict keeps markdown's code marks:\n%s", stdout)
	}
	if !strings.Contains(stdout, "one run per cell: no between-run uncertainty is known") {
		t.Errorf("a single process's summary does not say that no between-run uncertainty is known:\n%s", stdout)
	}
	md, err := os.ReadFile(filepath.Join(out, "summary.md"))
	if err != nil || !strings.Contains(string(md), "## Verdict") {
		t.Errorf("summary.md has no verdict (%v):\n%s", err, md)
	}
	code, csvOut, stderr := runVerb(t, "export", "-format", "cells-csv", out)
	if code != ExitOK || !strings.HasPrefix(csvOut, "impl,family,workload,model,rate,concurrency,gomaxprocs,keys,forks,runs,interval,") {
		t.Errorf("export -format cells-csv: exit %d, stderr %q, output %q", code, stderr, csvOut)
	}
	if !strings.Contains(csvOut, ",1,1,none,") {
		t.Errorf("a cell of one run is not exported with interval none:\n%s", csvOut)
	}
}
