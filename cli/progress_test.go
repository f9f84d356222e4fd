package cli

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncbench/syncbench/result"
)

func TestProgressRowsAppearAsRunsFinishWhenStdoutIsNotATerminal(t *testing.T) {
	t.Parallel()
	// runCLI's stdout is a buffer, as a CI log is a pipe: no terminal.
	code, stdout, stderr := runCLI(t, "-impl", "mutex,atomic", "-duration", "100ms", "-warmup", "0s", "-quiet")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(stdout, "\n")
	if !strings.HasPrefix(lines[0], "harness floor:") {
		t.Errorf("the floor line does not come first:\n%s", stdout)
	}
	// A row's name may carry a flag the machine's load decides ("(short of
	// cores)"), so the name and the first column are matched apart.
	if !strings.HasPrefix(lines[1], "[1/2] mutex") || !strings.HasPrefix(lines[2], "[2/2] atomic") ||
		!strings.Contains(lines[1], ": model closed") || !strings.Contains(lines[2], ": model closed") {
		t.Errorf("no progress row per run, in run order, before the summary:\n%s", stdout)
	}
	for _, want := range []string{"achieved/s ", "p99 ", "lag p99 -"} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("progress row lacks %q: %s", want, lines[1])
		}
	}
	// The summary table still follows.
	if !strings.Contains(stdout, "\n\n") || strings.Count(stdout, "harness floor:") != 2 {
		t.Errorf("the final summary is missing:\n%s", stdout)
	}
}

func TestStreamWritesOneJSONLinePerIntervalPerRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "live.jsonl")
	code, _, stderr := runCLI(t, "-impl", "mutex,atomic", "-duration", "300ms", "-interval", "100ms", "-warmup", "0s", "-quiet", "-stream", file)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	perRun, tails := map[string]int{}, map[string]int{}
	covered := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l StreamLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
		}
		if l.Type != "interval" || l.Family != "locks" || l.Interval.DurationNs <= 0 {
			t.Errorf("line %+v", l)
		}
		if l.Interval.OffsetNs >= int64(300*time.Millisecond) {
			tails[l.Run]++
			continue
		}
		if l.Interval.OffsetNs != covered[l.Run] || l.Interval.DurationNs%int64(100*time.Millisecond) != 0 {
			t.Errorf("%s: line at %v for %v does not continue the window in whole intervals", l.Run, time.Duration(l.Interval.OffsetNs), time.Duration(l.Interval.DurationNs))
		}
		covered[l.Run] += l.Interval.DurationNs
		perRun[l.Run]++
	}
	// 300 ms in 100 ms intervals: three lines each, fewer only when a late
	// collector closed one line over several whole intervals (a loaded
	// machine); the window's lines tile it, and the partial tail interval a
	// run may add for ops finishing after the end comes at most once.
	for _, run := range []string{"mutex", "atomic"} {
		if n := perRun[run]; n < 1 || n > 3 || covered[run] != int64(300*time.Millisecond) || tails[run] > 1 {
			t.Errorf("%s streamed %d window lines covering %v and %d tails, want 3 (unless merged) covering 300ms and at most 1 tail", run, n, time.Duration(covered[run]), tails[run])
		}
	}
}

func TestStreamToStdoutKeepsStdoutPureJSONLines(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCLI(t, "-impl", "mutex", "-duration", "200ms", "-interval", "100ms", "-warmup", "0s", "-quiet", "-stream", "-")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for line := range strings.SplitSeq(strings.TrimSpace(stdout), "\n") {
		var iv struct{ Interval result.Interval }
		if err := json.Unmarshal([]byte(line), &iv); err != nil {
			t.Fatalf("stdout line %q is not JSON: %v", line, err)
		}
	}
	if !strings.Contains(stderr, "harness floor:") {
		t.Errorf("the summary did not move to stderr:\n%s", stderr)
	}
}

func TestBadStreamPathIsBadInputBeforeAnyLoad(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCLI(t, "-impl", "mutex", "-duration", "100ms", "-stream", filepath.Join(t.TempDir(), "no", "such", "dir", "x.jsonl"))
	if code != ExitBadInput || !strings.Contains(stderr, "-stream") || strings.Contains(stdout, "harness floor") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestPercentilesFlagChoosesTheTableColumns(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runCLI(t, "-impl", "mutex", "-duration", "100ms", "-warmup", "0s", "-quiet", "-percentiles", "50,99.99")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "p99.99") || strings.Contains(stdout, " p90 ") {
		t.Errorf("summary does not show exactly p50 and p99.99:\n%s", stdout)
	}
	if code, _, stderr := runCLI(t, "-impl", "mutex", "-percentiles", "50,200"); code != ExitBadInput || !strings.Contains(stderr, "200") {
		t.Errorf("-percentiles 50,200: exit %d, %q", code, stderr)
	}
}

func TestOutHoldsAnHgrmBesideEachResult(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	if code, _, stderr := runCLI(t, "-impl", "mutex", "-duration", "100ms", "-warmup", "0s", "-quiet", "-o", out); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "mutex.hgrm"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(strings.TrimSpace(string(b)), "Value") || !strings.Contains(string(b), "#[Max") {
		t.Errorf("mutex.hgrm is not a percentile distribution:\n%s", b)
	}
	if _, err := os.Stat(filepath.Join(out, "mutex.json")); err != nil {
		t.Errorf("-o did not write the result: %v", err)
	}
}
