package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

func TestABadMixIsBadInputNamingTheValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"a misspelled kind", []string{"-mix", "lod=90,store=10"}, []string{`-mix "lod=90,store=10": unknown op kind "lod"`, "allowed: load, store, delete", `did you mean "load"?`}},
		{"a negative weight", []string{"-mix", "load=90,delete=-1"}, []string{"delete weight -1 is not allowed", "allowed: a finite weight ≥ 0"}},
		{"weights of zero", []string{"-mix", "load=0"}, []string{"the weights add up to 0"}},
		{"-mix with -read-ratio", []string{"-mix", "load=1", "-read-ratio", "0.5"}, []string{"-mix and -read-ratio are both given", "allowed: one of them"}},
	}
	for _, tc := range tests {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runCLI(t, append(tc.args, "-impl", "map-mutex", "-out", out)...)
			if code != ExitBadInput {
				t.Fatalf("exit %d, want %d (stderr %q)", code, ExitBadInput, stderr)
			}
			if strings.Count(strings.TrimRight(stderr, "\n"), "\n") != 0 || stdout != "" {
				t.Fatalf("want one stderr line and no stdout: stdout %q stderr %q", stdout, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not contain %q", stderr, w)
				}
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Errorf("bad input left %d files in -out", len(entries))
			}
		})
	}
}

// runMapJSON runs map-xsync briefly with args and returns its result.
func runMapJSON(t *testing.T, args ...string) result.Result {
	t.Helper()
	base := []string{"-impl", "map-xsync", "-duration", "100ms", "-warmup", "20ms", "-concurrency", "2", "-format", "json"}
	code, stdout, stderr := runCLI(t, append(base, args...)...)
	if code != ExitOK {
		t.Fatalf("%v: exit %d: %s", args, code, stderr)
	}
	var results []result.Result
	if err := json.Unmarshal([]byte(stdout), &results); err != nil || len(results) != 1 {
		t.Fatalf("%v: %d results, %v", args, len(results), err)
	}
	return results[0]
}

func TestMixReachesTheRunAndTheResult(t *testing.T) {
	t.Parallel()
	t.Run("-mix is recorded with its load share and the map churns", func(t *testing.T) {
		r := runMapJSON(t, "-mix", "load=90,store=5,delete=5", "-keys", "100")
		if r.Params.Mix != "load=90,store=5,delete=5" || r.Params.ReadRatio != 0.9 {
			t.Errorf("params mix %q, read ratio %v; want load=90,store=5,delete=5 and 0.9", r.Params.Mix, r.Params.ReadRatio)
		}
		if r.ImplStats["deletes_removed"] == 0 || r.ImplStats["entries_filled"] != 100 {
			t.Errorf("impl stats %v: want deletes that removed entries of the 100 filled", r.ImplStats)
		}
	})
	t.Run("a map workload presets its mix and keys", func(t *testing.T) {
		r := runMapJSON(t, "-workload", "map-reads-99")
		if r.Params.Mix != "load=99,store=0.5,delete=0.5" || r.Params.Keys != 1000 {
			t.Errorf("params mix %q, keys %d; want xsync's reads=99%% case over 1000 keys", r.Params.Mix, r.Params.Keys)
		}
	})
	t.Run("an explicit -read-ratio wins over a workload's mix", func(t *testing.T) {
		r := runMapJSON(t, "-workload", "map-reads-99", "-read-ratio", "0.5")
		if r.Params.Mix != "" || r.Params.ReadRatio != 0.5 {
			t.Errorf("params mix %q, read ratio %v; want no mix and 0.5", r.Params.Mix, r.Params.ReadRatio)
		}
	})
	t.Run("a scenario file's load/store/delete weights become the mix", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "churn.yaml")
		os.WriteFile(path, []byte("mix: {load: 3, store: 1, delete: 1}\nkeys: 10\nphases: [{duration: 100ms}]\n"), 0o644)
		r := runMapJSON(t, "-workload", path)
		if r.Params.Mix != "load=3,store=1,delete=1" || r.Params.ReadRatio != 0.6 {
			t.Errorf("params mix %q, read ratio %v; want load=3,store=1,delete=1 and 0.6", r.Params.Mix, r.Params.ReadRatio)
		}
	})
}
