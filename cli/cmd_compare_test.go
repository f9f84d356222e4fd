package cli

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeBench writes `go test -bench` output with count samples per benchmark,
// ns/op around ns.
func writeBench(t *testing.T, seed uint64, count int, ns float64) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	var b strings.Builder
	b.WriteString("goos: linux\ngoarch: amd64\npkg: github.com/syncbench/syncbench\n")
	for range count {
		for _, name := range []string{"BenchmarkLock/impl=mutex-2", "BenchmarkLock/impl=rwmutex-2"} {
			v := ns * (1 + 0.02*rng.NormFloat64())
			fmt.Fprintf(&b, "%s \t 1000000\t %.2f ns/op\n", name, v)
		}
	}
	p := filepath.Join(t.TempDir(), "bench.txt")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCompareExitCodes(t *testing.T) {
	t.Parallel()
	base := writeBench(t, 1, 10, 100)
	// The same samples in another file: the same path twice is refused.
	identical := filepath.Join(t.TempDir(), "copy.txt")
	if data, err := os.ReadFile(base); err != nil || os.WriteFile(identical, data, 0o644) != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		head    string
		args    []string
		code    int
		mention string
	}{
		{"identical samples exit 0", identical, nil, ExitOK, "No regression"},
		{"a rerun of the same code exits 0", writeBench(t, 2, 10, 100), nil, ExitOK, "No regression"},
		{"a 30% slower head exits 3", writeBench(t, 3, 10, 130), nil, ExitCheckFailed, "REGRESSION"},
		{"a 30% slower head under a 50% threshold exits 0", writeBench(t, 3, 10, 130), []string{"-threshold", "50%"}, ExitOK, "No regression"},
		{"few samples warn and exit 0", writeBench(t, 4, 3, 130), nil, ExitOK, "fewer than 6 samples"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := base
			if strings.Contains(tt.name, "few samples") {
				b = writeBench(t, 5, 3, 100)
			}
			out := filepath.Join(t.TempDir(), "cmp.md")
			args := append([]string{"compare", b, tt.head, "-out", out}, tt.args...)
			code, stdout, stderr := runVerb(t, args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s%s", code, tt.code, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.mention) {
				t.Errorf("output lacks %q:\n%s", tt.mention, stdout)
			}
			if md, err := os.ReadFile(out); err != nil || string(md) != stdout {
				t.Errorf("-out file differs from stdout: %v", err)
			}
		})
	}
}

func TestCompareResultDirectoriesExitsThreeOnSlowerLatency(t *testing.T) {
	t.Parallel()
	base, same, slow := t.TempDir(), t.TempDir(), t.TempDir()
	writeCell(t, base, "mutex", 4, 6, 400, 1000)
	writeCell(t, same, "mutex", 4, 6, 400, 1000)
	writeCell(t, slow, "mutex", 4, 6, 400, 1500)
	if code, stdout, _ := runVerb(t, "compare", base, same); code != ExitOK {
		t.Errorf("same results: exit %d\n%s", code, stdout)
	}
	if code, stdout, _ := runVerb(t, "compare", base, slow); code != ExitCheckFailed {
		t.Errorf("50%% slower latency: exit %d\n%s", code, stdout)
	}
}

func TestParseThreshold(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"5%", 0.05, true}, {"2.5%", 0.025, true}, {"0.05", 0.05, true}, {"0", 0, true},
		{"5", 0, false}, {"-1%", 0, false}, {"100%", 0, false}, {"abc", 0, false},
	}
	for _, tt := range tests {
		got, err := parseThreshold(tt.in)
		if (err == nil) != tt.ok || (tt.ok && (got < tt.want-1e-12 || got > tt.want+1e-12)) {
			t.Errorf("parseThreshold(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// writeRounds writes regress.sh-style output: rounds of two benchmarks, each
// preceded by its "round: N" line; slow multiplies mutex's ns/op.
func writeRounds(t *testing.T, seed uint64, rounds int, slow float64) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 9))
	var b strings.Builder
	for r := 1; r <= rounds; r++ {
		fmt.Fprintf(&b, "round: %d\ngoos: linux\npkg: github.com/syncbench/syncbench\n", r)
		for i, name := range []string{"BenchmarkLock/impl=mutex", "BenchmarkLock/impl=rwmutex"} {
			v := 100 * (1 + 0.01*rng.NormFloat64())
			if i == 0 {
				v *= slow
			}
			fmt.Fprintf(&b, "%s \t 1000000\t %.2f ns/op\n", name, v)
		}
	}
	p := filepath.Join(t.TempDir(), "rounds.txt")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCompareUnresolvedAndTarget(t *testing.T) {
	t.Parallel()
	base := writeRounds(t, 1, 12, 1)
	list := filepath.Join(t.TempDir(), "unresolved")
	// 12 pairs of 1.4% noise resolve about 6%: a 1% target leaves both
	// benchmarks unresolved, a 20% one neither.
	code, stdout, stderr := runVerb(t, "compare", base, writeRounds(t, 2, 12, 1), "-target", "1%", "-unresolved", list)
	if code != ExitOK || !strings.Contains(stdout, "INCONCLUSIVE") {
		t.Fatalf("exit %d, want 0 with an INCONCLUSIVE verdict\n%s%s", code, stdout, stderr)
	}
	data, err := os.ReadFile(list)
	if err != nil || string(data) != "BenchmarkLock/impl=mutex\nBenchmarkLock/impl=rwmutex\n" {
		t.Errorf("-unresolved wrote %q (%v)", data, err)
	}
	if code, stdout, _ := runVerb(t, "compare", base, writeRounds(t, 2, 12, 1), "-target", "20%", "-unresolved", list); code != ExitOK || !strings.Contains(stdout, "No regression: no time/op change ≥") {
		t.Errorf("20%% target: exit %d\n%s", code, stdout)
	}
	if data, _ := os.ReadFile(list); len(data) != 0 {
		t.Errorf("-unresolved wrote %q with everything resolved, want an empty file", data)
	}
	if code, stdout, _ := runVerb(t, "compare", base, writeRounds(t, 3, 12, 1.2), "-primary-only"); code != ExitCheckFailed || !strings.Contains(stdout, "REGRESSION: 1 of 2") {
		t.Errorf("20%% slower mutex: exit %d, want 3\n%s", code, stdout)
	}
	for _, bad := range [][]string{{"-target", "0%"}, {"-target", "x"}, {"-primary", "furlongs/op"}} {
		code, _, stderr := runVerb(t, append([]string{"compare", base, base}, bad...)...)
		if code != ExitBadInput || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line", bad, code, stderr)
		}
	}
}
