package metrics

import (
	"errors"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/result"
)

// parsed is what a threshold means, the fields a test compares.
type parsed struct {
	metric, stat string
	q            float64
	key, value   string
	op           string
	limit        float64
	unit         string
}

func meaning(t Threshold) parsed {
	return parsed{t.Metric, t.Stat, t.Quantile, t.SplitKey, t.SplitValue, t.Op, t.Limit, t.Unit()}
}

func TestParseThreshold(t *testing.T) {
	good := []struct {
		in   string
		want parsed
		name string
	}{
		// Ours, as before.
		{"p99<2ms", parsed{"response", "p", 99, "", "", "<", 2e6, "ns"}, "response p(99)"},
		{" P50 <= 500us ", parsed{"response", "p", 50, "", "", "<=", 5e5, "ns"}, "response p(50)"},
		{"p999<1.5ms", parsed{"response", "p", 99.9, "", "", "<", 1.5e6, "ns"}, "response p(99.9)"},
		{"p9999 < 1.5s", parsed{"response", "p", 99.99, "", "", "<", 1.5e9, "ns"}, "response p(99.99)"},
		{"max<1s", parsed{"response", "max", 0, "", "", "<", 1e9, "ns"}, "response max"},
		{"lag_p99<100µs", parsed{"lag", "p", 99, "", "", "<", 1e5, "ns"}, "lag p(99)"},
		{"service_mean<=50ns", parsed{"service", "avg", 0, "", "", "<=", 50, "ns"}, "service avg"},
		{"error_rate<1%", parsed{"errors", "rate", 0, "", "", "<", 0.01, "ratio"}, "errors rate"},
		{"denied_rate >= 0.5 %", parsed{"denied", "rate", 0, "", "", ">=", 0.005, "ratio"}, "denied rate"},
		{"achieved_rate>4900", parsed{"ops", "rate", 0, "", "", ">", 4900, "ops/s"}, "ops rate"},
		{"admitted_rate>=100/s", parsed{"admitted", "rate", 0, "", "", ">=", 100, "ops/s"}, "admitted rate"},
		{"admitted_rate_error<2%", parsed{"admitted_rate_error", "", 0, "", "", "<", 2, "percent"}, "admitted_rate_error"},
		// Any percentile, ours.
		{"p95<1ms", parsed{"response", "p", 95, "", "", "<", 1e6, "ns"}, "response p(95)"},
		{"p99.9<1ms", parsed{"response", "p", 99.9, "", "", "<", 1e6, "ns"}, "response p(99.9)"},
		{"p100<1s", parsed{"response", "p", 100, "", "", "<", 1e9, "ns"}, "response p(100)"},
		{"p995<1ms", parsed{"response", "p", 99.5, "", "", "<", 1e6, "ns"}, "response p(99.5)"},
		// k6's grammar, unchanged.
		{"p(95)<500ms", parsed{"response", "p", 95, "", "", "<", 5e8, "ns"}, "response p(95)"},
		{"p(95) < 500", parsed{"response", "p", 95, "", "", "<", 5e8, "ns"}, "response p(95)"},
		{"p(99.9)<2000", parsed{"response", "p", 99.9, "", "", "<", 2e9, "ns"}, "response p(99.9)"},
		{"avg<1ms", parsed{"response", "avg", 0, "", "", "<", 1e6, "ns"}, "response avg"},
		{"med<200us", parsed{"response", "p", 50, "", "", "<", 2e5, "ns"}, "response p(50)"},
		{"min<100", parsed{"response", "min", 0, "", "", "<", 1e8, "ns"}, "response min"},
		{"max<=1.5", parsed{"response", "max", 0, "", "", "<=", 1.5e6, "ns"}, "response max"},
		{"count>1000", parsed{"ops", "count", 0, "", "", ">", 1000, "ops"}, "ops count"},
		{"errors:rate<0.01", parsed{"errors", "rate", 0, "", "", "<", 0.01, "ratio"}, "errors rate"},
		{"errors: rate < 1%", parsed{"errors", "rate", 0, "", "", "<", 0.01, "ratio"}, "errors rate"},
		{"ops:rate>=4900", parsed{"ops", "rate", 0, "", "", ">=", 4900, "ops/s"}, "ops rate"},
		{"service:p(99)!=0", parsed{"service", "p", 99, "", "", "!=", 0, "ns"}, "service p(99)"},
		{"count===10", parsed{"ops", "count", 0, "", "", "==", 10, "ops"}, "ops count"},
		// Splits, in k6's tag syntax, after the aggregation or the metric.
		{"p99{kind:write}<1ms", parsed{"response", "p", 99, "kind", "write", "<", 1e6, "ns"}, "response{kind:write} p(99)"},
		{"p(99){outcome:denied}<2ms", parsed{"response", "p", 99, "outcome", "denied", "<", 2e6, "ns"}, "response{outcome:denied} p(99)"},
		{"service{kind:read}:avg<1us", parsed{"service", "avg", 0, "kind", "read", "<", 1e3, "ns"}, "service{kind:read} avg"},
		{"ops{outcome:error}:count<5", parsed{"ops", "count", 0, "outcome", "error", "<", 5, "ops"}, "ops{outcome:error} count"},
		{"count{ kind : write } > 1", parsed{"ops", "count", 0, "kind", "write", ">", 1, "ops"}, "ops{kind:write} count"},
	}
	for _, c := range good {
		t.Run("parses "+c.in, func(t *testing.T) {
			got, err := ParseThreshold(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if meaning(got) != c.want || got.Name() != c.name {
				t.Errorf("got %+v named %q, want %+v named %q", meaning(got), got.Name(), c.want, c.name)
			}
			if got.String() != strings.TrimSpace(c.in) {
				t.Errorf("String() = %q, want the text as given", got.String())
			}
			again, err := ParseThreshold(got.String())
			if err != nil || again != got {
				t.Errorf("String() does not parse back: %+v, %v", again, err)
			}
		})
	}
	bad := []struct{ in, want string }{
		{"p99 2ms", "no comparison"},
		{"p99 = 2ms", `"=" is not a comparison`},
		{"<2ms", "no metric"},
		{"p101<2ms", `unknown metric "p101"`},
		{"p(101)<2ms", `unknown metric "p(101)"`},
		{"latency<2ms", "admitted_rate_error"},
		{"p99<", `no value after "<"`},
		{"p99<-2ms", "not a duration"},
		{"p99<fast", "not a duration"},
		{"p99<<2ms", "second comparison"},
		{"error_rate<1", `error_rate value "1" is not a percentage`},
		{"error_rate<-1%", "not a percentage"},
		{"errors:rate<2", `"2" is not a ratio`},
		{"errors:rate<101%", "not a percentage"},
		{"rate<0.01", "rate needs a metric"},
		{"errors:p99<1ms", "its aggregation is rate"},
		{"ops:avg<1", "aggregations are count and rate"},
		{"http_req_failed:rate<0.01", "k6's http_req_failed is errors here"},
		{"http_req_duration:p(95)<500", "k6's http_req_duration is response here"},
		{"latency:p99<1ms", `unknown metric "latency"`},
		{"achieved_rate>fast", `"fast" is not a rate`},
		{"achieved_rate>NaN", "not a rate"},
		{"p99{kind:writes}<1ms", `"writes" is not a kind (allowed: read, write`},
		{"p99{method:GET}<1ms", "is not {kind:VALUE} or {outcome:VALUE}"},
		{"p99{kind:write,outcome:ok}<1ms", "names several tags"},
		{"response{kind:read}:p99{kind:write}<1ms", "two splits"},
		{"lag{kind:read}:p99<1ms", "lag has no splits"},
		{"errors{kind:write}:rate<0.01", "errors has no splits"},
		{"p99{kind:write<1ms", "unbalanced braces"},
		{"p501<1ms", `unknown metric "p501"`},
		{"count<lots", "not a count"},
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

// splitOf is a split group holding values, its summaries by Summarize.
func splitOf(t *testing.T, kind, outcome string, values ...int64) result.Split {
	t.Helper()
	h := result.NewHistogram()
	for _, v := range values {
		_ = h.RecordValue(v)
	}
	enc, err := result.EncodeHistogram(h)
	if err != nil {
		t.Fatal(err)
	}
	s := result.Summarize(h)
	return result.Split{Kind: kind, Outcome: outcome, Count: int64(len(values)),
		Latency: result.Latencies{Response: s, Service: s}, Histogram: result.Histograms{Response: enc, Service: enc}}
}

func TestThresholdCheck(t *testing.T) {
	r := &result.Result{
		DurationNs: int64(time.Second),
		Counts:     result.Counts{Offered: 1000, Completed: 1000, OK: 970, Denied: 10, Timeout: 5, Error: 15},
		Rates:      result.Rates{Offered: 5000, Achieved: 4800, Admitted: 4656},
		Latency: result.Latencies{
			Response: result.LatencySummary{Count: 1000, Mean: 9e5, Min: 1000, P50: int64(800 * time.Microsecond), P99: int64(3100 * time.Microsecond), Max: int64(20 * time.Millisecond)},
			Service:  result.LatencySummary{Count: 1000, Mean: 4e5, P99: int64(time.Millisecond)},
			Lag:      &result.LatencySummary{Count: 1000, P99: int64(40 * time.Microsecond)},
		},
		Split: []result.Split{
			splitOf(t, "write", "", 1000, 2000, 3000, 4000, 5_000_000),
			splitOf(t, "", "denied", 500, 600),
		},
		Extras: map[string]map[string]any{result.LimiterExtrasKey: {result.AdmittedRateErrorKey: -3.0}},
	}
	// Histograms for the percentiles the summaries do not hold: any values
	// will do, the checks of them below are on the splits.
	for _, enc := range []*string{&r.Histogram.Response, &r.Histogram.Service, &r.Histogram.Lag} {
		*enc, _ = result.EncodeHistogram(holdsAll(1000, 2000))
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
		{"error_rate<1%", false, 0.02, "error_rate 2% > 1% by 1% (100%)"},
		{"timeout_rate<1%", true, 0.005, "timeout_rate 0.5% < 1%"},
		{"denied_rate<=1%", true, 0.01, "denied_rate 1% <= 1%"},
		{"achieved_rate>4900", false, 4800, "achieved_rate 4800/s < 4900/s by 100/s (2.04%)"},
		{"admitted_rate>=4000", true, 4656, "admitted_rate 4656/s >= 4000/s"},
		{"admitted_rate_error<2%", false, 3, "admitted_rate_error 3% > 2% by 1% (50%)"},
		{"admitted_rate_error<5%", true, 3, "admitted_rate_error 3% < 5%"},
		{"max>0s", true, 2e7, "max 20ms > 0s"},
		// k6's spelling of the same figures.
		{"p(99)<5", true, 3.1e6, "p(99) 3.1ms < 5ms"},
		{"avg<1ms", true, 9e5, "avg 900µs < 1ms"},
		{"med<200us", false, 8e5, "med 800µs > 200µs by 600µs (300%)"},
		{"min<=1us", true, 1000, "min 1µs <= 1µs"},
		{"service:avg<1ms", true, 4e5, "service:avg 400µs < 1ms"},
		{"errors:rate<0.01", false, 0.02, "errors:rate 2% > 1% by 1% (100%)"},
		{"errors:rate<0.05", true, 0.02, "errors:rate 2% < 5%"},
		{"denied:rate==0.01", true, 0.01, "denied:rate 1% == 1%"},
		{"count>=1000", true, 1000, "count 1000 >= 1000"},
		{"ops:rate>5000", false, 4800, "ops:rate 4800/s < 5000/s by 200/s (4%)"},
		{"offered:count==1000", true, 1000, "offered:count 1000 == 1000"},
		{"admitted:count!=970", false, 970, "admitted:count 970 = 970, want != 970"},
		// Splits: the summary's percentiles, and any other from the
		// histogram, by the rounded-up rank: of 5 values p60 is the 3rd,
		// p80 the 4th, p81 the 5th.
		{"p99{kind:write}<1ms", false, 5001215, "p99{kind:write} 5ms > 1ms by 4ms (400%)"},
		{"p(50){kind:write}<5us", true, 3001, "p(50){kind:write} 3µs < 5µs"},
		{"p(60){kind:write}<5us", true, 3001, "p(60){kind:write} 3µs < 5µs"},
		{"p(80){kind:write}<5us", true, 4001, "p(80){kind:write} 4µs < 5µs"},
		{"p(81){kind:write}<5us", false, 5001215, "p(81){kind:write} 5ms > 5µs by 5ms (99924%)"},
		{"response{outcome:denied}:max<1us", true, 600, "response{outcome:denied}:max 600ns < 1µs"},
		{"ops{kind:write}:count==5", true, 5, "ops{kind:write}:count 5 == 5"},
		{"ops{kind:read}:count==0", true, 0, "ops{kind:read}:count 0 == 0"},
		{"ops{outcome:denied}:rate<3", true, 2, "ops{outcome:denied}:rate 2/s < 3/s"},
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
			v := th.Verdict(r)
			if v.Expression != c.threshold || v.Pass != c.ok || v.Value == nil || *v.Value != c.observed || v.Limit != th.Limit || v.Unit != th.Unit() || v.Metric != th.Name() || v.Message != c.msg {
				t.Errorf("verdict %+v does not state the check", v)
			}
		})
	}
	t.Run("a split the run does not have fails, naming the ones it has", func(t *testing.T) {
		th, _ := ParseThreshold("p99{kind:read}<1s")
		v := th.Verdict(r)
		if v.Pass || v.Value != nil || !strings.Contains(v.Message, "no read ops") || !strings.Contains(v.Message, "[write denied]") {
			t.Errorf("got %+v", v)
		}
	})
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
		for _, s := range []string{"p99<1s", "error_rate<50%", "p(95)<500", "errors:rate<0.5"} {
			th, _ := ParseThreshold(s)
			if v := th.Verdict(&result.Result{}); v.Pass || v.Value != nil || !strings.Contains(v.Message, "no completed ops") {
				t.Errorf("%s: got %+v", s, v)
			}
		}
	})
	t.Run("a closed loop's lag fails", func(t *testing.T) {
		th, _ := ParseThreshold("lag_p99<1s")
		closed := *r
		closed.Latency.Lag = nil
		if ok, _, msg := th.Check(&closed); ok || !strings.Contains(msg, "closed loop has no lag") {
			t.Errorf("got %v, %q", ok, msg)
		}
	})
	t.Run("every listed metric evaluates", func(t *testing.T) {
		for _, name := range ThresholdMetrics() {
			expr := name + "<1h"
			switch {
			case strings.HasSuffix(name, "_rate") && legacyShares[name] != "", name == "admitted_rate_error":
				expr = name + "<100%"
			case strings.HasSuffix(name, "_rate"):
				expr = name + ">=0"
			case kindOf(name) == shareMetric:
				expr = name + ":rate<=1"
			case kindOf(name) == counterMetric && thresholdMetrics[name] == counterMetric:
				expr = name + ":count>=0"
			case name == "response" || name == "service" || name == "lag":
				expr = name + ":p(99)<1h"
			}
			th, err := ParseThreshold(expr)
			if err != nil {
				t.Fatalf("%s: %v", expr, err)
			}
			if ok, _, msg := th.Check(r); !ok {
				t.Errorf("%s: %s", expr, msg)
			}
		}
	})
}

// holdsAll is an hdr histogram of values, to compare with a split's.
func holdsAll(values ...int64) *hdr.Histogram {
	h := result.NewHistogram()
	for _, v := range values {
		_ = h.RecordValue(v)
	}
	return h
}

func TestVerdictsKeepTheOrderGiven(t *testing.T) {
	ths, err := ParseThresholds([]string{"count>0", "p(95)<1ms", "errors:rate<0.01"})
	if err != nil {
		t.Fatal(err)
	}
	r := &result.Result{Counts: result.Counts{Completed: 3, OK: 3}, Latency: result.Latencies{Response: result.Summarize(holdsAll(10, 20, 30))}}
	enc, _ := result.EncodeHistogram(holdsAll(10, 20, 30))
	r.Histogram.Response = enc
	vs := Verdicts(ths, r)
	if len(vs) != 3 {
		t.Fatalf("%d verdicts for 3 thresholds", len(vs))
	}
	for i, v := range vs {
		if v.Expression != ths[i].Text || !v.Pass {
			t.Errorf("verdict %d: %+v", i, v)
		}
	}
	if Verdicts(nil, r) != nil {
		t.Errorf("no thresholds gave verdicts")
	}
}
