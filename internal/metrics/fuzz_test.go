package metrics

import (
	"testing"

	"github.com/syncbench/syncbench/result"
)

func FuzzParseThreshold(f *testing.F) {
	for _, s := range []string{"p99<2ms", "p50 <= 500us", "error_rate<1%", "achieved_rate>4900", "achieved_rate>=4900/s",
		"admitted_rate_error<2%", "lag_p99<1ms", "service_max<1s", "p99<<1ms", "p99<-1ms", "error_rate<NaN%", "max>", "<1ms", "p9999 < 1.5s",
		"p(95)<500", "avg<1ms", "med<200us", "errors:rate<0.01", "count>1000", "p99{kind:write}<1ms", "response{outcome:denied}:p(99.9)<=2ms", "ops:rate!=0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		th, err := ParseThreshold(s)
		if err != nil {
			if _, ok := err.(*ThresholdError); !ok {
				t.Fatalf("ParseThreshold(%q) error %T is not a *ThresholdError", s, err)
			}
			return
		}
		if th.Limit < 0 || th.Limit != th.Limit {
			t.Fatalf("ParseThreshold(%q) accepted limit %v", s, th.Limit)
		}
		back, err := ParseThreshold(th.String())
		if err != nil {
			t.Fatalf("%q parsed to %+v, whose String %q does not parse: %v", s, th, th.String(), err)
		}
		if back.Metric != th.Metric || back.Op != th.Op || back.String() != th.String() {
			t.Fatalf("%q: %q parses back to %q", s, th.String(), back.String())
		}
		var r result.Result // Check never panics, even on an empty result
		th.Check(&r)
	})
}
