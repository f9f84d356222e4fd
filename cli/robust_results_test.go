package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEveryVerbRefusesAResultFileThatCannotBeTrue is issue #22's item 8: a
// result file a reader would take the wrong figures from is bad input to
// each verb that reads results, found before anything is written.
func TestEveryVerbRefusesAResultFileThatCannotBeTrue(t *testing.T) {
	good, err := os.ReadFile(oneResult(t))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(good, &doc); err != nil {
		t.Fatal(err)
	}
	edited := func(edit func(doc map[string]any)) []byte {
		var c map[string]any
		json.Unmarshal(good, &c)
		edit(c)
		b, _ := json.Marshal(c)
		return b
	}
	for _, bad := range []struct {
		name string
		data []byte
		want string
	}{
		{"negative counts that add up", edited(func(d map[string]any) {
			c := d["counts"].(map[string]any)
			c["ok"], c["denied"] = c["completed"].(float64)+5, -5.0
		}), "counts.denied is negative (-5)"},
		{"trailing garbage", append(append([]byte{}, good...), "]]"...), "data after its end"},
		{"two concatenated documents", append(append([]byte{}, good...), good...), "a second document"},
		{"a duplicated key", bytes.Replace(good, []byte(`"impl": "noop",`), []byte(`"impl": "noop", "impl": "mutex",`), 1), `key "impl" appears twice`},
		{"an unknown family", edited(func(d map[string]any) { d["family"] = "lcoks" }), `family "lcoks" is not a known family`},
	} {
		for _, verb := range []struct {
			name string
			args []string
		}{
			{"report", []string{"report", "{root}/in", "-out", "{root}/out"}},
			{"export", []string{"export", "-format", "csv", "{root}/in/bad.json"}},
			{"compare", []string{"compare", "{root}/in/bad.json", "{root}/in/good.json"}},
			{"merge", []string{"merge", "{root}/in/bad.json", "{root}/in/good.json", "-out", "{root}/merged.json"}},
		} {
			t.Run(verb.name+" refuses "+bad.name, func(t *testing.T) {
				root := t.TempDir()
				in := filepath.Join(root, "in")
				os.Mkdir(in, 0o755)
				os.WriteFile(filepath.Join(in, "bad.json"), bad.data, 0o644)
				if verb.name != "report" {
					os.WriteFile(filepath.Join(in, "good.json"), good, 0o644)
				}
				expectRefused(t, root, verb.args, bad.want, "")
			})
		}
	}
}

// TestCompareRefusesWhatItCannotCompareAndPrintsNothing is issue #22's item 7.
func TestCompareRefusesWhatItCannotCompareAndPrintsNothing(t *testing.T) {
	const base = "BenchmarkA-2 \t 10\t 100 ns/op\nBenchmarkA-2 \t 10\t 101 ns/op\nBenchmarkA-2 \t 10\t 99 ns/op\n"
	for _, tc := range []struct {
		name, head string
		want       string
	}{
		{"a NaN time", "BenchmarkA-2 \t 10\t 100 ns/op\nBenchmarkA-2 \t 10\t NaN ns/op\n", "head.txt:2: BenchmarkA-2: NaN ns/op is not a measurement"},
		{"an infinite time", "BenchmarkA-2 \t 10\t Inf ns/op\n", "head.txt:1: BenchmarkA-2: +Inf ns/op is not a measurement"},
		{"a zero time", "BenchmarkA-2 \t 10\t 0 ns/op\n", "head.txt:1: BenchmarkA-2: 0 ns/op is not a time a benchmark can take (allowed: > 0)"},
		{"a negative time", "BenchmarkA-2 \t 10\t 100 ns/op\nBenchmarkA-2 \t 10\t -5 ns/op\n", "head.txt:2: BenchmarkA-2: -5 ns/op is not a time"},
		{"negative allocations", "BenchmarkA-2 \t 10\t 100 ns/op\t -1 allocs/op\n", "-1 allocs/op is negative"},
		{"a line too long to read, at its own line", "BenchmarkA-2 \t 10\t 100 ns/op\nBenchmarkB-2 \t 10\t 100 ns/op " + strings.Repeat("x", 2<<20) + "\n",
			"head.txt:2: a line of 2097181 bytes is longer than a benchmark line may be (allowed: up to 65534 bytes)"},
		{"no benchmark in common", "BenchmarkB-2 \t 10\t 100 ns/op\n", "have no metric in common"},
		{"the same file twice", "", "BASE and NEW are the same input"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			os.WriteFile(filepath.Join(root, "base.txt"), []byte(base), 0o644)
			head := "{root}/head.txt"
			if tc.head == "" {
				head = "{root}/base.txt"
			} else {
				os.WriteFile(filepath.Join(root, "head.txt"), []byte(tc.head), 0o644)
			}
			expectRefused(t, root, []string{"compare", "{root}/base.txt", head, "-out", "{root}/cmp.md"}, tc.want, "")
		})
	}
	t.Run("CRLF line endings are read as LF", func(t *testing.T) {
		root := t.TempDir()
		lf, crlf := filepath.Join(root, "lf.txt"), filepath.Join(root, "crlf.txt")
		rounds := "round: 1\n" + base + "round: 2\n" + base
		os.WriteFile(lf, []byte(rounds), 0o644)
		os.WriteFile(crlf, []byte(strings.ReplaceAll(rounds, "\n", "\r\n")), 0o644)
		code, stdout, stderr := runCLI(t, "compare", lf, crlf)
		// Paired by round: "round: 1\r" was read as round 1.
		if code != ExitOK || !strings.Contains(stdout, "| A-2 |") || !strings.Contains(stdout, "2 pairs") {
			t.Fatalf("exit %d, stderr %q, stdout:\n%s", code, stderr, stdout)
		}
	})
}

// TestVerbOutputsAreCheckedBeforeAnythingIsRead is issue #22's item 13 for
// the verbs: an -out that is a directory, or one of the inputs, is bad input
// found first; the tree is unchanged.
func TestVerbOutputsAreCheckedBeforeAnythingIsRead(t *testing.T) {
	good, err := os.ReadFile(oneResult(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"merge into a directory", []string{"merge", "{root}/a.json", "{root}/b.json", "-out", "{root}/d"}, `-out "{root}/d" cannot be written: it is a directory`},
		{"export into a directory", []string{"export", "{root}/a.json", "-o", "{root}/d"}, `-out "{root}/d" cannot be written: it is a directory`},
		{"compare into a directory", []string{"compare", "{root}/a.json", "{root}/b.json", "-out", "{root}/d"}, `-out "{root}/d" cannot be written: it is a directory`},
		{"merge over one of its inputs", []string{"merge", "{root}/a.json", "{root}/b.json", "-out", "{root}/a.json"}, `-out "{root}/a.json" is also an input`},
		{"compare's two outputs in one file", []string{"compare", "{root}/a.json", "{root}/b.json", "-out", "{root}/x", "-unresolved", "{root}/x"}, `-unresolved "{root}/x" is also -out's file`},
		{"a report of a path that does not exist", []string{"report", "{root}/nonexistent"}, `cannot read {root}/nonexistent: no such file or directory`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			os.Mkdir(filepath.Join(root, "d"), 0o755)
			os.WriteFile(filepath.Join(root, "a.json"), good, 0o644)
			os.WriteFile(filepath.Join(root, "b.json"), good, 0o644)
			expectRefused(t, root, tc.args, strings.ReplaceAll(tc.want, "{root}", root), "")
		})
	}
}
