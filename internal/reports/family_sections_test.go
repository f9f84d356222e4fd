package reports

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

// poolRun is a pool result at one GOGC with the figures the pools section
// reads.
func poolRun(t *testing.T, impl, gogc string, base float64, reused, allocs, cycles, heapGoal float64) *result.Result {
	t.Helper()
	r := makeResult(t, fixture{impl: impl, family: "pools", conc: 4, procs: 2, ops: 2000, baseNs: base,
		extras: map[string]map[string]any{result.RuntimeExtrasKey: {
			"allocs_per_op": allocs, "alloc_bytes_per_op": 4096 * allocs, "gc_cycles": cycles,
			"gc_pause_total_ns": 1e5 * cycles, "heap_inuse_bytes": 9 << 20, "heap_goal_bytes": heapGoal,
		}},
		stats: map[string]float64{"gets": 2000, "new_objects": 2000 * (1 - reused/100), "reused_pct": reused},
	})
	r.Params.GOGC = gogc
	return r
}

func TestThePoolsSectionTabulatesEachObjectsCostAndPlotsTheGOGCSweep(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	results := []*result.Result{
		poolRun(t, "alloc", "400", 800, 0, 1, 9, 289<<20),
		poolRun(t, "syncpool", "50", 60, 100, 0, 0, 10<<20),
		poolRun(t, "alloc", "50", 900, 0, 1, 197, 22<<20),
		poolRun(t, "syncpool", "400", 60, 100, 0, 1, 35<<20),
	}
	if err := WriteReport(dir, results, ReportOptions{Formats: []string{"svg"}}); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, ReportFile))
	md := string(raw)
	i := strings.Index(md, "**Pools: what each op's object cost")
	if i < 0 {
		t.Fatalf("no pools table:\n%s", md)
	}
	table := md[i:]
	// GOGC 50 sorts before 400 (by value, not as text), and each row holds
	// its reuse, allocations, cycles and heap goal.
	a50 := strings.Index(table, "| `alloc` | mixed closed conc=4 gomaxprocs=2 gogc=50 |")
	a400 := strings.Index(table, "| `alloc` | mixed closed conc=4 gomaxprocs=2 gogc=400 |")
	if a50 < 0 || a400 < 0 || a50 > a400 {
		t.Fatalf("the rows are missing or out of GOGC order:\n%s", table)
	}
	row := table[a50 : a50+strings.Index(table[a50:], "\n")]
	for _, want := range []string{"| 0% |", "| 1 |", "| 4.00KiB |", "| 197 |", "| 9.00MiB |", "| 22.0MiB |"} {
		if !strings.Contains(row, want) {
			t.Errorf("alloc's GOGC 50 row lacks %q: %s", want, row)
		}
	}
	if !strings.Contains(md, "![What GOGC does to each pool — pools](plots/pools-gogc.svg)") {
		t.Errorf("no GOGC figure in the report")
	}
	if _, err := os.Stat(filepath.Join(dir, PlotsSubdir, "pools-gogc.svg")); err != nil {
		t.Error(err)
	}
}

func TestThePoolsSectionDrawsNoGOGCFigureWithoutASweep(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	results := []*result.Result{poolRun(t, "alloc", "", 800, 0, 1, 9, 1<<20), poolRun(t, "chanpool", "", 80, 100, 0, 0, 1<<20)}
	if err := WriteReport(dir, results, ReportOptions{NoPlots: true}); err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(filepath.Join(dir, ReportFile))
	if !strings.Contains(string(md), "**Pools: what each op's object cost") || strings.Contains(string(md), "What GOGC does") {
		t.Errorf("want the pools table and no GOGC figure:\n%s", md)
	}
}

// coalescingRun is a coalescing result at a concurrency over keys.
func coalescingRun(t *testing.T, impl string, conc, keys int, callsPerRequest, collateral float64) *result.Result {
	t.Helper()
	r := makeResult(t, fixture{impl: impl, family: "coalescing", conc: conc, procs: 2, ops: 2000, baseNs: 1e6,
		stats: map[string]float64{"requests": 2000, "backend_calls": 2000 * callsPerRequest, "calls_per_request": callsPerRequest,
			"gave_up": 3, "collateral_errors": collateral, "aborted_calls": 1, "shared_pct": 100 * (1 - callsPerRequest)}})
	r.Params.Keys = keys
	r.Params.Family = map[string]string{"keys": strconv.Itoa(keys), "hold": "1ms"}
	return r
}

func TestTheCoalescingSectionShowsTheCallsSavedAgainstTheCallersPerKey(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		results func(t *testing.T) []*result.Result
		figure  string
	}{
		{"a concurrency sweep plots against the callers per key", func(t *testing.T) []*result.Result {
			return []*result.Result{
				coalescingRun(t, "singleflight", 16, 4, 0.25, 40), coalescingRun(t, "singleflight", 64, 4, 0.0625, 90),
				coalescingRun(t, "nocoalesce", 16, 4, 1, 0), coalescingRun(t, "nocoalesce", 64, 4, 1, 0),
			}
		}, "Backend calls per request against callers per key — coalescing"},
		{"one configuration gets bars", func(t *testing.T) []*result.Result {
			return []*result.Result{coalescingRun(t, "singleflight", 64, 4, 0.0625, 90), coalescingRun(t, "nocoalesce", 64, 4, 1, 0)}
		}, "Backend calls per request — coalescing, mixed closed conc=64 gomaxprocs=2 keys=4 hold=1ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := WriteReport(dir, tc.results(t), ReportOptions{Formats: []string{"svg"}}); err != nil {
				t.Fatal(err)
			}
			raw, _ := os.ReadFile(filepath.Join(dir, ReportFile))
			md := string(raw)
			i := strings.Index(md, "**Coalescing: backend calls per request")
			if i < 0 {
				t.Fatalf("no coalescing table:\n%s", md)
			}
			var row string
			for line := range strings.SplitSeq(md[i:], "\n") {
				if strings.HasPrefix(line, "| `singleflight` |") && strings.Contains(line, "| 0.0625 |") {
					row = line
				}
			}
			// 0.0625 calls a request is 16 callers a call; 90 callers failed by
			// another's cancellation.
			for _, want := range []string{"| 16 |", "| 90 |"} {
				if !strings.Contains(row, want) {
					t.Errorf("singleflight's row lacks %q: %s", want, row)
				}
			}
			if strings.Contains(md, `\n`) {
				t.Errorf("an escaped newline is printed as text:\n%s", md)
			}
			if !strings.Contains(md, "!["+tc.figure+"]") {
				t.Errorf("no figure %q in:\n%s", tc.figure, md)
			}
		})
	}
}
