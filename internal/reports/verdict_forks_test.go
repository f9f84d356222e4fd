package reports

import (
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

// The verdict on synthetic fork figures: each test builds six (or five) forks
// in which every implementation ran once, with the throughput of each fork
// set exactly (ops per 1 s interval), so the paired ratios are known.

// opsByFork sets fixture i's ops in fork k from table[i][k-1].
func opsByFork(table ...[]int) func(i, fork int, f *fixture) {
	return func(i, fork int, f *fixture) { f.ops = table[i][fork-1] }
}

func mustContain(t *testing.T, v string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(v, w) {
			t.Errorf("verdict lacks %q:\n%s", w, v)
		}
	}
}

func mustNotContain(t *testing.T, v string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(v, w) {
			t.Errorf("verdict holds %q:\n%s", w, v)
		}
	}
}

var twoLocks = []fixture{{impl: "a", conc: 2, baseNs: 100, seed: 1}, {impl: "b", conc: 2, baseNs: 100, seed: 2}}

func TestAWinnerIsNamedWhenEveryForkPutsItAhead(t *testing.T) {
	t.Parallel()
	results := forked(t, 6, twoLocks, opsByFork(
		[]int{2000, 2100, 1900, 2050, 1950, 2000},
		[]int{1000, 1000, 1000, 1000, 1000, 1000}))
	v := verdictOf(results)[0]
	mustContain(t, v, "Best throughput: **`a`**, 2.00k ops/s (1.90k–2.10k over 6 forks)", "2.00× runner-up `b`",
		"95% CI 1.90×–2.10×", "Wilcoxon signed-rank test on 6 paired forks, p=0.0312")
}

func TestForksThatDisagreeNameNoWinner(t *testing.T) {
	t.Parallel()
	// a is ahead in five forks and behind in one (by the least of the six
	// ratios, rank 1): p = 2·2/64 = 0.0625, not separated.
	results := forked(t, 6, twoLocks, opsByFork(
		[]int{1200, 1150, 1250, 1180, 900, 1220},
		[]int{1000, 1000, 1000, 1000, 1000, 1000}))
	v := verdictOf(results)[0]
	mustContain(t, v, "Throughput: `a` and `b` not separated", "over 6 forks", "Wilcoxon signed-rank test on 6 paired forks, p=0.0625")
	mustNotContain(t, v, "**`a`**", "**`b`**", "Best throughput")
}

func TestEqualForksAreCalledLevel(t *testing.T) {
	t.Parallel()
	results := forked(t, 6, twoLocks, opsByFork(
		[]int{1000, 1004, 1000, 1004, 1000, 1004},
		[]int{1004, 1000, 1004, 1000, 1004, 1000}))
	v := verdictOf(results)[0]
	mustContain(t, v, "Throughput: `a` and `b` level", "(over 6 forks, all alike)", "p=0.344")
	mustNotContain(t, v, "Best throughput", "**`")
}

func TestFiveForksCannotSeparateAndSaySo(t *testing.T) {
	t.Parallel()
	results := forked(t, 5, twoLocks, opsByFork([]int{2000, 2000, 2000, 2000, 2000}, []int{1000, 1000, 1000, 1000, 1000}))
	v := verdictOf(results)[0]
	mustContain(t, v, "not separated", "p=0.0625", "5 paired forks cannot separate two implementations at p < 0.05 (the fewest is 6)")
	mustNotContain(t, v, "**`a`**")
}

func TestABimodalLeaderIsNamedWithItsModes(t *testing.T) {
	t.Parallel()
	results := forked(t, 6, twoLocks, opsByFork(
		[]int{4000, 2000, 4010, 2010, 4020, 2020},
		[]int{1000, 1000, 1000, 1000, 1000, 1000}))
	v := verdictOf(results)[0]
	mustContain(t, v, "Best throughput: **`a`**", "`a` bimodal across forks: 3 at 2.01k ops/s, 3 at 4.01k ops/s")
	md := reportOf(t, results)
	if row := rowOf(t, md, "a"); !strings.Contains(row, BimodalMark) {
		t.Errorf("the bimodal cell's row is not marked: %s", row)
	}
}

