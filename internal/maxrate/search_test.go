package maxrate

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
)

// knee is a fake target whose p99 is 100µs up to capacity ops/s and 10ms above
// it, and which completes everything offered.
func knee(capacity float64, probed *[]float64) ProbeFunc {
	return func(_ context.Context, _ int, rate float64) (*result.Result, error) {
		*probed = append(*probed, rate)
		r := &result.Result{Counts: result.Counts{Completed: 1000}, Rates: result.Rates{Offered: rate, Achieved: rate}}
		r.Latency.Response.P99 = 100_000
		if rate > capacity {
			r.Latency.Response.P99 = 10_000_000
		}
		return r, nil
	}
}

func mustThreshold(t *testing.T, s string) metrics.Threshold {
	t.Helper()
	th, err := metrics.ParseThreshold(s)
	if err != nil {
		t.Fatal(err)
	}
	return th
}

func TestFindDoublesThenBisectsToTheKnee(t *testing.T) {
	var probed []float64
	s, err := Find(context.Background(), mustThreshold(t, "p99<1ms"), 1000, knee(5000, &probed))
	if err != nil {
		t.Fatal(err)
	}
	// 1000, 2000, 4000 pass; 8000 fails; then bisect between 4000 and 8000:
	// 6000 fails, 5000 passes, 5500 and 5250 fail (250 is not below 5% of
	// 5000), 5125 fails, and 125 is: stop.
	want := []float64{1000, 2000, 4000, 8000, 6000, 5000, 5500, 5250, 5125}
	if !slices.Equal(probed, want) {
		t.Fatalf("probed %v, want %v", probed, want)
	}
	if s.Best != 5000 || s.FirstFail != 5125 || len(s.Probes) != len(want) {
		t.Fatalf("best %v, first fail %v, %d probes; want 5000, 5125, %d", s.Best, s.FirstFail, len(s.Probes), len(want))
	}
}

func TestFindHalvesWhenTheStartFailsAndStopsBelowOneOp(t *testing.T) {
	var probed []float64
	s, err := Find(context.Background(), mustThreshold(t, "p99<1ns"), 4, knee(0, &probed))
	if err != nil {
		t.Fatal(err)
	}
	// Every probe fails: 4, 2, 1, then 0.5 rounds to a rate below one op/s: stop.
	if want := []float64{4, 2, 1}; !slices.Equal(probed, want) {
		t.Fatalf("probed %v, want %v", probed, want)
	}
	if s.Best != 0 || s.FirstFail != 1 {
		t.Fatalf("best %v, first fail %v; want 0 and 1", s.Best, s.FirstFail)
	}
}

func TestFindStopsAfterMaxProbesWhenEveryRatePasses(t *testing.T) {
	var probed []float64
	s, _ := Find(context.Background(), mustThreshold(t, "p99<1ms"), 0, knee(math.Inf(1), &probed))
	if len(probed) != MaxProbes || probed[0] != DefaultStart || s.Best != DefaultStart*512 || !math.IsInf(s.FirstFail, 1) {
		t.Fatalf("probed %v (best %v, first fail %v); want %d doublings from %d", probed, s.Best, s.FirstFail, MaxProbes, DefaultStart)
	}
}

func TestJudgeFailsATargetThatFellBehindOrAPacerThatDid(t *testing.T) {
	cond := mustThreshold(t, "p99<1ms")
	ok := result.Result{Counts: result.Counts{Completed: 10}, Rates: result.Rates{Offered: 1000, Achieved: 950}}
	behind := ok
	behind.Rates.Achieved = 949
	paced := ok
	paced.PacerLimited = true
	slow := ok
	slow.Latency.Response.P99 = 2_000_000
	for _, tc := range []struct {
		name string
		r    result.Result
		want Verdict
	}{
		{"95% completed passes", ok, Pass},
		{"less than 95% completed fails", behind, FailBehind},
		{"a pacer-limited run fails", paced, FailPacer},
		{"a failed condition fails first", slow, FailCondition},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Judge(cond, 1000, &tc.r); got.Verdict != tc.want {
				t.Fatalf("verdict %v, want %v", got.Verdict, tc.want)
			}
		})
	}
}

func TestAFailedProbeEndsTheSearchWithWhatRan(t *testing.T) {
	boom := errors.New("invariant violated")
	calls := 0
	probe := func(_ context.Context, n int, rate float64) (*result.Result, error) {
		calls++
		r := &result.Result{Counts: result.Counts{Completed: 1}, Rates: result.Rates{Offered: rate, Achieved: rate}}
		if n == 1 {
			return r, boom
		}
		return r, nil
	}
	s, err := Find(context.Background(), mustThreshold(t, "p99<1ms"), 100, probe)
	if !errors.Is(err, boom) || calls != 2 || len(s.Probes) != 2 {
		t.Fatalf("err %v after %d calls and %d probes; want the probe's error after 2 of each", err, calls, len(s.Probes))
	}
}
