package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

// verdictOf returns the verdict lines of results, one per ranking group.
func verdictOf(results []*result.Result) []string {
	var out []string
	for _, g := range groupByConfig(GroupCells(results)) {
		out = append(out, verdict(g))
	}
	return out
}

func TestVerdictComparesRunsWithoutProcessesUnpairedAndSaysSo(t *testing.T) {
	t.Parallel()
	// 5 repetitions each from files that record no process: fast ~2× the
	// ops of slow in every one, so the Mann-Whitney test can reach p < 0.05.
	results := append(makeCell(t, fixture{impl: "fast", conc: 2, ops: 2000, baseNs: 100, seed: 1}, 5),
		makeCell(t, fixture{impl: "slow", conc: 2, ops: 1000, baseNs: 400, seed: 2}, 5)...)
	v := verdictOf(results)
	if len(v) != 1 {
		t.Fatalf("got %d verdicts, want 1: %q", len(v), v)
	}
	for _, want := range []string{"Best throughput: **`fast`**", "2.00× runner-up `slow`", "over 5 runs)",
		"Mann-Whitney U test on 5 and 5 runs, unpaired: their processes are not recorded", "Lowest response p99: **`fast`**"} {
		if !strings.Contains(v[0], want) {
			t.Errorf("verdict lacks %q:\n%s", want, v[0])
		}
	}
}

func TestVerdictSaysWhenOneRunCannotBeTested(t *testing.T) {
	t.Parallel()
	results := []*result.Result{
		makeResult(t, fixture{impl: "a", conc: 1, ops: 200, baseNs: 100}),
		makeResult(t, fixture{impl: "b", conc: 1, ops: 100, baseNs: 100}),
	}
	v := verdictOf(results)[0]
	if !strings.Contains(v, "one run each: no between-run uncertainty known, not tested") {
		t.Errorf("verdict on single runs does not say they were not tested:\n%s", v)
	}
	if strings.Contains(v, "**`") {
		t.Errorf("verdict on single runs names a winner in bold:\n%s", v)
	}
}

func TestVerdictNeverRanksAllowAndWaitTogether(t *testing.T) {
	t.Parallel()
	results := []*result.Result{
		makeResult(t, fixture{impl: "tokenbucket", family: "limiters", rate: 1000, conc: 2, ops: 1000, baseNs: 1000, denyEvery: 2, limit: "500"}),
		makeResult(t, fixture{impl: "xrate", family: "limiters", rate: 1000, conc: 2, ops: 1000, baseNs: 800, denyEvery: 2, limit: "500"}),
		// uber cannot refuse: run without -mode it waited, and its queueing is
		// a million times any allow-mode decision.
		makeResult(t, fixture{impl: "uber", family: "limiters", rate: 1000, conc: 2, ops: 1000, baseNs: 1e9, limit: "500"}),
	}
	v := verdictOf(results)
	if len(v) != 2 {
		t.Fatalf("got %d verdicts, want allow and wait apart: %q", len(v), v)
	}
	if !strings.Contains(v[0], "(allow mode)") || strings.Contains(v[0], "uber") {
		t.Errorf("allow-mode verdict mixes in the wait-only limiter:\n%s", v[0])
	}
	if !strings.Contains(v[1], "(wait mode)") || !strings.Contains(v[1], "`uber` alone") {
		t.Errorf("wait-mode verdict:\n%s", v[1])
	}
	dir := t.TempDir()
	if err := WriteReport(dir, results, ReportOptions{NoPlots: true}); err != nil {
		t.Fatal(err)
	}
	md := readFile(t, dir, ReportFile)
	if !strings.Contains(md, "### allow mode") || !strings.Contains(md, "### wait mode") {
		t.Errorf("report.md does not table the modes apart")
	}
}