func TestOneForkFarFromTheRestIsFlagged(t *testing.T) {
	t.Parallel()
	results := forked(t, 6, twoLocks, opsByFork(
		[]int{2000, 2010, 4000, 2020, 2005, 2015},
		[]int{1000, 1000, 1000, 1000, 1000, 1000}))
	v := verdictOf(results)[0]
	mustContain(t, v, "`a` one fork far from the rest: 4.00k ops/s against 2.00k ops/s–2.02k ops/s")
	if row := rowOf(t, reportOf(t, results), "a"); !strings.Contains(row, OutlierMark) {
		t.Errorf("the cell with a lone fork is not marked: %s", row)
	}
}

func TestForksUnderTwoMachineModesAreShownPerMode(t *testing.T) {
	t.Parallel()
	// Forks 1 and 2 found a cache line's round trip at 60 ns, the others at
	// 180 ns; both implementations ran twice as fast in the fast mode.
	results := forked(t, 6, twoLocks, func(i, fork int, f *fixture) {
		f.roundTripNs, f.ops = 180, []int{2000, 1000}[i]
		if fork <= 2 {
			f.roundTripNs, f.ops = 60, []int{4000, 2000}[i]
		}
	})
	v := verdictOf(results)[0]
	mustContain(t, v, "two machine modes", "60ns in forks 1, 2 and 180ns in forks 3, 4, 5, 6",
		"4.00k ops/s in the fast mode (2 forks), 2.00k in the slow (4)",
		"Best throughput: **`a`**")
	mustNotContain(t, v, "bimodal")
	row := rowOf(t, reportOf(t, results), "a")
	if !strings.Contains(row, "by mode: 4.00k ×2, 2.00k ×4") || !strings.Contains(row, "⚠M") ||
		!strings.Contains(row, "machine modes: 4.00k in 2 forks at a 60ns cache-line round trip, 2.00k in 4 at 180ns") {
		t.Errorf("the row pools the two modes: %s", row)
	}
}

func TestOneProcessHasNoBetweenRunInterval(t *testing.T) {
	t.Parallel()
	// -count 5 in one process: every run shares its PID.
	var results []*result.Result
	for _, f := range twoLocks {
		for rep := 1; rep <= 5; rep++ {
			g := f
			g.rep, g.pid, g.fork, g.ops = rep, 4242, 1, 1000*(1+f.seed2())
			results = append(results, makeResult(t, g))
		}
	}
	v := verdictOf(results)[0]
	mustContain(t, v, "over 5 runs in one process: a lower bound on the run-to-run spread",
		"one process: its repetitions share the process's state, so they cannot separate two implementations")
	mustNotContain(t, v, "**`")
	md := reportOf(t, results)
	if row := rowOf(t, md, "a"); !strings.Contains(row, "⚠R") || !strings.Contains(md, "⚠R: one process") {
		t.Errorf("the one-process cell is not marked or the mark not explained: %s", row)
	}
}

// seed2 is 1 for the first of twoLocks and 0 for the second, so a's
// throughput is twice b's.
func (f fixture) seed2() int { return int(2 - f.seed) }

func TestTheSlowestIsNamedOnlyWhenTheForksSeparateIt(t *testing.T) {
	t.Parallel()
	three := []fixture{
		{impl: "quick", conc: 1, ops: 1000, baseNs: 100, seed: 1},
		{impl: "mid", conc: 1, ops: 1000, baseNs: 300, seed: 2},
		{impl: "slow", conc: 1, ops: 1000, baseNs: 310, seed: 3},
	}
	v := verdictOf(forked(t, 6, three, nil))[0]
	mustContain(t, v, "Lowest response p99: **`quick`**")
	mustNotContain(t, v, "slowest")
	three[2].baseNs = 3000
	v = verdictOf(forked(t, 6, three, nil))[0]
	mustContain(t, v, "slowest `slow`", "behind `mid`")
}

