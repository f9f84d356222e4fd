package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

// summaryFixture is a result with stored summaries only: what the terminal
// summary reads for the standard percentiles.
func summaryFixture(impl, family, model string) *result.Result {
	r := &result.Result{Impl: impl, Family: family, DurationNs: 3e9,
		Params: result.Params{Model: model, Concurrency: 8, GOMAXPROCS: 2},
		Counts: result.Counts{Completed: 1000, OK: 1000, Offered: 1000},
		Rates:  result.Rates{Offered: 1000, Achieved: 1000, Admitted: 1000},
		Latency: result.Latencies{
			Response: result.LatencySummary{Count: 1000, P50: 1000, P90: 2000, P99: 3000, P999: 4000, Max: 5000},
			Service:  result.LatencySummary{Count: 1000, P50: 900, P99: 2900},
		},
	}
	if model == "open" {
		r.Params.Rate = 1000
		r.Latency.Lag = &result.LatencySummary{Count: 1000, P99: 100}
	}
	return r
}

func TestSummaryShowsTheNewOutcomesMarksAndSplits(t *testing.T) {
	t.Parallel()
	sat := summaryFixture("uber", "limiters", "open")
	sat.Counts.Unfinished, sat.Saturated = 9796, true
	sat.Latency.Response.LowerBound = true
	sat.Latency.Response.P99 = 3e9
	sat.Latency.Response.P999 = 3e9
	rw := summaryFixture("rwmutex", "locks", "closed")
	rw.Split = []result.Split{
		{Kind: "read", Count: 900, Latency: result.Latencies{Response: result.LatencySummary{Count: 900, P99: 1500}}},
		{Kind: "write", Count: 100, Latency: result.Latencies{Response: result.LatencySummary{Count: 100, P99: 250000}}},
	}
	rw.ImplStats = map[string]float64{"jain_fairness": 0.125, "longest_wait_ns": 3.5e9}
	var buf bytes.Buffer
	if err := writeTextSummary(&buf, []*result.Result{sat, rw}, nil); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	lines := strings.Split(text, "\n")
	var header, uberRow, rwRow string
	for _, l := range lines {
		switch {
		case strings.Contains(l, "unfinished") && strings.Contains(l, "impl"):
			header = l
		case strings.Contains(l, "uber (saturated)"):
			uberRow = l
		case strings.HasPrefix(strings.TrimSpace(l), "rwmutex ") && rwRow == "":
			rwRow = l
		}
	}
	for _, want := range []string{"unfinished", "read p99", "write p99", "lag p99"} {
		if !strings.Contains(header, want) {
			t.Errorf("header lacks %q: %s", want, header)
		}
	}
	for _, want := range []string{"9796", "≥ 3.00s", "open 1000/s wait"} {
		if !strings.Contains(uberRow, want) {
			t.Errorf("saturated row lacks %q: %s", want, uberRow)
		}
	}
	for _, want := range []string{"250µs", "1.50µs"} {
		if !strings.Contains(rwRow, want) {
			t.Errorf("rwmutex row lacks its split p99 %q: %s", want, rwRow)
		}
	}
	if f := strings.Fields(rwRow); len(f) < 3 || !strings.Contains(rwRow, " - ") {
		t.Errorf("a closed loop's lag is not '-': %s", rwRow)
	}
	for _, want := range []string{
		"uber: saturated: 9796 ops were still queued",
		"rwmutex: starved workers (Jain 0.125, longest wait 3.50s of a 3.00s run)",
		"8 workers on 2 Ps: tails above p99.9 include scheduler time slices",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks the note %q:\n%s", want, text)
		}
	}
}

func TestLimiterNotePrintsTheLimitersOwnBoundAndBasis(t *testing.T) {
	t.Parallel()
	r := summaryFixture("slidingcounter", "limiters", "open")
	r.Counts.Denied = 12500
	acc := map[string]any{"admitted_rate": 834.3, "limit": 1000.0, "steady_rate": 1000.0, "rate_error_pct": 0.0,
		"rate_basis": "admitted in [1s, 3s): the first window (start-up) left out", "bound": "sliding counter: L per aligned W, 2L per any W",
		"window_ns": 1e9, "max_in_window": 1038.0, "envelope": 2000.0, "max_in_aligned_window": 999.0, "aligned_envelope": 1000.0,
		"transient": "its first window has no previous one to weigh"}
	note := limiterNote(r, acc)
	for _, want := range []string{"admitted 834.3/s of limit 1000/s", "steady 1000.0/s (rate error 0%): admitted in [1s, 3s)",
		"max in any 1.00s window 1038 vs 2000 (sliding counter: L per aligned W, 2L per any W): within the bound",
		"max in an aligned window 999 vs 1000", "start-up: its first window"} {
		if !strings.Contains(note, want) {
			t.Errorf("limiter note lacks %q:\n%s", want, note)
		}
	}
	if strings.Contains(note, "burst + limit·window") {
		t.Errorf("the note still names the fixed envelope: %s", note)
	}
}
