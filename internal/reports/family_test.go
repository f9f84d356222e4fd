package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

// runtimeOf is a runtime extras group: wall time and CPU (for process cores)
// and the target's bytes per op (for bytes per reload).
func runtimeOf(wallNs, cpuNs, allocBytesPerOp float64) map[string]map[string]any {
	return map[string]map[string]any{result.RuntimeExtrasKey: {
		"wall_ns": wallNs, "cpu_user_ns": cpuNs * 3 / 4, "cpu_sys_ns": cpuNs / 4, "alloc_bytes_per_op": allocBytesPerOp,
	}}
}

func TestTheQueueAndSnapshotSectionsShowTheirFigures(t *testing.T) {
	t.Parallel()
	var results []*result.Result
	for i, q := range []struct {
		impl  string
		stats map[string]float64
		cores float64
	}{
		{"queue-chan", map[string]float64{"dequeued_per_s": 10, "queue_time_p50_ns": 40e3, "queue_time_p99_ns": 300e3, "consumer_blocked_pct": 99.9, "producer_blocked_pct": 0, "consumers": 1, "capacity": 1024, "waits_by_polling": 0}, 0.003},
		{"queue-mpmc", map[string]float64{"dequeued_per_s": 10, "queue_time_p50_ns": 20e3, "consumer_blocked_pct": 99.9, "consumers": 1, "capacity": 1024, "waits_by_polling": 1}, 0.95},
		{"queue-umpsc", map[string]float64{"dequeued_per_s": 10, "consumers": 1, "unbounded": 1, "waits_by_polling": 0}, 0.004},
	} {
		results = append(results, makeCell(t, fixture{impl: q.impl, family: "queues", rate: 10, conc: 4, ops: 10, baseNs: 20e3, seed: uint64(i),
			stats: q.stats, extras: runtimeOf(1e9, q.cores*1e9, 0)}, 1)...)
	}
	// 1000 ops, one write in 100: 10 reloads; the copy-on-write store
	// allocates 1056 B per reload, 10.56 B per op.
	for i, impl := range []string{"snap-pointer", "snap-rwmutex"} {
		for _, procs := range []int{1, 2} {
			perOp := map[string]float64{"snap-pointer": 10.56}[impl]
			copies := map[string]float64{"snap-pointer": 1}[impl]
			results = append(results, makeCell(t, fixture{impl: impl, family: "snapshots", conc: 4, procs: procs, ops: 1000, writeEvery: 100, baseNs: float64(50 * (i + procs)), seed: uint64(10 + i),
				stats: map[string]float64{"state_bytes": 1056, "copies_on_reload": copies}, extras: runtimeOf(1e9, 2e9, perOp)}, 2)...)
		}
	}
	dir := t.TempDir()
	if err := WriteReport(dir, results, ReportOptions{MaxTimelines: 2}); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(dir, ReportFile))
	if err != nil {
		t.Fatal(err)
	}
	text := string(md)
	row := func(table, impl string) string {
		i := strings.Index(text, "**"+table)
		if i < 0 {
			t.Fatalf("report.md has no table %q:\n%s", table, text)
		}
		for line := range strings.SplitSeq(text[i:], "\n") {
			if strings.HasPrefix(line, "| `"+impl+"` |") {
				return line
			}
		}
		t.Fatalf("table %q has no row for %s", table, impl)
		return ""
	}
	for impl, want := range map[string][]string{
		"queue-chan":  {"| 10 |", "40.0µs", "300µs", "99.9%", "0.00300", "| 1024 | parks |"},
		"queue-mpmc":  {"0.950", "| polls |"},
		"queue-umpsc": {"| unbounded | parks |"},
	} {
		r := row("Queues: items, waits and CPU", impl)
		for _, w := range want {
			if !strings.Contains(r, w) {
				t.Errorf("%s row %q lacks %q", impl, r, w)
			}
		}
	}
	// 990 reads and 10 reloads a second; the pointer store's allocation,
	// 10.56 B/op over 1000 ops, is 1056 B per reload: 1.03KiB.
	if r := row("Snapshots: reads, reloads and their allocations", "snap-pointer"); !strings.Contains(r, "| 990 |") || !strings.Contains(r, "| 10 |") || !strings.Contains(r, "| 1.03KiB | 1.03KiB | copies |") {
		t.Errorf("snap-pointer row %q: want 990 reads/s, 10 reloads/s, 1.03KiB per reload and a copy", r)
	}
	if r := row("Snapshots: reads, reloads and their allocations", "snap-rwmutex"); !strings.Contains(r, "| 0B | 1.03KiB | in place |") {
		t.Errorf("snap-rwmutex row %q: want nothing allocated per reload, in place", r)
	}
	for _, f := range []string{"plots/queue-cpu-mixed-open-rps-10-conc-4.png", "plots/snapshot-read-scaling.png", "plots/snapshot-read-scaling.svg"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty: %v (report:\n%s)", f, err, text)
		}
	}
	if strings.Contains(text, "could not be drawn") {
		t.Errorf("a plot failed:\n%s", text)
	}
}
