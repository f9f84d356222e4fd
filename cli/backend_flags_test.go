package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

func TestBadBackendInputExitsTwoBeforeAnyLoad(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "sched.yaml")
	os.WriteFile(file, []byte("phases:\n  - duration: 1s\n    capacity: 4\n    failure: 2\n"), 0o644)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"a capacity of zero", []string{"-impl", "aimd", "-backend-capacity", "16x1s,0"}, `-backend-capacity: stage 2 "0": capacity 0 is out of range`},
		{"a stage without a duration before the last", []string{"-impl", "gobreaker", "-backend-failure", "0,1x1s"}, "-backend-failure: stage 1"},
		{"an unknown distribution", []string{"-impl", "vegas", "-backend-dist", "normal"}, "-backend-dist: unknown service-time distribution"},
		{"a schedule file with a bad value, at its position", []string{"-impl", "aimd", "-backend", file}, file + ":4:14: failure"},
		{"a missing schedule file", []string{"-impl", "aimd", "-backend", file + ".missing"}, file + ".missing:1:1: cannot read"},
		{"a backend flag for a family without a backend", []string{"-impl", "mutex", "-backend-capacity", "4"}, "-backend-capacity does not apply to the chosen implementations (it applies to: breakers, adaptive)"},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runCLI(t, append(tc.args, "-out", out)...)
			if code != ExitBadInput || strings.Count(strings.TrimRight(stderr, "\n"), "\n") != 0 || !strings.Contains(stderr, tc.want) || stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q: want exit 2 and one line containing %q", code, stdout, stderr, tc.want)
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Fatalf("bad input left %d files in -out", len(entries))
			}
		})
	}
}

func TestBackendFlagsReachTheFamiliesScores(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "-impl", "aimd,nobreaker", "-rps", "200", "-concurrency", "16", "-duration", "600ms", "-warmup", "0",
		"-backend-capacity", "8x300ms,2", "-backend-failure", "0x300ms,100%", "-backend-service", "2ms", "-quiet", "-out", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	read := func(name string) *result.Result {
		r, err := result.ReadFile(filepath.Join(out, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	const spec = "capacity=8x300ms,2;service=2ms;failure=0x300ms,1;dist=uniform"
	limit := read("aimd").Extras["adaptive"]
	if limit["backend"] != spec {
		t.Errorf("the limit ran against %q, want %q", limit["backend"], spec)
	}
	steps, _ := limit["steps"].([]any)
	if len(steps) != 1 || steps[0].(map[string]any)["at_ns"] != 3e8 || steps[0].(map[string]any)["to"] != 2.0 {
		t.Errorf("steps %v, want one drop to 2 at 300ms", steps)
	}
	if tl, _ := limit["timeline"].(map[string]any); tl["bin_ns"] != 5e7 || len(tl["limit"].([]any)) < 12 {
		t.Errorf("timeline %v: want 50 ms bins over the 600 ms window", tl)
	}
	br := read("nobreaker")
	score := br.Extras["breaker"]
	spans, _ := score["spans"].([]any)
	if score["backend"] != spec || len(spans) != 1 || spans[0].(map[string]any)["from_ns"] != 3e8 {
		t.Errorf("breaker scores %v: want the spec and one failing span from 300ms", score)
	}
	// No breaker lets every call through: whatever was admitted while failing
	// is every call the backend failed or that was still in flight at the end.
	if score["shed"] != 0.0 || score["open_after_ns"] != nil {
		t.Errorf("no breaker shed %v and opened after %v; want 0 and never", score["shed"], score["open_after_ns"])
	}
	for _, want := range []string{"aimd against the true capacity: tracking error ", "drop 8→2 at 300ms: ", "nobreaker against the true failure rate: opened never after the failure began"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the summary lacks %q:\n%s", want, stdout)
		}
	}
	if data, _ := json.Marshal(br.Params.Family); !strings.Contains(string(data), `"backend-failure":"0x300ms,100%"`) {
		t.Errorf("the result's family parameters %s do not record -backend-failure", data)
	}
}
