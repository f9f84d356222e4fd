package metrics

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/syncbench/syncbench/result"
)

func TestParseThreshold(t *testing.T) {
	good := []struct {
		in   string
		want Threshold
		str  string
	}{
		{"p99<2ms", Threshold{"p99", "<", 2e6}, "p99<2ms"},
		{" P50 <= 500us ", Threshold{"p50", "<=", 5e5}, "p50<=500µs"},
		{"p999<1.5ms", Threshold{"p999", "<", 1.5e6}, "p999<1.5ms"},
		{"max<1s", Threshold{"max", "<", 1e9}, "max<1s"},
		{"lag_p99<100µs", Threshold{"lag_p99", "<", 1e5}, "lag_p99<100µs"},
		{"service_mean<=50ns", Threshold{"service_mean", "<=", 50}, "service_mean<=50ns"},
		{"error_rate<1%", Threshold{"error_rate", "<", 1}, "error_rate<1%"},
		{"denied_rate >= 0.5 %", Threshold{"denied_rate", ">=", 0.5}, "denied_rate>=0.5%"},
		{"achieved_rate>4900", Threshold{"achieved_rate", ">", 4900}, "achieved_rate>4900/s"},
		{"admitted_rate>=100/s", Threshold{"admitted_rate", ">=", 100}, "admitted_rate>=100/s"},
		{"admitted_rate_error<2%", Threshold{"admitted_rate_error", "<", 2}, "admitted_rate_error<2%"},
	}
	for _, c := range good {
		t.Run("parses "+c.in, func(t *testing.T) {
			got, err := ParseThreshold(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
			if got.String() != c.str {
				t.Errorf("String() = %q, want %q", got.String(), c.str)
			}
			again, err := ParseThreshold(got.String())
			if err != nil || again != got {
				t.Errorf("String() does not parse back: %+v, %v", again, err)
			}
		})
	}
	bad := []struct{ in, want string }{
		{"p99 2ms", "no comparison"},
		{"<2ms", "no metric"},
		{"p98<2ms", `unknown metric "p98" (allowed metrics: p50, p90, p99`},
		{"latency<2ms", "admitted_rate_error"},
		{"p99<", `no value after "<"`},
		{"p99<2", `p99 value "2" is not a duration`},
		{"p99<-2ms", "not a duration"},
		{"p99<<2ms", "second comparison"},
		{"error_rate<1", `error_rate value "1" is not a percentage`},
		{"error_rate<-1%", "not a percentage"},
		{"achieved_rate>fast", `"fast" is not a rate`},
		{"achieved_rate>NaN", "not a rate"},
	}
	for _, c := range bad {
		t.Run("rejects "+c.in, func(t *testing.T) {
			_, err := ParseThreshold(c.in)
			if _, ok := errors.AsType[*ThresholdError](err); !ok {
				t.Fatalf("error %v is not a *ThresholdError", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
		})
	}
	t.Run("a list stops at its first bad threshold", func(t *testing.T) {
		if _, err := ParseThresholds([]string{"p99<1ms", "bogus<1", "p50<1ms"}); err == nil || !strings.Contains(err.Error(), "bogus") {
			t.Errorf("error %v", err)
		}
		list, err := ParseThresholds([]string{"p99<1ms", "error_rate<1%"})
		if err != nil || len(list) != 2 {
			t.Errorf("got %v, %v", list, err)
		}
	})
}

func TestThresholdCheck(t *testing.T) {
	r := &result.Result{
		Counts: result.Counts{Completed: 1000, OK: 970, Denied: 10, Timeout: 5, Error: 15},
		Rates:  result.Rates{Offered: 5000, Achieved: 4800, Admitted: 4656},
		Latency: result.Latencies{
			Response: result.LatencySummary{Count: 1000, P50: int64(800 * time.Microsecond), P99: int64(3100 * time.Microsecond), Max: int64(20 * time.Millisecond)},
			Lag:      &result.LatencySummary{Count: 1000, P99: int64(40 * time.Microsecond)},
		},
		Extras: map[string]map[string]any{result.LimiterExtrasKey: {result.AdmittedRateErrorKey: -3.0}},
	}
	cases := []struct {
		threshold string
		ok        bool
		observed  float64
		msg       string
	}{
		{"p99<2ms", false, 3.1e6, "p99 3.1ms > 2ms by 1.1ms (55%)"},
		{"p99<5ms", true, 3.1e6, "p99 3.1ms < 5ms"},
		{"p50<=800us", true, 8e5, "p50 800µs <= 800µs"},
		{"p50<800us", false, 8e5, "p50 800µs = 800µs, want < 800µs"},
		{"lag_p99<50us", true, 4e4, "lag_p99 40µs < 50µs"},
		{"error_rate<1%", false, 2, "error_rate 2% > 1% by 1% (100%)"},
		{"timeout_rate<1%", true, 0.5, "timeout_rate 0.5% < 1%"},
		{"denied_rate<=1%", true, 1, "denied_rate 1% <= 1%"},
		{"achieved_rate>4900", false, 4800, "achieved_rate 4800/s < 4900/s by 100/s (2.04%)"},
		{"admitted_rate>=4000", true, 4656, "admitted_rate 4656/s >= 4000/s"},
		{"admitted_rate_error<2%", false, 3, "admitted_rate_error 3% > 2% by 1% (50%)"},
		{"admitted_rate_error<5%", true, 3, "admitted_rate_error 3% < 5%"},
		{"max>0s", true, 2e7, "max 20ms > 0s"},
	}
	for _, c := range cases {
		t.Run(c.threshold+" on a run with p99 3.1ms and 2% errors", func(t *testing.T) {
			th, err := ParseThreshold(c.threshold)
			if err != nil {
				t.Fatal(err)
			}
			ok, observed, msg := th.Check(r)
			if ok != c.ok || observed != c.observed || msg != c.msg {
				t.Errorf("got %v, %v, %q; want %v, %v, %q", ok, observed, msg, c.ok, c.observed, c.msg)
			}
		})
	}
	t.Run("admitted_rate_error fails on a result without limiter extras", func(t *testing.T) {
		th, _ := ParseThreshold("admitted_rate_error<2%")
		ok, _, msg := th.Check(&result.Result{Counts: result.Counts{Completed: 1}})
		if ok || !strings.Contains(msg, "only rate limiter runs") {
			t.Errorf("got %v, %q", ok, msg)
		}
	})
	t.Run("admitted_rate_error reads a JSON number or an integer", func(t *testing.T) {
		th, _ := ParseThreshold("admitted_rate_error<2%")
		for _, v := range []any{1.5, int64(1), 1} {
			rr := &result.Result{Extras: map[string]map[string]any{result.LimiterExtrasKey: {result.AdmittedRateErrorKey: v}}}
			if ok, _, msg := th.Check(rr); !ok {
				t.Errorf("%T %v: %s", v, v, msg)
			}
		}
		rr := &result.Result{Extras: map[string]map[string]any{result.LimiterExtrasKey: {result.AdmittedRateErrorKey: "1"}}}
		if ok, _, msg := th.Check(rr); ok || !strings.Contains(msg, "not a number") {
			t.Errorf("a string passed: %s", msg)
		}
	})
	t.Run("latency and error thresholds fail on a run that completed nothing", func(t *testing.T) {
		for _, s := range []string{"p99<1s", "error_rate<50%"} {
			th, _ := ParseThreshold(s)
			if ok, _, msg := th.Check(&result.Result{}); ok || !strings.Contains(msg, "no completed ops") {
				t.Errorf("%s: got %v, %q", s, ok, msg)
			}
		}
	})
	t.Run("every listed metric evaluates", func(t *testing.T) {
		for _, name := range ThresholdMetrics() {
			var th Threshold
			var err error
			switch {
			case strings.HasSuffix(name, "_rate") && name != "achieved_rate" && name != "admitted_rate" && name != "offered_rate", name == "admitted_rate_error":
				th, err = ParseThreshold(name + "<100%")
			case strings.HasSuffix(name, "_rate"):
				th, err = ParseThreshold(name + ">=0")
			default:
				th, err = ParseThreshold(name + "<1h")
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if ok, _, msg := th.Check(r); !ok {
				t.Errorf("%s: %s", name, msg)
			}
		}
	})
}
