package cli

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncbench/syncbench/internal/redistest"
	"github.com/syncbench/syncbench/result"
	"golang.org/x/sys/unix"
)

// mkfifo makes a FIFO at root/name.
func mkfifo(t *testing.T, root, name string) string {
	t.Helper()
	path := filepath.Join(root, name)
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// holdReader opens the FIFO at path for reading and never reads, as a reader
// that stopped would; it is closed when the test ends. The pipe is shrunk to
// one page, so that a few lines fill it.
func holdReader(t *testing.T, path string) {
	t.Helper()
	r, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if _, err := unix.FcntlInt(r.Fd(), unix.F_SETPIPE_SZ, os.Getpagesize()); err != nil {
		t.Fatal(err)
	}
}

// TestBadInputLeavesTheUsersFilesAlone is issue #22's first item and its
// twelfth: a refused run neither truncates, removes nor overwrites a file
// that was there, whatever kind of file it is.
func TestBadInputLeavesTheUsersFilesAlone(t *testing.T) {
	t.Parallel()
	data := func(t *testing.T, root string) {
		if err := os.WriteFile(filepath.Join(root, "p.txt"), []byte("data\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, root string)
		args  []string
		want  string
	}{
		{"an existing -stream file when joining the fleet fails", data,
			[]string{"-impl", "mutex", "-fleet", "x:2", "-redis", "127.0.0.1:1", "-stream", "{root}/p.txt"}, "-fleet x:2: cannot reach Redis"},
		{"an existing -stream file inside -out when joining the fleet fails", func(t *testing.T, root string) {
			os.Mkdir(filepath.Join(root, "out"), 0o755)
			os.WriteFile(filepath.Join(root, "out", "live.jsonl"), []byte("earlier lines\n"), 0o644)
		}, []string{"-impl", "mutex", "-fleet", "x:2", "-redis", "127.0.0.1:1", "-stream", "{root}/out/live.jsonl", "-out", "{root}/out"}, "cannot reach Redis"},
		{"a FIFO -stream with a reader when joining the fleet fails", func(t *testing.T, root string) {
			holdReader(t, mkfifo(t, root, "fifo"))
		}, []string{"-impl", "mutex", "-fleet", "x:2", "-redis", "127.0.0.1:1", "-stream", "{root}/fifo"}, "cannot reach Redis"},
		{"a FIFO -stream that nobody reads", func(t *testing.T, root string) { mkfifo(t, root, "fifo") },
			[]string{"-impl", "noop", "-duration", "100ms", "-warmup", "0s", "-stream", "{root}/fifo"}, `-stream "` + "{root}" + `/fifo" is a FIFO that no process has open for reading`},
		{"a FIFO as a profile", func(t *testing.T, root string) { mkfifo(t, root, "fifo") },
			[]string{"-impl", "noop", "-cpuprofile", "{root}/fifo"}, "it is a FIFO"},
		{"a directory as -stream", func(t *testing.T, root string) { os.Mkdir(filepath.Join(root, "d"), 0o755) },
			[]string{"-impl", "noop", "-stream", "{root}/d"}, "it is a directory"},
		{"one file for two profiles", data,
			[]string{"-impl", "noop", "-cpuprofile", "{root}/p.txt", "-trace", "{root}/p.txt"}, `-trace "{root}/p.txt" is also -cpuprofile's file`},
		{"one file for a profile and the stream, by two spellings", data,
			[]string{"-impl", "noop", "-stream", "{root}/p.txt", "-blockprofile", "{root}/./p.txt"}, `-stream "{root}/p.txt" is also -blockprofile's file`},
		{"one file through a hard link", func(t *testing.T, root string) {
			data(t, root)
			os.Link(filepath.Join(root, "p.txt"), filepath.Join(root, "q.txt"))
		}, []string{"-impl", "noop", "-stream", "{root}/p.txt", "-mutexprofile", "{root}/q.txt"}, "is also -mutexprofile's file"},
		{"a user's file beside the lock file, named like its count file", func(t *testing.T, root string) {
			os.Mkdir(filepath.Join(root, "lk"), 0o755)
			os.WriteFile(filepath.Join(root, "lk", "data.count"), []byte("the user's numbers\n"), 0o644)
		}, []string{"-impl", "flock", "-lockfile", "{root}/lk/data"}, "flock: {root}/lk/data.count does not start with the count file header, so it is not a loadgen count file"},
		{"the same with -procs", func(t *testing.T, root string) {
			os.Mkdir(filepath.Join(root, "lk"), 0o755)
			os.WriteFile(filepath.Join(root, "lk", "data.count"), []byte("the user's numbers\n"), 0o644)
		}, []string{"-impl", "ofd", "-procs", "2", "-lockfile", "{root}/lk/data"}, "ofd: {root}/lk/data.count does not start"},
		{"a directory as the lock file", func(t *testing.T, root string) { os.Mkdir(filepath.Join(root, "lk"), 0o755) },
			[]string{"-impl", "flock", "-lockfile", "{root}/lk"}, "flock: lock file {root}/lk is a directory"},
		{"a -stream named like the run's result in -out", func(t *testing.T, root string) {},
			[]string{"-impl", "mutex", "-out", "{root}/o", "-stream", "{root}/o/mutex.json"}, `-stream "{root}/o/mutex.json" would be overwritten by the run's own mutex.json in -out`},
		{"a profile named like the report in -out", func(t *testing.T, root string) {},
			[]string{"-impl", "mutex", "-out", "{root}/o", "-cpuprofile", "report.md"}, "would be overwritten by the run's own report.md"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			tc.setup(t, root)
			want := strings.ReplaceAll(tc.want, "{root}", root)
			expectRefused(t, root, tc.args, want, "")
		})
	}
}

func TestAStreamWhoseReaderStoppedFailsTheRunNotHangsIt(t *testing.T) {
	t.Parallel()
	// A reader that holds the FIFO open and never reads: the pipe fills
	// (one page, about a dozen lines), then the next line waits
	// streamWriteTimeout and the stream fails; the run goes on and keeps its
	// results. Opened read-write, as before, the run blocked for ever.
	root := t.TempDir()
	fifo := mkfifo(t, root, "fifo")
	holdReader(t, fifo)
	out := filepath.Join(root, "out")
	done := make(chan struct{})
	var code int
	var stdout, stderr string
	go func() {
		defer close(done)
		code, stdout, stderr = runCLI(t, "-impl", "noop", "-duration", "3s", "-warmup", "0s", "-interval", "10ms", "-quiet", "-stream", fifo, "-out", out)
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("the run hung on a FIFO whose reader does not read")
	}
	if code != ExitRunFailed {
		t.Fatalf("exit %d, want %d (stderr %q)", code, ExitRunFailed, stderr)
	}
	if want := `-stream "` + fifo + `": the reader stopped reading`; strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, want) {
		t.Fatalf("stderr = %q, want one line containing %q", stderr, want)
	}
	if !strings.Contains(stdout, "achieved/s") {
		t.Fatalf("no summary:\n%s", stdout)
	}
	if _, err := result.ReadFile(filepath.Join(out, "noop.json")); err != nil {
		t.Fatalf("the result was not kept: %v", err)
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO is gone or changed: %v", err)
	}
}

func TestAClosedPipeOnStdoutLosesNoResult(t *testing.T) {
	t.Parallel()
	bin := loadgenBinary(t)
	for _, tc := range []struct {
		name string
		args []string
		read int // lines the reader takes before it closes its end
		want string
	}{
		{"-stream - | head -1", []string{"-stream", "-"}, 1, "-stream -: the reader closed its end after"},
		{"the summary | head -0", nil, 0, "printing the summary: the reader closed standard output (broken pipe)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append([]string{"-impl", "mutex", "-duration", "1s", "-warmup", "0s", "-interval", "100ms", "-quiet", "-out", out}, tc.args...)
			cmd := exec.Command(bin, args...)
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = w, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			w.Close()
			lines := bufio.NewReader(r)
			for range tc.read {
				if _, err := lines.ReadString('\n'); err != nil {
					t.Fatalf("reading the first line: %v (stderr %q)", err, stderr.String())
				}
			}
			r.Close()
			done := make(chan struct{})
			go func() { cmd.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(2 * time.Minute):
				cmd.Process.Kill()
				t.Fatal("loadgen did not exit")
			}
			if code := cmd.ProcessState.ExitCode(); code != ExitRunFailed {
				t.Fatalf("exit %d (%v), want %d; stderr %q", code, cmd.ProcessState, ExitRunFailed, stderr.String())
			}
			errLines := strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n")
			if last := errLines[len(errLines)-1]; !strings.Contains(last, tc.want) {
				t.Fatalf("last stderr line %q, want it to contain %q", last, tc.want)
			}
			// One process with -stream, forks without: mutex.json or
			// mutex-f1.json ...
			for _, pattern := range []string{"mutex*.json", "mutex*.hlog", "report.md", "summary.md"} {
				if m, _ := filepath.Glob(filepath.Join(out, pattern)); len(m) == 0 {
					t.Errorf("no %s was written", pattern)
				}
			}
			if left := leftovers(t, out); len(left) > 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

func TestAFleetThatNeverGatheredLeavesTheStreamFileAndStdoutAlone(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "live.jsonl"), []byte("an earlier run's lines\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	expectRefused(t, root, []string{"-impl", "mutex", "-redis", srv.Addr(), "-fleet", "alone:2", "-fleet-wait", "300ms",
		"-duration", "1s", "-quiet", "-stream", "{root}/live.jsonl", "-out", "{root}/out"}, "only 1 of 2 members arrived", "")
}