func TestVerdictRanksByServiceTimeWhenLagDominates(t *testing.T) {
	t.Parallel()
	// Response is 90% lag: the pacer's lateness, not the limiters'.
	results := []*result.Result{
		makeResult(t, fixture{impl: "a", family: "limiters", rate: 1000, conc: 2, ops: 1000, baseNs: 1e6, lagShare: 0.9, seed: 1}),
		makeResult(t, fixture{impl: "b", family: "limiters", rate: 1000, conc: 2, ops: 1000, baseNs: 2e6, lagShare: 0.9, seed: 2}),
	}
	v := verdictOf(results)[0]
	for _, want := range []string{"ranked by service time", "service p99", "lag"} {
		if !strings.Contains(strings.ToLower(v), strings.ToLower(want)) {
			t.Errorf("verdict lacks %q:\n%s", want, v)
		}
	}
	results[0] = makeResult(t, fixture{impl: "a", family: "limiters", rate: 1000, conc: 2, ops: 1000, baseNs: 1e6, lagShare: 0.01, seed: 1})
	if v := verdictOf(results)[0]; strings.Contains(v, "ranked by service time") {
		t.Errorf("a run whose response is not lag is still ranked by service time:\n%s", v)
	}
}

func TestVerdictCapsHugeRatios(t *testing.T) {
	t.Parallel()
	results := forked(t, 6, []fixture{
		{impl: "quick", conc: 1, ops: 100, baseNs: 50, seed: 1},
		{impl: "mid", conc: 1, ops: 100, baseNs: 100, seed: 2},
		{impl: "glacial", conc: 1, ops: 100, baseNs: 5e8, seed: 3},
	}, nil)
	v := verdictOf(results)[0]
	if !strings.Contains(v, "slowest `glacial`") || !strings.Contains(v, "> 1000×") {
		t.Errorf("a 10⁷× gap is not printed as > 1000×:\n%s", v)
	}
}

func TestVerdictNotesSchedulerTimeSlicesWithMoreWorkersThanPs(t *testing.T) {
	t.Parallel()
	rt := map[string]map[string]any{result.RuntimeExtrasKey: {"sched_latency_p99_ns": 4.2e6}}
	results := []*result.Result{
		makeResult(t, fixture{impl: "a", conc: 8, procs: 2, ops: 100, baseNs: 100, extras: rt}),
		makeResult(t, fixture{impl: "b", conc: 8, procs: 2, ops: 100, baseNs: 200, extras: rt}),
	}
	v := verdictOf(results)[0]
	for _, want := range []string{"8 workers on 2 Ps", "tails above p99.9 include scheduler time slices", "4.20ms at p99"} {
		if !strings.Contains(strings.ToLower(v), strings.ToLower(want)) {
			t.Errorf("verdict lacks %q:\n%s", want, v)
		}
	}
	few := []*result.Result{makeResult(t, fixture{impl: "a", conc: 2, procs: 2, ops: 100, baseNs: 100}), makeResult(t, fixture{impl: "b", conc: 2, procs: 2, ops: 100, baseNs: 100})}
	if v := verdictOf(few)[0]; strings.Contains(v, "scheduler time slices") {
		t.Errorf("2 workers on 2 Ps carry the scheduler note:\n%s", v)
	}
}

