package workloads

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// exampleFiles returns the repository's example scenarios.
func exampleFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "examples", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no example scenarios found: %v", err)
	}
	return files
}

func TestExamplesParse(t *testing.T) {
	for _, f := range exampleFiles(t) {
		t.Run(filepath.Base(f)+" parses and is short enough for CI", func(t *testing.T) {
			s, err := LoadScenario(f)
			if err != nil {
				t.Fatal(err)
			}
			if s.Description == "" {
				t.Error("no description")
			}
			total := s.Duration()
			if s.Warmup != nil {
				total += *s.Warmup
			}
			if total > 2*time.Second {
				t.Errorf("runs %v with warm-up, want at most 2s", total)
			}
			for _, ph := range s.Phases {
				if !ph.Open() {
					continue
				}
				if _, err := ParseArrival(ph.Arrival, ph.ArrivalParams(1)); err != nil {
					t.Errorf("phase %s: %v", ph.Name, err)
				}
			}
		})
	}
}

func TestParseScenario(t *testing.T) {
	const full = `
description: everything set
impl: [mutex, rwmutex]
seed: 42
warmup: 250ms
mix: {read: 3, write: 1}
keys: 128
zipf: 1.2
work: 1us
hold: 0
think: 2ms
params:
  limit: 1500.5
  burst: 10
  window: 1s
  mode: wait
  capacity: 8
  weights: [1, 2, 4]
  timeout: 5ms
  key-ttl: 1m
  shared-ratio: 0.25
thresholds: ["p99<2ms", "error_rate<1%"]
phases:
  - name: warm
    concurrency: 4
    duration: 1s
  - rate: 500
    duration: 2s
  - arrival: ramp
    ramp-from: 10
    ramp-to: 1000
    duration: 3s
  - arrival: step
    stages: 100x1s,200x2s
  - arrival: replay
    replay: offsets.txt
    duration: 1s
`
	s, err := ParseScenario(filepath.Join("dir", "full.yaml"), []byte(full))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"impl lists join with commas", s.Impl == "mutex,rwmutex"},
		{"seed is read", *s.Seed == 42},
		{"warmup is a duration", *s.Warmup == 250*time.Millisecond},
		{"mix weights become a read ratio", *s.ReadRatio == 0.75},
		{"keys and zipf are read", *s.Keys == 128 && *s.Zipf == 1.2},
		{"a bare 0 is a zero duration", s.Hold != nil && *s.Hold == 0},
		{"work and think are read", *s.Work == time.Microsecond && *s.Think == 2*time.Millisecond},
		{"family params are read", *s.Params.Limit == 1500.5 && *s.Params.Burst == 10 && *s.Params.Window == time.Second &&
			s.Params.Mode == "wait" && *s.Params.Capacity == 8 && len(s.Params.Weights) == 3 && *s.Params.Timeout == 5*time.Millisecond &&
			*s.Params.KeyTTL == time.Minute && *s.Params.SharedRatio == 0.25},
		{"family params render as flags", s.Params.Flags()["weights"] == "1,2,4" && s.Params.Flags()["key-ttl"] == "1m0s"},
		{"thresholds are parsed", len(s.Thresholds) == 2 && s.Thresholds[0].String() == "p99<2ms"},
		{"a phase without rate is a closed loop", !s.Phases[0].Open() && s.Phases[0].Concurrency == 4},
		{"unnamed phases are numbered", s.Phases[1].Name == "phase 2"},
		{"a rate without arrival is constant", s.Phases[1].Arrival == ArrivalConstant && s.Phases[1].Rate == 500},
		{"ramp keys are read", s.Phases[2].Shape.RampFrom == 10 && s.Phases[2].Shape.RampTo == 1000},
		{"a step phase lasts its stages", s.Phases[3].Duration == 3*time.Second},
		{"replay paths are relative to the file", s.Phases[4].Shape.ReplayFile == filepath.Join("dir", "offsets.txt")},
		{"the scenario lasts its phases", s.Duration() == 10*time.Second},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if !c.ok {
				t.Errorf("not so in %+v", s)
			}
		})
	}
	t.Run("a phase's arrival params carry rate, seed and duration", func(t *testing.T) {
		p := s.Phases[2].ArrivalParams(9)
		if p.Seed != 9 || p.Duration != 3*time.Second || p.RampTo != 1000 {
			t.Errorf("got %+v", p)
		}
	})
}

