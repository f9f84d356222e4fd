package cli

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBadInputIsRefusedBeforeAnythingIsCreated is issue #11's table: each bad
// input exits 2 with exactly one stderr line, before any load, floor
// measurement or file. Each case runs in a fresh directory (root) with -out
// root/out; afterwards root must hold exactly what the case put there itself.
func TestBadInputIsRefusedBeforeAnythingIsCreated(t *testing.T) {
	t.Parallel()
	type setup func(t *testing.T, root string) []string // extra args
	none := func(*testing.T, string) []string { return nil }
	write := func(name, text string) setup {
		return func(t *testing.T, root string) []string {
			if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			return nil
		}
	}
	tests := []struct {
		name  string
		args  []string
		setup setup
		want  string // substring of the one stderr line
		not   string // must not appear in it (file content, a doubled name)
	}{
		// Crashes and hangs (items 1-5).
		{"-cpu beyond the thread limit", []string{"-cpu", "100000"}, none, "-cpu 100000 is too large (allowed: 1 to 1024", ""},
		{"-cpu in a list", []string{"-cpu", "1,2,4096"}, none, "-cpu 4096 is too large", ""},
		{"-concurrency beyond a million", []string{"-concurrency", "100000000"}, none, "-concurrency 100000000 is out of range (allowed: 1 to 1048576", ""},
		{"-rps beyond one op per ns", []string{"-rps", "1e15", "-duration", "200ms"}, none, "-rps 1e+15 is not a usable rate (allowed: 0 for a closed loop, or > 0 up to 1e+09", ""},
		{"-rps Inf", []string{"-rps", "Inf"}, none, `-rps "Inf" is not valid`, ""},
		{"-rps NaN", []string{"-rps", "NaN"}, none, `-rps "NaN" is not valid`, ""},
		{"-zipf Inf", []string{"-zipf", "Inf", "-keys", "10"}, none, "-zipf +Inf is not valid (allowed: 0 for uniform, or a finite exponent > 1)", ""},
		{"-zipf NaN", []string{"-zipf", "NaN", "-keys", "10"}, none, "-zipf NaN is not valid", ""},
		{"-zipf NaN with one key", []string{"-zipf", "NaN"}, none, "-zipf NaN is not valid", ""},
		{"-zipf at 1", []string{"-zipf", "1", "-keys", "10"}, none, "-zipf 1 is not valid", ""},
		{"-interval 1us", []string{"-interval", "1us"}, none, "-interval 1µs is too short (allowed: 10ms or more", ""},
		{"-interval 100us", []string{"-interval", "100us"}, none, "-interval 100µs is too short", ""},
		{"-read-ratio NaN", []string{"-read-ratio", "NaN"}, none, "-read-ratio NaN is outside [0,1]", ""},
		{"-shared-ratio NaN", []string{"-impl", "flock", "-shared-ratio", "NaN"}, none, "-shared-ratio NaN is outside [0,1]", ""},
		{"-limit NaN", []string{"-impl", "tokenbucket", "-limit", "NaN"}, none, "-limit NaN", ""},
		{"-limit Inf", []string{"-impl", "tokenbucket", "-limit", "Inf"}, none, "limit +Inf events/s is out of range (allowed: > 0 up to 1e+09", "tokenbucket: tokenbucket:"},
		{"-limit 2e12, one message with the name once", []string{"-impl", "tokenbucket", "-limit", "2e12"}, none, "tokenbucket: limit 2e+12 events/s is out of range (allowed: > 0 up to 1e+09 events/s", "tokenbucket: tokenbucket:"},
		{"-ramp-to NaN", []string{"-rps", "100", "-arrival", "ramp", "-ramp-to", "NaN"}, none, "NaN", ""},
		{"-amplitude Inf", []string{"-rps", "100", "-arrival", "sine", "-amplitude", "Inf"}, none, "Inf", ""},
		{"a scenario concurrency beyond a million", []string{"-workload", "{root}/big.yaml"},
			write("big.yaml", "phases:\n  - duration: 1s\n    concurrency: 2000000\n"), "concurrency 2000000 is out of range (allowed: 1 to 1048576", ""},
		{"a scenario rate beyond one op per ns", []string{"-workload", "{root}/fast.yaml"},
			write("fast.yaml", "phases:\n  - duration: 1s\n    rate: 1e15\n"), "1e+15", ""},

		// Found late, or leaving things behind (items 6-8).
		{"an unreachable -redis", []string{"-impl", "redis-gcra", "-redis", "127.0.0.1:1"}, none, "redis-gcra: ", "redis-gcra: redis-gcra:"},
		{"a lock file in a missing directory", []string{"-impl", "flock", "-lockfile", "/nonexistent/dir/lock"}, none, "flock: ", "flock: flock:"},
		{"a capacity of 2^63-1", []string{"-impl", "fifo", "-capacity", "9223372036854775807"}, none, "fifo: ", "fifo: fifo:"},
		{"a burst of 2^31", []string{"-impl", "tokenbucket", "-burst", "2147483648"}, none, "tokenbucket: burst 2147483648", "tokenbucket: tokenbucket:"},
		{"a -fleet on an unreachable -redis", []string{"-impl", "mutex", "-fleet", "team:2", "-redis", "127.0.0.1:1", "-stream", "{root}/out/s.jsonl"}, none, "-fleet", ""},
		{"a -cpuprofile in a missing directory", []string{"-cpuprofile", "/nonexistent/dir/cpu.out"}, none, `-cpuprofile "/nonexistent/dir/cpu.out" cannot be written`, ""},
		{"a -trace in a missing directory", []string{"-trace", "/nonexistent/dir/trace.out"}, none, `-trace "/nonexistent/dir/trace.out" cannot be written`, ""},
		{"a -stream in a missing directory", []string{"-stream", "/nonexistent/dir/s.jsonl"}, none, `-stream "/nonexistent/dir/s.jsonl" cannot be written`, ""},
		{"a scenario replaying /etc/passwd", []string{"-workload", "{root}/replay.yaml"},
			write("replay.yaml", "phases:\n  - arrival: replay\n    replay: /etc/passwd\n    duration: 1s\n"), "/etc/passwd:1: not a Go duration or a number of seconds", "root:"},
		{"a scenario replaying a missing file", []string{"-workload", "{root}/gone.yaml"},
			write("gone.yaml", "phases:\n  - arrival: replay\n    replay: gone.txt\n    duration: 1s\n"), "gone.txt", ""},
		{"-weights above -capacity", []string{"-impl", "fifo", "-weights", "8", "-capacity", "4"}, none, "-weights 8 holds 8, above -capacity 4", ""},
		{"a limiter threshold on a lock", []string{"-impl", "mutex", "-threshold", "admitted_rate_error<2%"}, none, "-threshold admitted_rate_error<2% applies only to rate limiters, not to mutex", ""},
		{"a lag threshold on a closed loop", []string{"-impl", "mutex", "-threshold", "lag_p99<1ms"}, none, "-threshold lag_p99<1ms needs an open loop", ""},
		{"-find-max of a limiter metric on a lock", []string{"-impl", "mutex", "-find-max", "admitted_rate_error<2%"}, none, "-find-max admitted_rate_error<2% applies only to rate limiters", ""},
		{"-procs with -find-max", []string{"-impl", "flock", "-procs", "2", "-find-max", "p99<1ms"}, none, "-find-max runs its probes in this process: it does not combine with -procs 2", ""},

		// Data and cleanliness (items 14, 17).
		{"a plots symlink in -out", []string{"-impl", "noop", "-duration", "100ms"}, func(t *testing.T, root string) []string {
			out := filepath.Join(root, "out")
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(t.TempDir(), filepath.Join(out, "plots")); err != nil {
				t.Fatal(err)
			}
			return nil
		}, "plots is a symbolic link", ""},
		{"an -out holding an earlier run", []string{"-impl", "noop", "-duration", "100ms"}, func(t *testing.T, root string) []string {
			out := filepath.Join(root, "out")
			if err := os.MkdirAll(out, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(out, "mutex.json"), []byte("{}"), 0o644); err != nil {
				t.Fatal(err)
			}
			return nil
		}, "already holds results of an earlier run (mutex.json): use a new directory, or -force", ""},

		// Earlier bad inputs, which must stay refused the same way.
		{"an unknown impl", []string{"-impl", "mutx"}, none, "did you mean mutex", ""},
		{"a zero duration", []string{"-duration", "0s"}, none, "-duration 0s is not positive", ""},
		{"a negative warm-up", []string{"-warmup", "-1s"}, none, "-warmup -1s is negative", ""},
		{"a zero count", []string{"-count", "0"}, none, "-count 0 is not positive", ""},
		{"zero procs", []string{"-procs", "0"}, none, "-procs 0 is not positive", ""},
		{"a negative key count", []string{"-keys", "-1"}, none, "-keys -1 is negative", ""},
		{"a closed loop in a rate sweep", []string{"-rps", "100,0"}, none, "mixes a closed loop", ""},
		{"a zero capacity", []string{"-impl", "fifo", "-capacity", "0"}, none, "-capacity 0 is not positive", ""},
		{"an unknown mode", []string{"-impl", "fifo", "-mode", "grab"}, none, `-mode "grab" does not apply`, ""},
		{"a bad threshold", []string{"-threshold", "p99<<1ms"}, none, "bad threshold", ""},
		{"a missing scenario file", []string{"-workload", "{root}/none.yaml"}, none, "none.yaml", ""},
		{"an unknown workload", []string{"-workload", "heavy"}, none, `-workload "heavy" is not a built-in workload`, ""},
		{"a stray argument", []string{"mutex.json", "-impl", "mutex"}, none, `unknown command "mutex.json"`, ""},
		{"-mix with -read-ratio", []string{"-mix", "load=1", "-read-ratio", "0.5"}, none, "-mix and -read-ratio are both given", ""},
		{"bad -percentiles", []string{"-percentiles", "101"}, none, "-percentiles", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			tc.setup(t, root)
			expectRefused(t, root, append(tc.args, "-out", "{root}/out"), tc.want, tc.not)
		})
	}
}