func TestStarvedRowsSaySoBesideTheirPercentiles(t *testing.T) {
	t.Parallel()
	starved := map[string]float64{"jain_fairness": 0.125, "longest_wait_ns": 3.5e9}
	results := []*result.Result{
		makeResult(t, fixture{impl: "condsem", family: "semaphores", conc: 32, ops: 100, baseNs: 1e6, intervals: 3, stats: starved}),
		makeResult(t, fixture{impl: "fifo", family: "semaphores", conc: 32, ops: 100, baseNs: 9e6, intervals: 3, stats: map[string]float64{"jain_fairness": 0.99}}),
	}
	dir := t.TempDir()
	if err := WriteReport(dir, results, ReportOptions{NoPlots: true}); err != nil {
		t.Fatal(err)
	}
	md := readFile(t, dir, ReportFile)
	var row string
	for line := range strings.SplitSeq(md, "\n") {
		if strings.HasPrefix(line, "| `condsem`") && strings.Contains(line, "starved") {
			row = line
		}
		if strings.HasPrefix(line, "| `fifo`") && strings.Contains(line, "starved") {
			t.Errorf("the fair semaphore's row says starved: %s", line)
		}
	}
	if row == "" || !strings.Contains(row, "Jain 0.125") || !strings.Contains(row, "longest wait 3.50s of a 3.00s run") {
		t.Errorf("condsem's row does not carry the starvation note:\n%s", md)
	}
	v := verdictOf(results)[0]
	if !strings.Contains(v, "Starved workers in `condsem`") {
		t.Errorf("verdict does not warn of starvation:\n%s", v)
	}
	// Its p99 is 9× lower only because its waits that never ended are missing:
	// it must not be named the lowest.
	if !strings.Contains(v, "Lowest response p99: `fifo`") || !strings.Contains(v, "the only one ranked") || strings.Contains(v, "**`condsem`") {
		t.Errorf("the starved semaphore wins on latency:\n%s", v)
	}
}

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestALagDominatedGroupGetsAServiceTimeSpectrum(t *testing.T) {
	t.Parallel()
	results := []*result.Result{
		makeResult(t, fixture{impl: "a", family: "limiters", rate: 1000, conc: 2, ops: 1000, baseNs: 1e6, lagShare: 0.9, seed: 1}),
		makeResult(t, fixture{impl: "b", family: "limiters", rate: 1000, conc: 2, ops: 1000, baseNs: 2e6, lagShare: 0.9, seed: 2}),
	}
	dir := t.TempDir()
	if err := WriteReport(dir, results, ReportOptions{Formats: []string{"svg"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "plots", "service-spectrum-limiters.svg")); err != nil {
		t.Errorf("no service-time spectrum beside the lag-dominated response spectrum: %v", err)
	}
}

func TestTheRecordedModeDecidesAllowAgainstWait(t *testing.T) {
	t.Parallel()
	// A wait-only limiter the reports know nothing of ("mypacer", a user's) ran
	// without -mode: only the limiter extras' mode says it waited, and it must
	// be tabled in wait mode because of it, as uber is.
	waited := map[string]map[string]any{result.LimiterExtrasKey: {"mode": "wait"}}
	allowed := map[string]map[string]any{result.LimiterExtrasKey: {"mode": "allow"}}
	results := []*result.Result{
		makeResult(t, fixture{impl: "tokenbucket", family: "limiters", rate: 1000, conc: 2, ops: 1000, baseNs: 1000, denyEvery: 2, limit: "500", extras: allowed}),
		makeResult(t, fixture{impl: "xrate", family: "limiters", rate: 1000, conc: 2, ops: 1000, baseNs: 800, denyEvery: 2, limit: "500", extras: allowed}),
		makeResult(t, fixture{impl: "mypacer", family: "limiters", rate: 1000, conc: 2, ops: 1000, baseNs: 1e9, limit: "500", extras: waited}),
	}
	if m := EffectiveMode(results[2]); m != "wait" {
		t.Fatalf("EffectiveMode of a limiter whose extras say wait = %q", m)
	}
	v := verdictOf(results)
	var allowV, waitV string
	for _, s := range v {
		switch {
		case strings.Contains(s, "(allow mode)"):
			allowV = s
		case strings.Contains(s, "(wait mode)"):
			waitV = s
		}
	}
	if len(v) != 2 || strings.Contains(allowV, "mypacer") || !strings.Contains(waitV, "`mypacer` alone") {
		t.Fatalf("verdicts do not table the recorded wait mode apart: %q", v)
	}
	// The recorded mode is what ran, so it wins over the -mode parameter too.
	uber := makeResult(t, fixture{impl: "uber", family: "limiters", rate: 1000, conc: 2, ops: 1000, baseNs: 1e9, limit: "500", extras: waited})
	if m := EffectiveMode(uber); m != "wait" {
		t.Errorf("uber without -mode, extras mode wait: EffectiveMode = %q", m)
	}
	uber.Params.Family = map[string]string{"mode": "allow"}
	if m := EffectiveMode(uber); m != "wait" {
		t.Errorf("extras mode wait, -mode allow: EffectiveMode = %q, want the recorded wait", m)
	}
}
