package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/result"
)

// interval is one second of ops of latency ns each, n of them errors.
func interval(i int, ops int, ns int64, errors int) (IntervalSample, result.Interval) {
	s := IntervalSample{Response: result.NewHistogram(), Service: result.NewHistogram()}
	_ = s.Response.RecordValues(ns, int64(ops))
	_ = s.Service.RecordValues(ns/2, int64(ops))
	s.Counts[impls.OK] = int64(ops - errors)
	s.Counts[impls.Error] = int64(errors)
	sec := int64(time.Second)
	return s, result.Interval{OffsetNs: int64(i) * sec, DurationNs: sec, OK: int64(ops - errors), Error: int64(errors)}
}

func mustParse(t *testing.T, list ...string) []Threshold {
	t.Helper()
	ths, err := ParseThresholds(list)
	if err != nil {
		t.Fatal(err)
	}
	return ths
}

func TestLiveCheckFailsOnTheFirstBreachAfterTheDelay(t *testing.T) {
	c := NewLiveCheck(mustParse(t, "count>=0", "p(95)<1ms", "errors:rate<0.01"), 2*time.Second, 10*time.Second)
	feed := func(i, ops int, ns int64, errs int) (result.ThresholdVerdict, string, bool) {
		s, iv := interval(i, ops, ns, errs)
		c.Sample(s, iv.OffsetNs, iv.DurationNs)
		return c.Interval(iv)
	}
	// Second 1: every op slow, but the delay has not passed.
	if _, reason, failed := feed(0, 100, int64(5*time.Millisecond), 0); failed {
		t.Fatalf("a breach inside the delay aborted: %s", reason)
	}
	// Second 2: 900 fast ops bring p95 back under 1ms, cumulatively:
	// 100 slow of 1000 is 10% > 5%, so p95 is still slow.
	v, reason, failed := feed(1, 900, int64(100*time.Microsecond), 0)
	if !failed || v.Expression != "p(95)<1ms" || v.Pass || v.Value == nil {
		t.Fatalf("at 2s with 10%% slow ops: failed %v, verdict %+v", failed, v)
	}
	for _, want := range []string{"p(95)<1ms failed after 2s of the 10s window", "p(95) 5ms > 1ms"} {
		if !strings.Contains(reason, want) {
			t.Errorf("reason %q lacks %q", reason, want)
		}
	}
}

func TestLiveCheckPassesWhatHoldsSoFar(t *testing.T) {
	c := NewLiveCheck(mustParse(t, "p(95)<1ms", "errors:rate<0.01", "ops:rate>=500"), 0, 10*time.Second)
	for i := range 3 {
		s, iv := interval(i, 1000, int64(100*time.Microsecond), 5) // 0.5% errors
		c.Sample(s, iv.OffsetNs, iv.DurationNs)
		if _, reason, failed := c.Interval(iv); failed {
			t.Fatalf("second %d: %s", i+1, reason)
		}
	}
	// Then errors climb: 60 of 1000 this second, 75 of 4000 in all (1.9%).
	s, iv := interval(3, 1000, int64(100*time.Microsecond), 60)
	c.Sample(s, iv.OffsetNs, iv.DurationNs)
	v, reason, failed := c.Interval(iv)
	if !failed || v.Expression != "errors:rate<0.01" || *v.Value != 75.0/4000 {
		t.Fatalf("errors at 1.9%%: failed %v, %+v, %s", failed, v, reason)
	}
}

func TestLiveCheckChecksOnlyTheWindowAndTheLiveThresholds(t *testing.T) {
	if c := NewLiveCheck(mustParse(t, "p99{kind:write}<1ms", "admitted_rate_error<1%", "offered:count>1"), 0, time.Second); c != nil {
		t.Errorf("thresholds that need the finished result gave a live check")
	}
	c := NewLiveCheck(mustParse(t, "p99{kind:write}<1ns", "max<1ms"), 0, time.Second)
	s, iv := interval(1, 10, int64(time.Second), 0) // the drain after a 1 s window
	c.Sample(s, iv.OffsetNs, iv.DurationNs)
	if _, reason, failed := c.Interval(iv); failed {
		t.Errorf("an interval past the window was checked: %s", reason)
	}
}
