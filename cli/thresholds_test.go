package cli

import (
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
)

// validateJUnit checks path against the JUnit schema with xmllint, a real
// schema validator (libxml2-utils, which .ci/run installs).
func validateJUnit(t *testing.T, path string) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatalf("xmllint is needed to validate -junit's output (apt-get install libxml2-utils): %v", err)
	}
	xsd := filepath.Join("..", "internal", "reports", "testdata", "junit-10.xsd")
	if out, err := exec.Command(xmllint, "--noout", "--schema", xsd, path).CombinedOutput(); err != nil {
		b, _ := os.ReadFile(path)
		t.Fatalf("%s does not validate against %s: %v\n%s\n%s", path, xsd, err, out, b)
	}
}

func TestAK6UsersThresholdsWorkUnchangedAndTheirVerdictsAreWritten(t *testing.T) {
	// Not parallel: every threshold but avg<0 must pass, which needs completed
	// ops; run beside the package's parallel load tests on a loaded machine, a
	// 200 ms window once completed none (CI, 0.2 of 2 cores).
	out := t.TempDir()
	junit := filepath.Join(t.TempDir(), "junit.xml")
	// k6's expressions as k6 writes them (a plain number is ms), a split, and
	// ours; all hold on any machine but avg<0, which never can.
	thresholds := []string{"p(95)<500ms", "p(95)<500", "avg<1s", "med<200ms", "p(99.9)<1h", "errors:rate<0.01", "count>0",
		"p99{kind:write}<1h", "error_rate<1%", "avg<0"}
	args := []string{"-impl", "mutex", "-duration", "500ms", "-warmup", "0s", "-quiet", "-out", out, "-junit", junit}
	for _, th := range thresholds {
		args = append(args, "-threshold", th)
	}
	code, stdout, stderr := runCLI(t, args...)
	if code != ExitCheckFailed {
		t.Fatalf("exit %d, want 3 (avg<0 fails); stderr %q", code, stderr)
	}
	if strings.Count(stderr, "threshold failed") != 1 || !strings.Contains(stderr, "avg ") {
		t.Errorf("stderr does not name the one failed threshold: %q", stderr)
	}
	r, err := result.ReadFile(filepath.Join(out, "mutex.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Thresholds) != len(thresholds) {
		t.Fatalf("the result holds %d verdicts, want %d", len(r.Thresholds), len(thresholds))
	}
	for i, v := range r.Thresholds {
		wantPass := thresholds[i] != "avg<0"
		if v.Expression != thresholds[i] || v.Pass != wantPass || v.Value == nil || v.Message == "" {
			t.Errorf("verdict %d: %+v, want %q pass=%v with its measured value", i, v, thresholds[i], wantPass)
		}
	}
	if v := r.Thresholds[1]; v.Limit != 5e8 || v.Unit != "ns" {
		t.Errorf("k6's p(95)<500 reads %v %s, want 500 ms", v.Limit, v.Unit)
	}
	for _, file := range []string{"summary.md", "report.md"} {
		b, err := os.ReadFile(filepath.Join(out, file))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "## Thresholds") || !strings.Contains(string(b), "`p(95)<500ms`") || !strings.Contains(string(b), "**1 of 10 threshold checks failed**") {
			t.Errorf("%s does not table the verdicts:\n%s", file, b)
		}
	}
	if !strings.Contains(stdout, "thresholds: 9 of 10 passed") || !strings.Contains(stdout, "✗ avg<0") {
		t.Errorf("the text summary does not list the verdicts:\n%s", stdout)
	}
	validateJUnit(t, junit)
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	b, _ := os.ReadFile(junit)
	if err := xml.Unmarshal(b, &doc); err != nil || doc.Tests != 10 || doc.Failures != 1 {
		t.Errorf("junit: %d tests, %d failures (%v); want 10 and 1", doc.Tests, doc.Failures, err)
	}
}

