package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/internal/workloads"
	"github.com/syncbench/syncbench/result"
)

// runCLI runs loadgen in-process and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = runMain(context.Background(), args, stdio{stdout: &out, stderr: &errOut})
	return code, out.String(), errOut.String()
}

func TestBadInputExitsTwoWithOneLineAndNoFiles(t *testing.T) {
	t.Parallel()
	fileNotDir := filepath.Join(t.TempDir(), "plain-file")
	os.WriteFile(fileNotDir, []byte("x"), 0o644)
	tests := []struct {
		name string
		args []string
		want string // substring of the one stderr line
	}{
		{"an unknown impl, with the closest name", []string{"-impl", "mutx"}, `did you mean mutex`},
		{"a negative rate", []string{"-rps", "-5"}, `-rps "-5"`},
		{"an unknown pacer mode, with the allowed ones", []string{"-rps", "100", "-pacer", "fast"}, `-pacer "fast" is not a pacer mode (allowed: hybrid, spin, sleep, batch)`},
		{"a misspelt pacer mode, with the closest", []string{"-rps", "100", "-pacer", "hybird"}, `did you mean hybrid?`},
		{"a lag budget with a pacer mode", []string{"-rps", "100", "-max-lag", "1ms", "-pacer", "sleep"}, "-max-lag 1ms chooses the pacer, and -pacer sleep is given too"},
		{"a negative lag budget", []string{"-rps", "100", "-max-lag", "-1ms"}, "max-lag"},
		{"a batch interval too long", []string{"-rps", "100", "-pacer", "batch", "-pacer-batch", "1s"}, "pacer-batch"},
		{"a zero duration", []string{"-duration", "0s"}, "-duration 0s is not positive"},
		{"a negative duration", []string{"-duration", "-1s"}, "-duration -1s"},
		{"a zero concurrency", []string{"-concurrency", "0"}, `-concurrency "0"`},
		{"a negative concurrency", []string{"-concurrency", "-3"}, `-concurrency "-3"`},
		{"a read ratio above one", []string{"-read-ratio", "1.5"}, "-read-ratio 1.5 is outside [0,1]"},
		{"a read ratio below zero", []string{"-read-ratio", "-0.1"}, "outside [0,1]"},
		{"an unknown flag", []string{"-bogus", "1"}, "unknown"},
		{"an unknown format", []string{"-format", "xml"}, "allowed: text, json, md"},
		{"a family flag for another family", []string{"-impl", "mutex", "-burst", "5"}, "-burst does not apply"},
		{"an unknown verb", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"an unwritable -out", []string{"-impl", "noop", "-duration", "1s", "-out", filepath.Join(fileNotDir, "sub")}, "is not a writable directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := tc.args
			if !strings.Contains(strings.Join(args, " "), "-out") {
				args = append(args, "-out", out)
			}
			code, stdout, stderr := runCLI(t, args...)
			if code != ExitBadInput {
				t.Fatalf("exit %d, want %d (stderr %q)", code, ExitBadInput, stderr)
			}
			if lines := strings.Count(strings.TrimRight(stderr, "\n"), "\n") + 1; lines != 1 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("stderr = %q, want one line containing %q", stderr, tc.want)
			}
			if strings.Contains(stderr, "goroutine ") || stdout != "" {
				t.Fatalf("bad input printed more than one line: stdout %q stderr %q", stdout, stderr)
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Fatalf("bad input left %d files in -out", len(entries))
			}
		})
	}
}

func TestSingleDashLongFlagsWorkLikeDoubleDash(t *testing.T) {
	t.Parallel()
	for _, form := range [][]string{
		{"-impl", "noop", "-rps", "2000", "-duration", "300ms", "-warmup=0s", "-format", "json"},
		{"--impl", "noop", "--rps", "2000", "--duration", "300ms", "--warmup=0s", "--format", "json"},
	} {
		code, stdout, stderr := runCLI(t, form...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d, stderr %q", form, code, stderr)
		}
		var results []result.Result
		if err := json.Unmarshal([]byte(stdout), &results); err != nil || len(results) != 1 {
			t.Fatalf("%v: stdout is not one JSON result: %v", form, err)
		}
		if r := results[0]; r.Impl != "noop" || r.Params.Model != "open" || r.Params.Rate != 2000 {
			t.Fatalf("%v: ran %s %s at %v, want noop open at 2000", form, r.Impl, r.Params.Model, r.Params.Rate)
		}
	}
}

