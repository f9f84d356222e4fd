package reports

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
)

// splitRun records the same ops into a "whole" recorder and alternately into two
// "half" recorders, as two processes sharing a load would.
func splitRun(t *testing.T) (whole, a, b *result.Result) {
	t.Helper()
	base := makeResult(t, fixture{impl: "mutex", conc: 4, ops: 1, baseNs: 100, seed: 9})
	recs := []*metrics.Recorder{metrics.NewRecorder(1), metrics.NewRecorder(1), metrics.NewRecorder(1)}
	for i := range 20000 {
		lat := int64(100 + (i*7919)%50000)
		o := impls.OK
		if i%10 == 0 {
			o = impls.Denied
		}
		recs[0].Record(0, 0, lat/3, lat, o)
		recs[1+i%2].Record(0, 0, lat/3, lat, o)
	}
	build := func(rec *metrics.Recorder, seed int64) *result.Result {
		rec.Collect()
		tot := rec.Totals()
		r := *base
		r.Params.Seed = seed
		r.Counts = result.Counts{Offered: tot.Completed(), Completed: tot.Completed(), OK: tot.Counts[impls.OK], Denied: tot.Counts[impls.Denied]}
		r.Latency = result.Latencies{Response: result.Summarize(tot.Response), Service: result.Summarize(tot.Service), Lag: result.SummarizePtr(tot.Lag)}
		r.Histogram.Response, _ = result.EncodeHistogram(tot.Response)
		r.Histogram.Service, _ = result.EncodeHistogram(tot.Service)
		r.Histogram.Lag, _ = result.EncodeHistogram(tot.Lag)
		r.DurationNs = int64(time.Second)
		r.Series = []result.Interval{{OffsetNs: 0, DurationNs: int64(time.Second), Achieved: float64(tot.Completed()), OK: tot.Counts[impls.OK], Denied: tot.Counts[impls.Denied], ResponseP99: tot.Response.ValueAtQuantile(99)}}
		if err := r.Validate(); err != nil {
			t.Fatal(err)
		}
		return &r
	}
	return build(recs[0], 1), build(recs[1], 2), build(recs[2], 3)
}

func TestMergeOfTwoHalvesEqualsTheWhole(t *testing.T) {
	t.Parallel()
	whole, a, b := splitRun(t)
	m, err := Merge([]*result.Result{a, b}, false)
	if err != nil {
		t.Fatal(err)
	}
	if m.Counts != whole.Counts {
		t.Errorf("counts = %+v, want %+v", m.Counts, whole.Counts)
	}
	if !reflect.DeepEqual(m.Latency, whole.Latency) {
		t.Errorf("latency summaries differ:\n got %+v\nwant %+v", m.Latency, whole.Latency)
	}
	if m.Rates.Achieved != float64(whole.Counts.Completed) {
		t.Errorf("achieved rate over 1 s = %v, want %d", m.Rates.Achieved, whole.Counts.Completed)
	}
	if len(m.Series) != 1 || m.Series[0].OK != whole.Counts.OK {
		t.Errorf("series = %+v, want one interval with %d ok", m.Series, whole.Counts.OK)
	}
	if err := m.Validate(); err != nil {
		t.Errorf("merged result does not validate: %v", err)
	}
	if a.Counts.Completed+b.Counts.Completed != m.Counts.Completed || a.Repetition != whole.Repetition {
		t.Errorf("inputs were modified")
	}
}

func TestMergeDropsThePartsThresholdVerdicts(t *testing.T) {
	t.Parallel()
	_, a, b := splitRun(t)
	pass := 1.0
	a.Thresholds = []result.ThresholdVerdict{{Expression: "count>0", Metric: "ops count", Unit: "ops", Value: &pass, Op: ">", Pass: true, Message: "count 1 > 0"}}
	b.Aborted, b.Interrupted = "count<1 failed after 1s of the 2s window: count 5 > 1", true
	m, err := Merge([]*result.Result{a, b}, false)
	if err != nil {
		t.Fatal(err)
	}
	if m.Thresholds != nil {
		t.Errorf("the merge carries a part's verdicts %+v: they hold for the part, not the merge", m.Thresholds)
	}
	if !m.Interrupted || m.Aborted != b.Aborted {
		t.Errorf("interrupted %v, aborted %q: want the stopped part's reason", m.Interrupted, m.Aborted)
	}
}

func TestMergeRefusesDifferentConfigurationsUnlessForced(t *testing.T) {
	t.Parallel()
	a := makeResult(t, fixture{impl: "mutex", conc: 4, ops: 100, baseNs: 100, seed: 1})
	tests := []struct {
		name   string
		mutate func(r *result.Result)
		refuse bool
	}{
		{"another seed is the same configuration", func(r *result.Result) { r.Params.Seed = 42 }, false},
		{"another concurrency is refused", func(r *result.Result) { r.Params.Concurrency = 8 }, true},
		{"another implementation is refused", func(r *result.Result) { r.Impl = "rwmutex" }, true},
		{"another read ratio is refused", func(r *result.Result) { r.Params.ReadRatio = 0.9 }, true},
		{"another family parameter is refused", func(r *result.Result) { r.Params.Family = map[string]string{"limit": "5"} }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := *a
			tt.mutate(&b)
			_, err := Merge([]*result.Result{a, &b}, false)
			var mismatch *ConfigMismatchError
			if got := errors.As(err, &mismatch); got != tt.refuse {
				t.Fatalf("Merge error = %v, want refusal %v", err, tt.refuse)
			}
			if m, err := Merge([]*result.Result{a, &b}, true); err != nil || m.Counts.Completed != 2*a.Counts.Completed {
				t.Errorf("forced merge = %v, %v", m, err)
			}
		})
	}
}

func TestMergeOfNothingIsAnError(t *testing.T) {
	t.Parallel()
	if _, err := Merge(nil, true); err == nil {
		t.Error("Merge(nil) succeeded")
	}
}
