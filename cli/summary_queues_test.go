package cli

import (
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

func TestAQueueNoteSaysWhoWaitedAndWhatTheProcessBurnt(t *testing.T) {
	t.Parallel()
	r := &result.Result{Impl: "queue-mpmc", Family: "queues", DurationNs: 1e9,
		ImplStats: map[string]float64{"dequeued_per_s": 10, "consumers": 1, "capacity": 1024, "waits_by_polling": 1,
			"queue_time_samples": 10, "queue_time_p50_ns": 21e3, "queue_time_p99_ns": 281e3, "producer_blocked_pct": 0, "consumer_blocked_pct": 99.9},
		Extras: map[string]map[string]any{result.RuntimeExtrasKey: {"wall_ns": 2e9, "cpu_user_ns": 1.5e9, "cpu_sys_ns": 0.4e9}},
	}
	note := queueNote(r)
	for _, want := range []string{"queue-mpmc queue: 10 items/s through 1 consumer (capacity 1024, waits by polling)", "p50 21.0µs p99 281µs (10 sampled items)",
		"producers blocked 0% of their time, consumers 99.9%", "process CPU 0.950 cores"} {
		if !strings.Contains(note, want) {
			t.Errorf("note %q lacks %q", note, want)
		}
	}
	delete(r.ImplStats, "consumer_blocked_pct")
	if note := queueNote(r); !strings.Contains(note, "consumers not measured") {
		t.Errorf("note %q: a queue that cannot try must say its consumers' wait was not measured", note)
	}
	if note := queueNote(&result.Result{Impl: "mutex", Family: "locks", ImplStats: map[string]float64{"x": 1}}); note != "" {
		t.Errorf("a lock got a queue note: %q", note)
	}
}

func TestASnapshotNoteReadsTheSplitsAndTheReloadsAllocation(t *testing.T) {
	t.Parallel()
	r := &result.Result{Impl: "snap-pointer", Family: "snapshots", DurationNs: 2e9, Counts: result.Counts{Completed: 2000},
		Split: []result.Split{
			{Kind: "read", Count: 1980, Latency: result.Latencies{Response: result.LatencySummary{P99: 80}}},
			{Kind: "write", Count: 20, Latency: result.Latencies{Response: result.LatencySummary{P99: 2500}}},
		},
		ImplStats: map[string]float64{"copies_on_reload": 1, "state_bytes": 1056, "reads": 1980, "torn_reads": 0, "stale_reads": 0},
		Extras:    map[string]map[string]any{result.RuntimeExtrasKey: {"alloc_bytes_per_op": 10.56}},
	}
	note := snapshotNote(r)
	for _, want := range []string{"snap-pointer snapshot: reads 990/s p99 80ns; reloads 10/s p99 2.50µs", "1.03KiB allocated per reload (it copies the state, 1.03KiB)", "0 torn and 0 stale reads in 1980"} {
		if !strings.Contains(note, want) {
			t.Errorf("note %q lacks %q", note, want)
		}
	}
}
