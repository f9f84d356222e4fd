package reports

import (
	"testing"

	"github.com/syncbench/syncbench/result"
)

func TestAFigureIsTakenPerProcessThenAcrossProcesses(t *testing.T) {
	t.Parallel()
	run := func(pid, rep int, rate float64) *result.Result {
		return &result.Result{Impl: "x", Repetition: rep, Env: result.Environment{Hostname: "h", PID: pid}, Rates: result.Rates{Achieved: rate}}
	}
	tests := []struct {
		name     string
		runs     []*result.Result
		want     Spread
		across   Across
		describe string
	}{
		{"forks: the median of each process's runs, then across them",
			[]*result.Result{run(1, 1, 10), run(1, 2, 30), run(2, 1, 40), run(3, 1, 50)},
			Spread{Median: 40, Min: 20, Max: 50, N: 3}, AcrossForks, "40/s (20–50 over 3 forks)"},
		{"one process: over its runs, a lower bound",
			[]*result.Result{run(7, 1, 10), run(7, 2, 12), run(7, 3, 11)},
			Spread{Median: 11, Min: 10, Max: 12, N: 3}, WithinProcess, "11/s (10–12 over 3 runs in one process: a lower bound on the run-to-run spread)"},
		{"one run: no interval",
			[]*result.Result{run(7, 0, 10)},
			Spread{Median: 10, Min: 10, Max: 10, N: 1}, AcrossForks, "10/s (one run: no between-run uncertainty known)"},
		{"no PIDs: each run its own",
			[]*result.Result{run(0, 1, 10), run(0, 2, 20)},
			Spread{Median: 15, Min: 10, Max: 20, N: 2}, AcrossRuns, "15/s (10–20 over 2 runs)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Cell{Runs: tt.runs}
			f := c.Figure(achieved)
			if f.Spread != tt.want || f.Across != tt.across || f.Runs != len(tt.runs) {
				t.Errorf("Figure = %+v, want %+v across %v over %d runs", f, tt.want, tt.across, len(tt.runs))
			}
			if got := f.Describe(func(v float64) string { return formatFloat(v) }, "/s"); got != tt.describe {
				t.Errorf("Describe = %q, want %q", got, tt.describe)
			}
		})
	}
}

func TestOutlierOfFindsOneValueFarFromTheRest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		values []float64
		want   Outlier
		ok     bool
	}{
		{"one high", []float64{10, 10.2, 10.1, 30, 9.9, 10}, Outlier{Value: 30, RestMin: 9.9, RestMax: 10.2, High: true}, true},
		{"one low", []float64{0.1, 10, 10.2, 10.1}, Outlier{Value: 0.1, RestMin: 10, RestMax: 10.2}, true},
		{"noise", []float64{10, 11, 12, 13, 14}, Outlier{}, false},
		{"two clusters are bimodal, not an outlier", []float64{10, 10.1, 20, 20.1}, Outlier{}, false},
		{"too few values", []float64{1, 1, 9}, Outlier{}, false},
		{"a gap under 10% of the median", []float64{100, 100, 100, 100.1, 105}, Outlier{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := OutlierOf(tc.values)
			if ok != tc.ok || got != tc.want {
				t.Errorf("OutlierOf(%v) = %+v, %v; want %+v, %v", tc.values, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestSplitModesCutsAtTheLargestRatio(t *testing.T) {
	t.Parallel()
	s, ok := splitModes(map[string]float64{"a": 58, "b": 61, "c": 150, "d": 160, "e": 0})
	if !ok || len(s.fast) != 2 || len(s.slow) != 2 || s.fastNs != 59.5 || s.slowNs != 155 {
		t.Errorf("splitModes = %+v, %v; want a, b at 59.5 and c, d at 155 (e unmeasured)", s, ok)
	}
	if _, ok := splitModes(map[string]float64{"a": 58, "b": 64, "c": 80}); ok {
		t.Error("round trips within 1.5× of each other split into modes")
	}
	if _, ok := splitModes(map[string]float64{"a": 58}); ok {
		t.Error("one process splits into modes")
	}
}