func TestParseScenarioRejects(t *testing.T) {
	const phase = "phases:\n  - duration: 1s\n"
	cases := []struct {
		what      string
		yaml      string
		line, col int
		msg       string
	}{
		{"an empty file", "", 1, 1, "empty scenario"},
		{"a file of comments", "# nothing\n", 1, 1, "empty scenario"},
		{"broken YAML", "phases:\n  - duration: 1s\n bad: [\n", 2, 1, "not valid YAML"},
		{"two documents", phase + "---\n" + phase, 3, 1, "second YAML document"},
		{"a list at the top", "- 1\n", 1, 1, "the scenario is a list (allowed: a mapping of description"},
		{"an unknown top-level key", "descriptoin: x\n" + phase, 1, 1, `unknown key "descriptoin" in the scenario; did you mean description? (allowed: description, impl`},
		{"a repeated key", "seed: 1\nseed: 2\n" + phase, 2, 1, `repeats key "seed"`},
		{"no phases", "seed: 1\n", 1, 1, "has no phases"},
		{"an empty phase list", "phases: []\n", 1, 9, "phases is empty"},
		{"phases as a mapping", "phases: {duration: 1s}\n", 1, 9, "phases is a mapping (allowed: a list of phases)"},
		{"a seed that is text", "seed: abc\n" + phase, 1, 7, `seed is "abc" (allowed: a whole number)`},
		{"a fractional seed", "seed: 1.5\n" + phase, 1, 7, "whole number"},
		{"a negative warmup", "warmup: -1s\n" + phase, 1, 9, "warmup -1s is negative"},
		{"a duration without a unit", "work: 5\n" + phase, 1, 7, `work is "5" (allowed: a Go duration with a unit`},
		{"a read ratio above 1", "mix: 1.5\n" + phase, 1, 6, "mix 1.5 is outside [0, 1]"},
		{"a negative read ratio", "mix: -0.1\n" + phase, 1, 6, "outside [0, 1]"},
		{"a mix that is text", "mix: mostly reads\n" + phase, 1, 6, `mix is "mostly reads" (allowed: a finite number)`},
		{"an unknown mix key", "mix: {read: 1, insert: 1}\n" + phase, 1, 16, `unknown key "insert" in mix (allowed: read, write, load, store, delete)`},
		{"a kind named twice", "mix: {read: 1, load: 1}\n" + phase, 1, 16, "mix gives read and load, which are the same kind"},
		{"mix weights of zero", "mix: {read: 0, write: 0}\n" + phase, 1, 6, "add up to 0"},
		{"a negative mix weight", "mix: {read: -1, write: 2}\n" + phase, 1, 13, "mix.read -1 is negative"},
		{"zero keys", "keys: 0\n" + phase, 1, 7, "keys 0 is out of range"},
		{"a zipf of at most 1", "zipf: 0.8\n" + phase, 1, 7, "a Zipf skew needs s > 1"},
		{"a NaN zipf", "zipf: .nan\n" + phase, 1, 7, "finite number"},
		{"an unknown param", "params: {limt: 5}\n" + phase, 1, 10, `unknown key "limt" in params; did you mean limit?`},
		{"a zero limit", "params: {limit: 0}\n" + phase, 1, 17, "limit 0 is not positive"},
		{"an unknown mode", "params: {mode: fast}\n" + phase, 1, 16, `mode "fast" is unknown (allowed: allow, wait, acquire, try)`},
		{"a zero weight", "params: {weights: [1, 0]}\n" + phase, 1, 23, "weight 0 is not positive"},
		{"a zero window", "params: {window: 0s}\n" + phase, 1, 18, "window 0s is not positive"},
		{"a shared ratio above 1", "params: {shared-ratio: 2}\n" + phase, 1, 24, "shared-ratio 2 is outside [0, 1]"},
		{"a bad threshold", "thresholds: [\"p99<2ms\", \"p101<1ms\"]\n" + phase, 1, 25, `bad threshold "p101<1ms": unknown metric "p101"`},
		{"thresholds as one string", "thresholds: p99<2ms\n" + phase, 1, 13, "thresholds is \"p99<2ms\" (allowed: a list"},
		{"a phase without duration", "phases:\n  - concurrency: 2\n", 2, 5, `phase "phase 1" has no duration`},
		{"an unknown phase key", "phases:\n  - duration: 1s\n    rps: 5\n", 3, 5, `unknown key "rps" in phase 1`},
		{"a negative rate", "phases:\n  - rate: -5\n    duration: 1s\n", 2, 11, "rate -5 is negative"},
		{"a zero rate in a rate phase", "phases:\n  - arrival: poisson\n    rate: 0\n    duration: 1s\n", 3, 11, "arrival poisson needs rate > 0"},
		{"a rate phase without a rate", "phases:\n  - arrival: burst\n    duration: 1s\n", 2, 14, "arrival burst needs rate > 0"},
		{"a rate in a closed phase", "phases:\n  - arrival: closed\n    rate: 5\n    duration: 1s\n", 3, 11, "closed-loop phase"},
		{"a zero rate without arrival", "phases:\n  - rate: 0\n    duration: 1s\n", 2, 11, "rate 0 in a closed-loop phase"},
		{"an unknown arrival", "phases:\n  - arrival: poison\n    rate: 5\n    duration: 1s\n", 2, 14, `unknown arrival "poison"; did you mean poisson?`},
		{"a shape key of another arrival", "phases:\n  - arrival: poisson\n    rate: 5\n    burst-on: 1s\n    duration: 1s\n", 4, 15, "burst-on applies only to arrival burst, not to arrival poisson"},
		{"a shape key in a closed phase", "phases:\n  - duration: 1s\n    stages: 1x1s\n", 3, 13, "stages applies only to arrival step, not to a closed-loop phase"},
		{"a rate on a step phase", "phases:\n  - arrival: step\n    rate: 5\n    stages: 1x1s\n", 3, 11, "rate does not apply to arrival step"},
		{"a bad stage", "phases:\n  - arrival: step\n    stages: [1x1s, 2xsoon]\n", 3, 20, `stages: stage 2 "2xsoon"`},
		{"a sine deeper than its mean", "phases:\n  - arrival: sine\n    rate: 10\n    amplitude: 20\n    duration: 1s\n", 4, 16, "amplitude 20 is above rate 10"},
		{"a ramp with nothing to ramp to", "phases:\n  - arrival: ramp\n    duration: 1s\n", 2, 14, "arrival ramp needs ramp-to or rate > 0"},
		{"a zero concurrency", "phases:\n  - concurrency: 0\n    duration: 1s\n", 2, 18, "concurrency 0 is out of range"},
		{"a zero duration", "phases:\n  - duration: 0s\n", 2, 15, "duration 0s is not positive"},
		{"a name that is a number", "phases:\n  - name: 5\n    duration: 1s\n", 2, 11, `name is "5" (allowed: a string; quote it`},
		{"a phase that is a scalar", "phases:\n  - fast\n", 2, 5, `phase 1 is "fast" (allowed: a mapping`},
		{"an empty impl", "impl: ''\n" + phase, 1, 7, "impl is empty"},
	}
	for _, c := range cases {
		t.Run("rejects "+c.what, func(t *testing.T) {
			_, err := ParseScenario("bad.yaml", []byte(c.yaml))
			var se *ScenarioError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *ScenarioError", err)
			}
			if se.Line != c.line || se.Column != c.col || !strings.Contains(se.Msg, c.msg) {
				t.Errorf("got %v\nwant bad.yaml:%d:%d: …%s…", err, c.line, c.col, c.msg)
			}
			if !strings.HasPrefix(err.Error(), "bad.yaml:") {
				t.Errorf("message %q does not start with the file name", err)
			}
		})
	}
	t.Run("rejects a missing file with its name", func(t *testing.T) {
		_, err := LoadScenario(filepath.Join(t.TempDir(), "nope.yaml"))
		if err == nil || !strings.Contains(err.Error(), "nope.yaml:1:1: cannot read scenario") {
			t.Errorf("error %v", err)
		}
	})
}

func TestLoadScenarioResolvesReplayBesideTheFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "offsets.txt"), []byte("0\n1ms\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(path, []byte("phases:\n  - arrival: replay\n    replay: offsets.txt\n    duration: 1s\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := LoadScenario(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseArrival(s.Phases[0].Arrival, s.Phases[0].ArrivalParams(1)); err != nil {
		t.Errorf("the replay file beside the scenario does not load: %v", err)
	}
}