func TestLimitersAtTheSameErrorAreLevelAndNoneIsLeast(t *testing.T) {
	t.Parallel()
	limiters := func(errs ...float64) []fixture {
		var fs []fixture
		for i, e := range errs {
			fs = append(fs, fixture{impl: []string{"gcra", "xrate", "tokenbucket"}[i], family: "limiters", rate: 1000, conc: 2, ops: 1000,
				baseNs: 1000, denyEvery: 2, limit: "500", seed: uint64(i + 1),
				extras: map[string]map[string]any{result.LimiterExtrasKey: {result.AdmittedRateErrorKey: e, "excess_over_envelope": 0.0}}})
		}
		return fs
	}
	v := verdictOf(forked(t, 6, limiters(0, 0, -0.05), nil))[0]
	mustContain(t, v, "Most accurate, level: `gcra`, `xrate`, `tokenbucket`")
	mustNotContain(t, v, "least", "**`gcra`**")

	v = verdictOf(forked(t, 6, limiters(0.1, 2, 5), nil))[0]
	mustContain(t, v, "Most accurate: **`gcra`** (rate error +0.100%", "1.9 points closer to its limit than `xrate`",
		"Wilcoxon signed-rank test on 6 paired forks", "least `tokenbucket`")
}

// reportOf writes results' report.md without plots and returns it.
func reportOf(t *testing.T, results []*result.Result) string {
	t.Helper()
	dir := t.TempDir()
	if err := WriteReport(dir, results, ReportOptions{NoPlots: true}); err != nil {
		t.Fatal(err)
	}
	return readFile(t, dir, ReportFile)
}

func TestARunShortOfCoresIsFlagged(t *testing.T) {
	t.Parallel()
	short := map[string]map[string]any{result.RuntimeExtrasKey: {"effective_cores": 1.1, "run_queue_wait_ns": 0.9e9, "wall_ns": 1e9}}
	full := map[string]map[string]any{result.RuntimeExtrasKey: {"effective_cores": 1.95, "run_queue_wait_ns": 0.01e9, "wall_ns": 1e9}}
	results := forked(t, 6, []fixture{{impl: "a", conc: 4, procs: 2, ops: 1000, baseNs: 100, seed: 1}, {impl: "b", conc: 4, procs: 2, ops: 900, baseNs: 100, seed: 2}},
		func(i, fork int, f *fixture) {
			f.extras = full
			if i == 0 && fork == 3 {
				f.extras = short
			}
		})
	v := verdictOf(results)[0]
	mustContain(t, v, "Short of cores (another process held them, so those runs measured a smaller machine): `a` in 1 of 6 runs")
	row := rowOf(t, reportOf(t, results), "a")
	if !strings.Contains(row, "⚠C") || !strings.Contains(row, "1 of 6 runs short of cores: ran on 1.1 of 2 cores: another process held them") {
		t.Errorf("the row does not flag its fork short of cores: %s", row)
	}
	if strings.Contains(rowOf(t, reportOf(t, results), "b"), "⚠C") {
		t.Error("b, on every core, is flagged")
	}
}

func TestLimitersTooShortForASteadySpanAreNotJudged(t *testing.T) {
	t.Parallel()
	// Each fork measured less than two accuracy windows: the rate error is
	// the start-up's (steady_from_ns 0), so no limiter is called accurate.
	var fs []fixture
	for i, e := range []float64{-100, -2} {
		fs = append(fs, fixture{impl: []string{"slidinglog", "gcra"}[i], family: "limiters", rate: 1000, conc: 2, ops: 1000,
			baseNs: 1000, denyEvery: 2, limit: "500", seed: uint64(i + 1),
			extras: map[string]map[string]any{result.LimiterExtrasKey: {result.AdmittedRateErrorKey: e, "excess_over_envelope": 0.0, "steady_from_ns": 0.0}}})
	}
	v := verdictOf(forked(t, 6, fs, nil))[0]
	mustContain(t, v, "Accuracy not judged: the runs measured 1.00s, shorter than two accuracy windows")
	mustNotContain(t, v, "most accurate", "Most accurate", "least")
}