func TestSeveralImplsAreSummarisedSideBySideAndWritten(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "-impl", "mutex,rwmutex,atomic", "-rps", "5000", "-duration", "300ms", "-warmup", "0s", "-out", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"harness floor", "offered/s", "achieved/s", "p99.9", "svc p99", "lag p99", "mutex", "rwmutex", "atomic"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	for _, name := range []string{"mutex.json", "rwmutex.json", "atomic.json", "summary.md"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("-out lacks %s: %v", name, err)
		}
	}
	r, err := result.ReadFile(filepath.Join(out, "rwmutex.json"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Counts.Completed == 0 || r.Rates.Offered < 4000 || r.Floor.NsPerOp <= 0 {
		t.Fatalf("rwmutex result: %d ops, offered %.0f/s, floor %.1f ns/op", r.Counts.Completed, r.Rates.Offered, r.Floor.NsPerOp)
	}
}

func TestALagBudgetChoosesThePacerAndSaysWhy(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "-impl", "noop", "-rps", "5000", "-max-lag", "5ms", "-duration", "300ms", "-warmup", "0s", "-forks", "1", "-out", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// The choice is the frontier table's (workloads.ChoosePacer); this test
	// asks that the run takes it and says so, whatever interval it holds.
	want := workloads.ChoosePacer(5000, 5*time.Millisecond)
	if want.Mode != workloads.PacerBatch {
		t.Fatalf("ChoosePacer(5000, 5ms) = %+v; the test means a batch choice", want)
	}
	if !strings.Contains(stdout, "pacer batch (a wake-up every "+formatNs(int64(want.Batch))+" at most), chosen for -max-lag 5.00ms: the cheapest measured pacer") {
		t.Errorf("the summary does not say which pacer the budget chose and why:\n%s", stdout)
	}
	r, err := result.ReadFile(filepath.Join(out, "noop.json"))
	if err != nil {
		t.Fatal(err)
	}
	if h := r.Harness; h == nil || h.Pacer != "batch" || h.MaxLagNs != int64(5*time.Millisecond) || h.PacerBatchNs != int64(want.Batch) || !strings.Contains(h.PacerChoice, "cheapest") {
		t.Fatalf("harness block %+v: want the batch pacer, its interval, the budget and the reason", h)
	}
}

func TestListShowsEveryFamilyWithSummaries(t *testing.T) {
	t.Parallel()
	code, stdout, _ := runCLI(t, "list")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"locks:", "mutex", "sync.Mutex", "harness:", "noop"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("list lacks %q:\n%s", want, stdout)
		}
	}
}

// binDir holds the loadgen binary built for the tests that need a real process;
// TestMain creates it and removes it when the tests end.
var binDir string

func TestMain(m *testing.M) {
	// Every in-process run measures the harness floor first; at the command's
	// 200 ms (twice in auto mode) that was a quarter of this package's time.
	// 50 ms still drives the noop target through tens of thousands of ops; at
	// 20 ms a process stalled by a loaded machine (parallel tests, the race
	// detector) completed none, and the floor read 0 ns/op.
	floorDuration = 50 * time.Millisecond
	dir, err := os.MkdirTemp("", "loadgen-test-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	// The tests run the command in this process, whose executable is the test
	// binary, not loadgen: forks would start it. Tests of forks ask for them
	// and run a built loadgen (useChildBinary).
	defaultForks = 1
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// loadgenBinary builds ./cmd/loadgen once per test process, for tests that need a
// real process (signals, exit codes as the shell sees them, -procs children).
func loadgenBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		binPath = filepath.Join(binDir, "loadgen")
		out, err := exec.Command("go", "build", "-o", binPath, "../cmd/loadgen").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatalf("building loadgen: %v", buildErr)
	}
	return binPath
}

func TestSIGINTWritesPartialResultsAndExits130(t *testing.T) {
	t.Parallel()
	bin := loadgenBinary(t)
	out := t.TempDir()
	live := filepath.Join(t.TempDir(), "live.jsonl")
	cmd := exec.Command(bin, "-impl", "mutex", "-duration", "60s", "-warmup", "0s", "-interval", "100ms", "-out", out, "-stream", live)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Into the run, past the floor measurement: its first interval has been
	// streamed (a fixed sleep can end before the run starts on a loaded box).
	waitFor(t, "the run's first streamed interval", func() bool {
		b, _ := os.ReadFile(live)
		return bytes.Contains(b, []byte("\n"))
	})
	cmd.Process.Signal(syscall.SIGINT)
	if code := waitExit(t, cmd); code != ExitInterrupted {
		t.Fatalf("exit %d, want %d; stderr %q", code, ExitInterrupted, stderr.String())
	}
	r, err := result.ReadFile(filepath.Join(out, "mutex.json"))
	if err != nil {
		t.Fatalf("no valid partial result: %v", err)
	}
	if !r.Interrupted || r.Counts.Completed == 0 || r.DurationNs >= int64(60*time.Second) {
		t.Fatalf("partial result: interrupted=%v, %d ops over %v", r.Interrupted, r.Counts.Completed, time.Duration(r.DurationNs))
	}
	if !strings.Contains(stdout.String(), "mutex (interrupted)") {
		t.Fatalf("the summary was not printed for the partial run:\n%s", stdout.String())
	}
}

