package result

import (
	"strings"
	"testing"
)

func TestCountsAddAddsEveryField(t *testing.T) {
	a := Counts{Offered: 1, Completed: 2, OK: 3, Denied: 4, Timeout: 5, Error: 6, Unfinished: 7}
	b := Counts{Offered: 10, Completed: 20, OK: 30, Denied: 40, Timeout: 50, Error: 60, Unfinished: 70}
	a.Add(b)
	want := Counts{Offered: 11, Completed: 22, OK: 33, Denied: 44, Timeout: 55, Error: 66, Unfinished: 77}
	if a != want {
		t.Errorf("Add = %+v, want %+v", a, want)
	}
}

func TestOpenLoopReadsOldFilesByTheirRate(t *testing.T) {
	tests := []struct {
		name   string
		params Params
		want   bool
	}{
		{"an open model is open", Params{Model: "open", Rate: 100}, true},
		{"a closed model is closed", Params{Model: "closed"}, false},
		{"an old file with a rate is open", Params{Rate: 100}, true},
		{"an old file without a rate is closed", Params{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Result{Params: tt.params}
			if got := r.OpenLoop(); got != tt.want {
				t.Errorf("OpenLoop() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLagIsAbsentForAClosedLoop(t *testing.T) {
	lag := &LatencySummary{P99: 42}
	closed := &Result{Params: Params{Model: "closed"}, Latency: Latencies{Lag: lag}}
	if _, ok := closed.Lag(); ok {
		t.Error("a closed loop reports a lag")
	}
	open := &Result{Params: Params{Model: "open", Rate: 1}, Latency: Latencies{Lag: lag}}
	if s, ok := open.Lag(); !ok || s.P99 != 42 {
		t.Errorf("open loop Lag() = %+v, %v; want P99 42, true", s, ok)
	}
	if _, ok := (&Result{Params: Params{Model: "open", Rate: 1}}).Lag(); ok {
		t.Error("an open loop without a lag summary reports one")
	}
}

func TestIsSaturatedByMarkOrUnfinishedOps(t *testing.T) {
	if (&Result{}).IsSaturated() {
		t.Error("a clean run reads saturated")
	}
	if !(&Result{Saturated: true}).IsSaturated() {
		t.Error("a run marked saturated does not read saturated")
	}
	r := &Result{Counts: Counts{Unfinished: 3}}
	if !r.IsSaturated() || r.UnfinishedOps() != 3 {
		t.Errorf("a run with 3 unfinished ops: IsSaturated %v, UnfinishedOps %d", r.IsSaturated(), r.UnfinishedOps())
	}
}

func TestSplitGroupsAreFoundByKindOrOutcome(t *testing.T) {
	r := &Result{Split: []Split{
		{Kind: "read", Count: 5, Latency: Latencies{Response: LatencySummary{Count: 5, P99: 10}}},
		{Outcome: "unfinished", Count: 2, Latency: Latencies{Response: LatencySummary{Count: 2, Max: 900}}},
		{Kind: "write"}, // no timed op
	}}
	if got := strings.Join(r.SplitNames(), ","); got != "read,unfinished,write" {
		t.Errorf("SplitNames() = %s", got)
	}
	if l, ok := r.SplitLatency("read"); !ok || l.Response.P99 != 10 {
		t.Errorf("SplitLatency(read) = %+v, %v", l, ok)
	}
	if _, ok := r.SplitLatency("write"); ok {
		t.Error("a group without timed ops has a latency")
	}
	if _, ok := r.SplitGroup("write"); !ok {
		t.Error("SplitGroup misses a group without timed ops")
	}
	if got := r.CensoredMaxNs(); got != 900 {
		t.Errorf("CensoredMaxNs() = %v, want 900", got)
	}
}

func TestStarvation(t *testing.T) {
	closed := func(stats map[string]float64, unfinished int64) *Result {
		return &Result{Params: Params{Model: "closed", Concurrency: 8}, DurationNs: 2e9, ImplStats: stats, Counts: Counts{Unfinished: unfinished}}
	}
	tests := []struct {
		name string
		r    *Result
		want string // a substring; "" for no starvation
	}{
		{"a fair run did not starve", closed(map[string]float64{"jain_fairness": 0.99, "longest_wait_ns": 1e6}, 0), ""},
		{"a low fairness index starved", closed(map[string]float64{"jain_fairness": 0.3}, 0), "Jain 0.300"},
		{"a wait of half the run starved", closed(map[string]float64{"longest_wait_ns": 1e9}, 0), "longest wait 1.00s of a 2.00s run"},
		{"workers still waiting are counted, at most all of them", closed(map[string]float64{"jain_fairness": 0.1}, 20), "8 of 8 workers still waiting"},
		{"an open loop never starves", &Result{Params: Params{Model: "open", Rate: 5}, ImplStats: map[string]float64{"jain_fairness": 0.1}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.r.Starvation()
			if tt.want == "" {
				if got != "" {
					t.Errorf("Starvation() = %q, want none", got)
				}
				return
			}
			if !strings.Contains(got, tt.want) || !strings.HasPrefix(got, "starved workers") {
				t.Errorf("Starvation() = %q, want it to contain %q", got, tt.want)
			}
		})
	}
}
