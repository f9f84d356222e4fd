package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncbench/syncbench/result"
)

// fullDisk mounts a 64 KiB tmpfs and fills it to free pages of 4 KiB left,
// then returns its path; the mount is removed when the test ends. Mounting
// needs root (.ci/run runs as root) or passwordless sudo; without either the
// test is skipped, saying so, and TestAFailedWriteDoesNotStopTheOtherFiles
// still covers the same code path.
func fullDisk(t *testing.T, free int) string {
	t.Helper()
	var prefix []string
	if os.Geteuid() != 0 {
		if exec.Command("sudo", "-n", "true").Run() != nil {
			t.Skipf("mounting a tmpfs needs root or passwordless sudo (euid %d); CI runs as root", os.Geteuid())
		}
		prefix = []string{"sudo", "-n"}
	}
	run := func(args ...string) ([]byte, error) {
		all := append(append([]string{}, prefix...), args...)
		return exec.Command(all[0], all[1:]...).CombinedOutput()
	}
	dir := t.TempDir()
	opts := fmt.Sprintf("size=64k,uid=%d,gid=%d", os.Geteuid(), os.Getegid())
	if out, err := run("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir); err != nil {
		t.Fatalf("mounting a tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() { run("umount", dir) })
	filler := bytes.Repeat([]byte{'x'}, (16-free)*4096)
	if err := os.WriteFile(filepath.Join(dir, "filler"), filler, 0o644); err != nil {
		t.Fatalf("filling the tmpfs: %v", err)
	}
	return dir
}

func TestAFullDiskKeepsTheSummaryTheFilesThatFitAndTheFirstError(t *testing.T) {
	t.Parallel()
	// Five free pages: the .hlog's temp file and the result file fit, the
	// histograms and the report do not.
	out := filepath.Join(fullDisk(t, 5), "out")
	code, stdout, stderr := runCLI(t, "-impl", "mutex", "-duration", "300ms", "-warmup", "0s", "-interval", "100ms", "-quiet", "-out", out)
	if code != ExitRunFailed {
		t.Fatalf("exit %d, want %d (stderr %q)", code, ExitRunFailed, stderr)
	}
	if !strings.Contains(stdout, "mutex") || !strings.Contains(stdout, "achieved/s") {
		t.Fatalf("the summary was not printed on a full disk:\n%s", stdout)
	}
	// One line, the first failure, naming its file: a path inside -out that
	// indeed is not there.
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "no space left on device") || !strings.Contains(lines[0], out+"/") {
		t.Fatalf("stderr = %q, want one line naming a file in %s and the full disk", stderr, out)
	}
	failed := strings.Fields(strings.SplitN(lines[0], out+"/", 2)[1])[0]
	failed = strings.TrimRight(failed, ":")
	if _, err := os.Stat(filepath.Join(out, failed)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the error names %s, which exists (err %v)", failed, err)
	}
	// What fit is kept and whole; no temporary file is left. How much fits
	// depends on how many ops the run recorded (the .hlog streams as it goes),
	// so the result file may be the one that did not fit: then the error must
	// be about it or about a file written before it.
	if _, err := os.Stat(filepath.Join(out, "mutex.json")); err == nil {
		if _, err := result.ReadFile(filepath.Join(out, "mutex.json")); err != nil {
			t.Fatalf("the result that fit was not kept whole: %v", err)
		}
	} else if failed != "mutex.json" && !strings.HasPrefix(failed, "mutex.hlog") {
		t.Fatalf("mutex.json is missing though the first failure was %s, written after it", failed)
	}
	entries, _ := os.ReadDir(out)
	kept := 0
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("a temporary file was left behind: %s", e.Name())
		} else {
			kept++
		}
	}
	if kept == 0 {
		t.Error("nothing that fit was kept")
	}
}

func TestAFailedWriteDoesNotStopTheOtherFiles(t *testing.T) {
	t.Parallel()
	// No root needed: a directory where the .hlog must go makes its rename
	// fail; the result, the histograms and the report are still written.
	out := t.TempDir()
	if err := os.MkdirAll(filepath.Join(out, "mutex.hlog", "blocker"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "-impl", "mutex", "-duration", "200ms", "-warmup", "0s", "-interval", "100ms", "-quiet", "-force", "-out", out)
	if code != ExitRunFailed {
		t.Fatalf("exit %d, want %d (stderr %q)", code, ExitRunFailed, stderr)
	}
	if want := "writing " + filepath.Join(out, "mutex.hlog"); strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, want) {
		t.Fatalf("stderr = %q, want one line containing %q", stderr, want)
	}
	if !strings.Contains(stdout, "achieved/s") {
		t.Fatalf("no summary:\n%s", stdout)
	}
	for _, name := range []string{"mutex.json", "mutex.hgrm", "summary.md", "report.md", "results.csv", "bench.txt"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("%s was not written after the .hlog failed: %v", name, err)
		}
	}
}