func TestASecondSIGINTExitsAtOnce(t *testing.T) {
	// Not parallel: its fixed sleep must end after loadgen handles signals.
	bin := loadgenBinary(t)
	// The first signal starts the orderly stop (partial results, summary); the
	// second, right behind it, must end the process without waiting for that.
	cmd := exec.Command(bin, "-impl", "mutex", "-duration", "60s", "-warmup", "0s")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(600 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	cmd.Process.Signal(syscall.SIGINT)
	if code := waitExit(t, cmd); code != ExitInterrupted {
		t.Fatalf("exit %d, want %d", code, ExitInterrupted)
	}
}

// waitExit waits (at most 10 s, then kills) for a started loadgen to exit after
// a signal and returns its exit code.
func waitExit(t *testing.T, cmd *exec.Cmd) int {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("loadgen did not exit within 10s of the signal")
	}
	return cmd.ProcessState.ExitCode()
}

func TestEveryExampleScenarioRuns(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../examples/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no example scenarios found: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file)+" runs to completion", func(t *testing.T) {
			t.Parallel() // each runs for its scenario's wall-clock duration
			code, stdout, stderr := runCLI(t, "-workload", file, "-quiet", "-format", "json")
			// The examples carry thresholds; on a loaded machine (CI under -race)
			// a latency threshold may fail, which is exit 3 with complete results.
			if code != ExitOK && code != ExitCheckFailed {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var results []*result.Result
			if err := json.Unmarshal([]byte(stdout), &results); err != nil || len(results) == 0 {
				t.Fatalf("no results printed: %v", err)
			}
			for _, r := range results {
				if err := r.Validate(); err != nil || r.Counts.Completed == 0 {
					t.Fatalf("%s: invalid or empty result (%v, %d ops)", r.Impl, err, r.Counts.Completed)
				}
			}
		})
	}
}

func TestABadScenarioFileIsBadInputWithItsPosition(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(path, []byte("phases:\n  - duration: 1s\n    rate: fast\n"), 0o644)
	code, _, stderr := runCLI(t, "-workload", path)
	if code != ExitBadInput || !strings.Contains(stderr, path+":3:") {
		t.Fatalf("exit %d, stderr %q: want exit 2 naming %s:3:col", code, stderr, path)
	}
}

func TestAFailedThresholdExitsThreeAfterWritingResults(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	code, _, stderr := runCLI(t, "-impl", "noop", "-duration", "200ms", "-warmup", "0s", "-threshold", "achieved_rate>1e15", "-out", out)
	if code != ExitCheckFailed {
		t.Fatalf("exit %d, want %d; stderr %q", code, ExitCheckFailed, stderr)
	}
	if !strings.Contains(stderr, "achieved_rate") {
		t.Fatalf("stderr does not say which threshold failed: %q", stderr)
	}
	if _, err := result.ReadFile(filepath.Join(out, "noop.json")); err != nil {
		t.Fatalf("results were not written before exiting 3: %v", err)
	}
}

func TestFindMaxProbesRatesAndReportsTheCurve(t *testing.T) {
	t.Parallel()
	// noop at a 1s p99 bound passes every rate the pacer can offer cleanly, so
	// the search doubles; with a bound nothing can meet it fails every probe.
	code, stdout, stderr := runCLI(t, "-impl", "noop", "-find-max", "p99<1ns", "-rps", "100", "-duration", "100ms", "-warmup", "0s", "-quiet")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "find-max p99<1ns for noop: no probed rate passed") {
		t.Fatalf("the search's answer is missing:\n%s", stdout)
	}
	if probes := strings.Count(stdout, "fail: p99"); probes < 3 {
		t.Fatalf("only %d probes failed on the condition; the search should halve the rate several times:\n%s", probes, stdout)
	}
}