// expectRefused runs loadgen with args ({root} replaced by root) and checks
// the bad-input contract: exit 2, exactly one stderr line containing want (and
// not containing not, when set), nothing on stdout, and root exactly as it
// was: no path added or removed, every file byte-for-byte unchanged.
func expectRefused(t *testing.T, root string, args []string, want, not string) {
	t.Helper()
	before := listTree(t, root)
	expanded := make([]string, len(args))
	for i, a := range args {
		expanded[i] = strings.ReplaceAll(a, "{root}", root)
	}
	code, stdout, stderr := runCLI(t, expanded...)
	if code != ExitBadInput {
		t.Fatalf("exit %d, want %d (stderr %q)", code, ExitBadInput, stderr)
	}
	if lines := strings.Count(strings.TrimRight(stderr, "\n"), "\n") + 1; lines != 1 || !strings.Contains(stderr, want) {
		t.Fatalf("stderr = %q, want one line containing %q", stderr, want)
	}
	if not != "" && strings.Contains(stderr, not) {
		t.Fatalf("stderr = %q, must not contain %q", stderr, not)
	}
	if stdout != "" {
		t.Fatalf("bad input printed to stdout: %q", stdout)
	}
	if after := listTree(t, root); after != before {
		t.Fatalf("bad input changed the directory:\nbefore %s\nafter  %s", before, after)
	}
}

// listTree lists every path under root with what it holds, for before/after
// comparisons: a regular file's content digest (a file that existed must be
// byte-for-byte unchanged, not merely present), or the kind of anything else.
func listTree(t *testing.T, root string) string {
	t.Helper()
	var entries []string
	err := filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		switch mode := info.Mode(); {
		case mode.IsRegular():
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			rel += fmt.Sprintf("=%x", sha256.Sum256(data))
		case !mode.IsDir():
			rel += "=" + mode.Type().String()
		}
		entries = append(entries, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(entries, " ")
}