func TestThresholdAbortStopsAtTheFirstBreachAndMarksTheResult(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	junit := filepath.Join(out, "junit.xml")
	window := 5 * time.Second
	code, _, stderr := runCLI(t, "-impl", "noop,mutex", "-duration", window.String(), "-warmup", "0s", "-interval", "100ms", "-quiet",
		"-threshold", "count<1000", "-threshold", "p99{kind:read}<1h", "-threshold-abort", "-threshold-abort-delay", "300ms", "-junit", junit, "-out", out)
	if code != ExitCheckFailed {
		t.Fatalf("exit %d, want 3; stderr %q", code, stderr)
	}
	if !strings.Contains(stderr, "-threshold-abort stopped noop: count<1000 failed after ") {
		t.Errorf("stderr does not say what stopped the run: %q", stderr)
	}
	r, err := result.ReadFile(filepath.Join(out, "noop.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The first check is at the first interval ending 300ms or more into the
	// window: at 300ms, or later when a loaded machine's collector wakes
	// late and closes several intervals at once.
	m := regexp.MustCompile(`^count<1000 failed after (\S+) of the 5s window: count \d+ > 1000`).FindStringSubmatch(r.Aborted)
	if !r.Interrupted || m == nil {
		t.Fatalf("the result is not marked: interrupted %v, aborted %q", r.Interrupted, r.Aborted)
	}
	if at, err := time.ParseDuration(m[1]); err != nil || at < 300*time.Millisecond || at >= window {
		t.Errorf("stopped after %q (%v): want from the 300ms delay on, within the window", m[1], err)
	}
	if r.DurationNs >= int64(window) || len(r.Thresholds) != 2 || r.Thresholds[0].Pass {
		t.Errorf("measured %v of %v with verdicts %+v: want a partial run whose count<1000 failed", time.Duration(r.DurationNs), window, r.Thresholds)
	}
	if _, err := os.Stat(filepath.Join(out, "mutex.json")); !os.IsNotExist(err) {
		t.Errorf("the run after the breach was started: %v", err)
	}
	validateJUnit(t, junit)
	if b, _ := os.ReadFile(junit); !strings.Contains(string(b), "stopped early by -threshold-abort") {
		t.Errorf("the JUnit report does not say the run was stopped:\n%s", b)
	}
}

func TestThresholdAbortWaitsForItsDelay(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	// The delay is the whole window: the check never runs, the run ends on
	// time, and the final verdict still fails it.
	code, _, stderr := runCLI(t, "-impl", "noop", "-duration", "300ms", "-warmup", "0s", "-interval", "100ms", "-quiet",
		"-threshold", "count<1000", "-threshold-abort", "-threshold-abort-delay", "1h", "-out", out)
	if code != ExitCheckFailed || strings.Contains(stderr, "-threshold-abort stopped") {
		t.Fatalf("exit %d, stderr %q: want 3 from the final verdict, no abort", code, stderr)
	}
	r, err := result.ReadFile(filepath.Join(out, "noop.json"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Interrupted || r.Aborted != "" || r.Thresholds[0].Pass {
		t.Errorf("interrupted %v, aborted %q, verdict %+v", r.Interrupted, r.Aborted, r.Thresholds[0])
	}
}

func TestThresholdFlagsRefuseWhatCannotWork(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"an abort without a threshold", []string{"-threshold-abort"}, "give -threshold too"},
		{"a delay without an abort", []string{"-threshold", "p99<1s", "-threshold-abort-delay", "5s"}, "give -threshold-abort too"},
		{"a negative delay", []string{"-threshold", "p99<1s", "-threshold-abort", "-threshold-abort-delay", "-1s"}, "is negative"},
		{"-junit without a threshold", []string{"-junit", filepath.Join(dir, "j.xml")}, "give -threshold too"},
		{"-junit into a missing directory", []string{"-threshold", "p99<1s", "-junit", filepath.Join(dir, "no", "j.xml")}, "-junit"},
		{"-junit onto a directory", []string{"-threshold", "p99<1s", "-junit", dir}, "it is a directory"},
		{"an abort with only a split's threshold", []string{"-threshold", "p99{kind:write}<1s", "-threshold-abort"}, "none of the thresholds can be checked during the run"},
		{"an abort with -procs", []string{"-threshold", "p99<1s", "-threshold-abort", "-procs", "2"}, "with -procs"},
		{"an abort with -find-max", []string{"-find-max", "p99<1ms", "-threshold", "p99<1s", "-threshold-abort"}, "-find-max"},
		{"k6's bare rate", []string{"-threshold", "rate<0.01"}, "rate needs a metric"},
		{"a k6 metric name", []string{"-threshold", "http_req_failed:rate<0.01"}, "errors here"},
		{"an unknown split", []string{"-threshold", "p99{kind:writes}<1ms"}, `"writes" is not a kind`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runCLI(t, append([]string{"-impl", "mutex", "-duration", "100ms", "-o", out}, tt.args...)...)
			if code != ExitBadInput || !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("exit %d, stderr %q: want exit 2 and one line containing %q", code, stderr, tt.want)
			}
			if strings.Contains(stdout, "harness floor") {
				t.Errorf("load ran before the refusal")
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("bad input left -out behind: %v", err)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("bad input left files: %v", entries)
	}
}

func TestForksAndProcsAreJudgedByTheParent(t *testing.T) {
	// Not parallel: it points selfExecutable, a package variable, at loadgen.
	useChildBinary(t, loadgenBinary(t))
	for _, tt := range []struct {
		name   string
		args   []string
		judged []string // files that must hold the verdicts
		plain  []string // files that must hold none
	}{
		{"two forks: each fork's result", []string{"-forks", "2"}, []string{"mutex-f1.json", "mutex-f2.json"}, nil},
		{"two processes: the merge, not its parts", []string{"-procs", "2"}, []string{"mutex.json"}, []string{filepath.Join("procs", "p1", "mutex.json")}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			junit := filepath.Join(t.TempDir(), "junit.xml")
			code, _, stderr := runCLI(t, append([]string{"-impl", "mutex", "-duration", "400ms", "-warmup", "0s", "-quiet", "-out", out,
				"-threshold", "count>0", "-threshold", "avg<0", "-junit", junit}, tt.args...)...)
			if code != ExitCheckFailed || !strings.Contains(stderr, "threshold failed for mutex: avg") {
				t.Fatalf("exit %d, stderr %q: want 3 for avg<0", code, stderr)
			}
			for _, name := range append(tt.judged, tt.plain...) {
				r, err := result.ReadFile(filepath.Join(out, name))
				if err != nil {
					t.Fatal(err)
				}
				want := 2
				if !strings.Contains(strings.Join(tt.judged, " "), name) {
					want = 0
				}
				if len(r.Thresholds) != want {
					t.Errorf("%s holds %d verdicts, want %d", name, len(r.Thresholds), want)
				}
			}
			validateJUnit(t, junit)
		})
	}
}

func TestHelpThresholdsShowsBothSpellingsAndTheyParse(t *testing.T) {
	t.Parallel()
	code, stdout, _ := runCLI(t, "help", "thresholds")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	// Every example on the page must be a threshold loadgen accepts.
	examples := regexp.MustCompile(`[a-z_(){}:.0-9|]+(<=|>=|<|>|==|!=)[0-9.]+(ms|us|%)?`).FindAllString(stdout, -1)
	if len(examples) < 15 {
		t.Fatalf("only %d examples on the page:\n%s", len(examples), stdout)
	}
	for _, ex := range examples {
		if strings.Contains(ex, "|") {
			continue // the SPLIT line lists alternatives
		}
		if _, err := metrics.ParseThreshold(ex); err != nil {
			t.Errorf("the page's example %q is refused: %v", ex, err)
		}
	}
}