func TestFindMaxWithARateListIsBadInput(t *testing.T) {
	t.Parallel()
	code, _, stderr := runCLI(t, "-impl", "noop", "-find-max", "p99<1ms", "-rps", "100,200")
	if code != ExitBadInput || !strings.Contains(stderr, "-find-max") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

func TestASweepRunsEveryCellInInterleavedRepetitions(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "-impl", "mutex,rwmutex", "-concurrency", "1,2", "-count", "2",
		"-duration", "100ms", "-warmup", "0s", "-format", "json", "-out", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var results []result.Result
	if err := json.Unmarshal([]byte(stdout), &results); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range results {
		order = append(order, fmt.Sprintf("%s/c%d/r%d", r.Impl, r.Params.Concurrency, r.Repetition))
	}
	want := []string{
		"mutex/c1/r1", "mutex/c2/r1", "rwmutex/c1/r1", "rwmutex/c2/r1",
		"mutex/c1/r2", "mutex/c2/r2", "rwmutex/c1/r2", "rwmutex/c2/r2",
	}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Fatalf("run order\n got %v\nwant %v (every cell once per repetition, repetitions interleaved)", order, want)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*-r[12].json"))
	if len(files) != 8 {
		t.Fatalf("%d per-run result files in -out, want 8", len(files))
	}
	var text bytes.Buffer
	writeTextSummary(&text, toPointers(results), nil)
	if !strings.Contains(text.String(), "medians across forks") {
		t.Fatalf("the summary of a repeated sweep shows no medians:\n%s", text.String())
	}
}

func toPointers(rs []result.Result) []*result.Result {
	out := make([]*result.Result, len(rs))
	for i := range rs {
		out[i] = &rs[i]
	}
	return out
}

func TestTheIntervalLogReadsBackWithHdrHistogramsLogReader(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	code, _, stderr := runCLI(t, "-impl", "mutex", "-duration", "300ms", "-warmup", "0s", "-interval", "100ms", "-quiet", "-out", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	res, err := result.ReadFile(filepath.Join(out, "mutex.json"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(out, "mutex.hlog"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	reader := hdr.NewHistogramLogReader(f)
	var intervals int
	var responses int64
	for {
		h, err := reader.NextIntervalHistogram()
		if err != nil {
			t.Fatalf("interval %d: %v", intervals, err)
		}
		if h == nil {
			break
		}
		intervals++
		if h.Tag() == "response" {
			responses += h.TotalCount()
		}
	}
	if intervals < 4 || responses != res.Latency.Response.Count {
		t.Fatalf("read %d interval histograms holding %d responses; want >= 2 intervals × 2 tags holding all %d timed ops", intervals, responses, res.Latency.Response.Count)
	}
}

func TestProfilesAreWrittenBesideTheResults(t *testing.T) {
	// Not parallel: profiles and the execution trace are process-wide.
	out := t.TempDir()
	code, _, stderr := runCLI(t, "-impl", "mutex", "-duration", "200ms", "-warmup", "0s", "-quiet", "-out", out,
		"-cpuprofile", "cpu.pprof", "-mutexprofile", "mutex.pprof", "-blockprofile", "block.pprof", "-trace", "trace.out")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"cpu.pprof", "mutex.pprof", "block.pprof", "trace.out"} {
		if st, err := os.Stat(filepath.Join(out, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty in -out: %v", name, err)
		}
	}
}

func TestAWorkloadPresetsWhatTheFlagsLeaveUnset(t *testing.T) {
	t.Parallel()
	readRatio := func(args ...string) float64 {
		t.Helper()
		code, stdout, stderr := runCLI(t, append([]string{"-impl", "mutex", "-duration", "100ms", "-warmup", "0s", "-format", "json"}, args...)...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		var results []result.Result
		if err := json.Unmarshal([]byte(stdout), &results); err != nil || len(results) != 1 {
			t.Fatalf("%v: %v", args, err)
		}
		if results[0].Workload != "write-heavy" {
			t.Fatalf("workload stored as %q", results[0].Workload)
		}
		return results[0].Params.ReadRatio
	}
	if got := readRatio("-workload", "write-heavy"); got != 0.1 {
		t.Errorf("write-heavy ran with read ratio %v, want its preset 0.1", got)
	}
	if got := readRatio("-workload", "write-heavy", "-read-ratio", "0.5"); got != 0.5 {
		t.Errorf("an explicit -read-ratio 0.5 was overridden by the workload: ran with %v", got)
	}
}
