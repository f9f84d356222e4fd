package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

func TestMapsRunOnTheirDefaultFilledKeysAndTheTableSaysHowMany(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "-impl", "map-mutex,mutex", "-concurrency", "2", "-duration", "200ms", "-warmup", "0s", "-quiet", "-out", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m, err := result.ReadFile(filepath.Join(out, "map-mutex.json"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Params.Keys != 1000 || m.ImplStats["entries_filled"] != 1000 {
		t.Errorf("map-mutex ran on %d keys with %v filled, want 1000 and 1000", m.Params.Keys, m.ImplStats["entries_filled"])
	}
	// The fill put every key in and nothing deletes: every store overwrote.
	if m.ImplStats["stores_overwrote"] == 0 || m.ImplStats["stores_inserted"] != 0 {
		t.Errorf("stores %v overwrote, %v inserted: want overwrites only", m.ImplStats["stores_overwrote"], m.ImplStats["stores_inserted"])
	}
	u, err := result.ReadFile(filepath.Join(out, "mutex.json"))
	if err != nil {
		t.Fatal(err)
	}
	if u.Params.Keys != 0 {
		t.Errorf("mutex ran on %d keys, want 0 (an unkeyed lock draws no key)", u.Params.Keys)
	}
	var header, mapRow string
	for l := range strings.SplitSeq(stdout, "\n") {
		f := strings.Fields(l)
		switch {
		case len(f) > 0 && f[0] == "impl":
			header = l
		case len(f) > 0 && f[0] == "map-mutex" && mapRow == "":
			mapRow = l
		}
	}
	if !strings.Contains(header, " keys ") || !strings.Contains(mapRow, " 1000 ") {
		t.Errorf("the table lacks the key count:\n%s\n%s", header, mapRow)
	}
}

func TestAnExplicitKeyCountOverridesTheMapsDefault(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	code, _, stderr := runCLI(t, "-impl", "map-rwmutex", "-keys", "1", "-concurrency", "2", "-duration", "100ms", "-warmup", "0s", "-quiet", "-out", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	m, err := result.ReadFile(filepath.Join(out, "map-rwmutex.json"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Params.Keys != 1 || m.ImplStats["entries_filled"] != 1 {
		t.Errorf("map-rwmutex with -keys 1 ran on %d keys with %v filled, want 1 and 1", m.Params.Keys, m.ImplStats["entries_filled"])
	}
}

func TestTheSummaryShowsKeysOnlyWhenSomeRunHadThem(t *testing.T) {
	t.Parallel()
	keyed := summaryFixture("map-xsync", "locks", "closed")
	keyed.Params.Keys = 1000
	plain := summaryFixture("atomic", "locks", "closed")
	for _, tc := range []struct {
		name    string
		results []*result.Result
		want    []string
		absent  []string
	}{
		{"a keyed run beside an unkeyed one shows both rows' key counts", []*result.Result{keyed, plain}, []string{" keys ", " 1000 ", "atomic"}, nil},
		{"unkeyed runs alone show no keys column", []*result.Result{plain}, nil, []string{" keys "}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := writeMarkdownSummary(&buf, tc.results, nil); err != nil {
				t.Fatal(err)
			}
			text := buf.String()
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("summary lacks %q:\n%s", w, text)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(text, a) {
					t.Errorf("summary has %q:\n%s", a, text)
				}
			}
		})
	}
}