// leftovers lists the temporary files under dir: .X.tmp* files and
// loadgen-procs-* directories.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && (strings.Contains(info.Name(), ".tmp") || strings.HasPrefix(info.Name(), "loadgen-procs-") || strings.HasPrefix(info.Name(), "loadgen-forks-") || info.Name() == ".forks") {
			found = append(found, path)
		}
		return nil
	})
	return found
}

// waitFor polls until cond holds; the bound only turns a hang into a failure.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Minute); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("never saw %s", what)
		}
	}
}

// waitGroupGone waits until no process of group pgid is left (the -procs
// children outlive a hard-exiting parent by their own interrupt handling).
func waitGroupGone(t *testing.T, pgid int) {
	t.Helper()
	waitFor(t, "the process group end", func() bool { return syscall.Kill(-pgid, 0) != nil })
}

func TestADoubleInterruptLeavesNoTemporaryFiles(t *testing.T) {
	t.Parallel()
	bin := loadgenBinary(t)
	for _, tc := range []struct {
		name string
		args []string
		// seen reports whether the run has created the temporary files
		// the hard exit must remove.
		seen func(out, tmp string) bool
		// outExists: -out is there, empty, before the run, and must stay.
		outExists bool
	}{
		{"a single process's .hlog", []string{"-impl", "mutex", "-forks", "1"}, func(out, _ string) bool {
			m, _ := filepath.Glob(filepath.Join(out, ".mutex.hlog.tmp*"))
			return len(m) > 0
		}, false},
		{"the forks' directory", []string{"-impl", "mutex", "-forks", "3"}, func(out, _ string) bool {
			m, _ := filepath.Glob(filepath.Join(out, ".forks", "f1", ".mutex-f1.hlog.tmp*"))
			return len(m) > 0
		}, false},
		{"the -procs directory", []string{"-impl", "flock", "-procs", "2"}, func(_, tmp string) bool {
			m, _ := filepath.Glob(filepath.Join(tmp, "loadgen-procs-*", "*", "proc-*", ".*.hlog.tmp*"))
			return len(m) > 0
		}, false},
		{"the -procs directory, -out already there", []string{"-impl", "flock", "-procs", "2"}, func(_, tmp string) bool {
			m, _ := filepath.Glob(filepath.Join(tmp, "loadgen-procs-*", "*", "proc-*", ".*.hlog.tmp*"))
			return len(m) > 0
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, tmp := filepath.Join(t.TempDir(), "out"), t.TempDir()
			if tc.outExists {
				if err := os.Mkdir(out, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			args := append(tc.args, "-duration", "120s", "-warmup", "0s", "-interval", "100ms", "-quiet", "-out", out)
			cmd := exec.Command(bin, args...)
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
			waitFor(t, "the run's temporary files", func() bool { return tc.seen(out, tmp) })
			// Two signals sent back to back may reach the process as one
			// (standard signals do not queue); a moment between them keeps
			// them two, without depending on how long the stop takes.
			cmd.Process.Signal(syscall.SIGINT)
			time.Sleep(5 * time.Millisecond)
			cmd.Process.Signal(syscall.SIGINT)
			if code := waitExit(t, cmd); code != ExitInterrupted {
				t.Fatalf("exit %d, want %d; stderr %q", code, ExitInterrupted, stderr.String())
			}
			hard := strings.Contains(stderr.String(), "second interrupt")
			if !hard {
				t.Logf("the second signal arrived after the orderly stop (stderr %q)", stderr.String())
			}
			waitGroupGone(t, cmd.Process.Pid)
			if left := append(leftovers(t, out), leftovers(t, tmp)...); len(left) > 0 {
				t.Fatalf("a double interrupt left %v (stderr %q)", left, stderr.String())
			}
			// loadgen made -out for the run; a hard exit wrote nothing into
			// it, so it must not be left behind empty.
			entries, err := os.ReadDir(out)
			switch {
			case tc.outExists && err != nil:
				t.Fatalf("a double interrupt removed the -out directory that was there before: %v", err)
			case !tc.outExists && hard && err == nil && len(entries) == 0:
				t.Fatalf("a double interrupt left the empty -out directory %s it had made", out)
			}
		})
	}
}
