package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

func TestQueueAndSnapshotFlagsAreBadInputWhereTheyDoNotFit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"-consumers for a lock", []string{"-impl", "mutex", "-consumers", "2"}, "-consumers does not apply"},
		{"-producers for a lock", []string{"-impl", "mutex", "-producers", "2"}, "-producers does not apply"},
		{"-producers with -concurrency", []string{"-impl", "queue-chan", "-producers", "2", "-concurrency", "2"}, "are one setting"},
		{"a zero -producers", []string{"-impl", "queue-chan", "-producers", "0"}, `-producers "0"`},
		{"a negative -consumers", []string{"-impl", "queue-chan", "-consumers", "-1"}, "consumers -1 is negative"},
		{"a negative -capacity for a queue", []string{"-impl", "queue-mpmc", "-capacity", "-2"}, "-capacity -2 is not positive (allowed: 1 or more)"},
		{"too many snapshot keys", []string{"-impl", "snap-pointer", "-keys", "100000000"}, "keys 100000000 is"},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			code, stdout, stderr := runCLI(t, append(tc.args, "-duration", "200ms", "-out", out)...)
			if code != ExitBadInput || stdout != "" || strings.Count(strings.TrimRight(stderr, "\n"), "\n") != 0 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d and one line containing %q", code, stdout, stderr, ExitBadInput, tc.want)
			}
			if entries, _ := os.ReadDir(out); len(entries) > 0 {
				t.Fatalf("bad input left %d files in -out", len(entries))
			}
		})
	}
}

func TestAQueueRunRecordsItsProducersConsumersAndCapacity(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	code, _, stderr := runCLI(t, "-impl", "queue-chan", "-producers", "2", "-consumers", "2", "-duration", "300ms", "-warmup", "50ms", "-quiet", "-out", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	r, err := result.ReadFile(filepath.Join(out, "queue-chan.json"))
	if err != nil {
		t.Fatal(err)
	}
	st := r.ImplStats
	// -capacity unset: the queue's own default, not the semaphores' 4.
	if r.Params.Concurrency != 2 || st["producers"] != 2 || st["consumers"] != 2 || st["capacity"] != 1024 {
		t.Fatalf("concurrency %d, stats %v; want 2 producers, 2 consumers, capacity 1024", r.Params.Concurrency, st)
	}
	if _, ok := r.Params.Family["producers"]; ok || r.Params.Family["consumers"] != "2" {
		t.Fatalf("family params %v, want consumers=2 and producers stored as the concurrency only", r.Params.Family)
	}
	for _, sp := range r.Split {
		if sp.Kind != "" && sp.Kind != "enqueue" {
			t.Fatalf("split kind %q, want enqueue", sp.Kind)
		}
	}
}

func TestASnapshotRunSizesItsStateFromKeys(t *testing.T) {
	t.Parallel()
	out := t.TempDir()
	code, _, stderr := runCLI(t, "-impl", "snap-pointer,snap-rwmutex", "-keys", "16", "-mix", "load=99,store=1", "-duration", "300ms", "-warmup", "0s", "-quiet", "-out", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"snap-pointer", "snap-rwmutex"} {
		r, err := result.ReadFile(filepath.Join(out, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if st := r.ImplStats; st["keys"] != 16 || st["torn_reads"] != 0 || st["reloads"] == 0 {
			t.Fatalf("%s stats %v, want 16 keys, reloads and no torn read", name, st)
		}
	}
}
