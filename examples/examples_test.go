// Package examples_test builds and runs the example programs that bring their
// own implementations to loadgen: the mains in this module (custom-limiter,
// custom-lock) and a separate module (external) that imports syncbench as a
// user's repository would.
package examples_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

// build builds the main package in dir into t.TempDir() with extra environment
// settings and returns the binary.
func build(t *testing.T, dir string, env ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), filepath.Base(dir))
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", dir, err, out)
	}
	return bin
}

// run runs bin with args and returns its exit code and output.
func run(t *testing.T, bin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("running %s: %v", bin, err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
}

// results decodes the -format json output of a run.
func results(t *testing.T, stdout string) map[string]*result.Result {
	t.Helper()
	var rs []*result.Result
	if err := json.Unmarshal([]byte(stdout), &rs); err != nil {
		t.Fatalf("stdout is not a JSON result list: %v\n%s", err, stdout)
	}
	byImpl := map[string]*result.Result{}
	for _, r := range rs {
		if err := r.Validate(); err != nil {
			t.Fatalf("%s: invalid result: %v", r.Impl, err)
		}
		byImpl[r.Impl] = r
	}
	return byImpl
}

// short are the flags that keep a run brief. Two forks, not the default six:
// the user's binary is still started again as a fork of itself, which is what
// these tests ask of it, by a third of the processes (each measures the
// harness floor, 400 ms, before its share of -duration).
var short = []string{"-duration", "300ms", "-warmup", "0s", "-forks", "2", "-quiet", "-format", "json"}

func TestTheCustomMainsRunTheirImplementationBesideTheBuiltIns(t *testing.T) {
	t.Parallel() // each test builds and runs binaries of its own, one at a time
	for _, tc := range []struct {
		dir  string
		args []string
	}{
		{"custom-limiter", []string{"-impl", "mine,xrate", "-rps", "5000"}},
		{"custom-lock", []string{"-impl", "spinlock,mutex", "-concurrency", "4"}},
	} {
		t.Run(tc.dir+" runs "+tc.args[1], func(t *testing.T) {
			bin := build(t, tc.dir)
			code, stdout, stderr := run(t, bin, append(tc.args, short...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			rs := results(t, stdout)
			for name := range strings.SplitSeq(tc.args[1], ",") {
				if r := rs[name]; r == nil || r.Counts.Completed == 0 {
					t.Errorf("no ops measured for %s", name)
				}
			}
		})
	}
}

// externalModule copies examples/external into a temporary directory with its
// replace pointed at this checkout and this module's go.sum, so building it needs
// nothing the project's own go.sum does not pin: it builds offline
// (GOPROXY=off) from the module cache the project's build filled.
func externalModule(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gomod, err := os.ReadFile(filepath.Join("external", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	gomod = bytes.ReplaceAll(gomod, []byte("=> ../.."), []byte("=> "+root))
	for name, data := range map[string][]byte{"go.mod": gomod} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for src, dst := range map[string]string{filepath.Join("external", "main.go"): "main.go", filepath.Join(root, "go.sum"): "go.sum"} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, dst), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestAnExternalModuleRunsItsOwnImplementationsWithTheFullCommandLine(t *testing.T) {
	t.Parallel()
	bin := build(t, externalModule(t), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")

	t.Run("list shows the module's implementations", func(t *testing.T) {
		code, stdout, _ := run(t, bin, "list")
		for _, name := range []string{"ext-limiter", "ext-lock", "ext-nolock", "tokenbucket"} {
			if code != 0 || !strings.Contains(stdout, name) {
				t.Errorf("exit %d; list lacks %s", code, name)
			}
		}
	})

	base, head := t.TempDir(), t.TempDir()
	t.Run("its limiter and lock run with the built-ins and their checks", func(t *testing.T) {
		for _, out := range []string{base, head} {
			code, stdout, stderr := run(t, bin, append([]string{"-impl", "ext-limiter,ext-lock,xrate", "-rps", "2000", "-out", out}, short...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			rs := results(t, stdout)
			if lim := rs["ext-limiter"]; lim == nil || lim.Extras[result.LimiterExtrasKey] == nil {
				t.Fatalf("the module's limiter has no accuracy figures: %+v", lim)
			}
			if lock := rs["ext-lock"]; lock == nil || lock.Counts.OK == 0 {
				t.Fatalf("the module's lock completed nothing")
			}
		}
	})

	t.Run("a lock that excludes nobody fails the run with exit 1", func(t *testing.T) {
		// Updates are lost only while two workers run at the same instant on two
		// cores; on a machine whose cores are busy with other work a short run
		// may see none (and rightly exits 0), so it gets several tries.
		for try := 1; try <= 10; try++ {
			code, _, stderr := run(t, bin, append(append([]string{"-impl", "ext-nolock", "-read-ratio", "0", "-concurrency", "4"}, short...), "-forks", "1")...)
			switch {
			case code == 1 && strings.Contains(stderr, "invariant violated by ext-nolock") && strings.Contains(stderr, "updates lost"):
				return
			case code != 0:
				t.Fatalf("exit %d, stderr %q; want 1 and the lost updates named", code, stderr)
			}
		}
		t.Fatal("10 runs of a lock that excludes nobody lost no update")
	})

	t.Run("compare reads the module's results, as a CI job would", func(t *testing.T) {
		// Two runs of 300 ms on a shared machine may differ by more than the
		// threshold: exit 3 (a regression) is as valid a verdict as 0 here.
		code, stdout, stderr := run(t, bin, "compare", base, head)
		if (code != 0 && code != 3) || !strings.Contains(stdout, "ext-lock") {
			t.Fatalf("exit %d, stdout %q, stderr %q; want a verdict (0 or 3) and a table naming ext-lock", code, stdout, stderr)
		}
	})
}
