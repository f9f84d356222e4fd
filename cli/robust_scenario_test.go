package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScenarioErrorsPointIntoTheFile is issue 22's item 9 and the input half
// of item 13: a value that came from the -workload file is reported at
// FILE:LINE:COL under the file's key, never as a flag the user did not pass;
// a family parameter the chosen implementations do not use is refused as its
// flag is; and the lists and numbers the flags take are refused alike.
func TestScenarioErrorsPointIntoTheFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string // written to root/w.yaml when set
		args []string
		want string
		not  string
	}{
		{"an unknown impl in the file", "impl: bogus\nphases:\n  - duration: 200ms\n", nil,
			`w.yaml:1:7: impl: unknown implementation "bogus"`, "-impl"},
		{"a limiter parameter on a lock", "impl: mutex\nparams: {limit: 1000}\nphases:\n  - duration: 200ms\n", nil,
			"w.yaml:2:17: limit does not apply to mutex", ""},
		{"a missing replay file", "phases:\n  - arrival: replay\n    replay: gone.txt\n    duration: 1s\n", nil,
			"w.yaml:3:13: replay file ", "-replay"},
		{"a phase rate below one op", "phases:\n  - duration: 100ms\n    rate: 1\n", nil,
			"rate 1 offers less than one op in the phase's 100ms", ""},
		{"an empty element in -impl", "", []string{"-impl", "mutex,,rwmutex"}, `"mutex,,rwmutex" has an empty name`, ""},
		{"a trailing comma in -impl", "", []string{"-impl", "mutex,"}, `"mutex," has an empty name`, ""},
		{"a negative -capacity", "", []string{"-impl", "fifo", "-capacity", "-1"}, "-capacity -1 is not positive (allowed: 1 or more)", "default"},
		{"a negative -limit", "", []string{"-impl", "tokenbucket", "-limit", "-1"}, "-limit -1 is not a positive rate (allowed: > 0 events/s)", "default"},
		{"a negative -burst", "", []string{"-impl", "tokenbucket", "-burst", "-1"}, "-burst -1 is not positive (allowed: 1 or more)", "default"},
		{"a negative -window", "", []string{"-impl", "slidinglog", "-window", "-1s"}, "-window -1s is not positive", "default"},
		// Item 10: what a flag multiplies is bounded by the machine.
		{"-keys at 2^32", "", []string{"-impl", "map-sync", "-keys", "4294967296"}, "-keys 4294967296 is more than this machine's memory holds (allowed: 0 to ", ""},
		{"-procs 100000", "", []string{"-impl", "flock", "-procs", "100000"}, "-procs 100000 is too many (allowed: 1 to ", ""},
		{"-rps below one op per run", "", []string{"-rps", "1e-9", "-duration", "300ms", "-forks", "1"}, "-rps 1e-09 offers less than one op in a run of -duration 300ms (allowed: at least 3.34 ops/s", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			args := tc.args
			if tc.file != "" {
				if err := os.WriteFile(filepath.Join(root, "w.yaml"), []byte(tc.file), 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, "-workload", "{root}/w.yaml")
			}
			expectRefused(t, root, append(args, "-out", "{root}/out"), tc.want, tc.not)
		})
	}
}

// TestAnInterruptStopsAReport is item 11's report half: `loadgen report`
// ignored SIGINT until every figure was drawn. Interrupted, it writes no
// report file and exits 130 with one line.
func TestAnInterruptStopsAReport(t *testing.T) {
	t.Parallel()
	in := oneResult(t)
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	code := runMain(ctx, []string{"report", in, "-out", out}, stdio{stdout: &stdout, stderr: &stderr})
	if code != ExitInterrupted || stdout.Len() != 0 || strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), "interrupted") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d, one line saying interrupted, nothing on stdout", code, stdout.String(), stderr.String(), ExitInterrupted)
	}
	for _, name := range []string{"report.md", "report.html", "results.csv"} {
		if _, err := os.Stat(filepath.Join(out, name)); err == nil {
			t.Errorf("%s written by an interrupted report", name)
		}
	}
	if got := leftovers(t, out); len(got) != 0 {
		t.Errorf("-out holds %v after an interrupted report, want nothing", got)
	}
}
