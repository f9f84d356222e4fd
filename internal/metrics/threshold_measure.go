package metrics

import (
	"errors"
	"fmt"
	"math"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/result"
)

// metricKind is the type of a threshold metric, as k6 types its metrics: it
// decides the aggregations allowed and the unit.
type metricKind uint8

const (
	timingMetric  metricKind = iota // a latency distribution (k6's Trend): p(N), avg, min, max
	shareMetric                     // a share of the completed ops (k6's Rate): rate
	counterMetric                   // a count of ops (k6's Counter): count, rate (per second)
	limiterMetric                   // admitted_rate_error: a limiter's rate error, percent
)

// thresholdMetrics are the metrics a threshold can name, with their type.
var thresholdMetrics = map[string]metricKind{
	"response": timingMetric, "service": timingMetric, "lag": timingMetric,
	"errors": shareMetric, "timeouts": shareMetric, "denied": shareMetric,
	"ops": counterMetric, "admitted": counterMetric, "offered": counterMetric,
	"admitted_rate_error": limiterMetric,
}

func kindOf(metric string) metricKind { return thresholdMetrics[metric] }

// splitValues are the values each split key takes: the op kinds and the
// outcomes a result's Split groups are named by.
var splitValues = map[string][]string{
	"kind":    {"read", "write", "acquire", "allow", "delete"},
	"outcome": {"ok", "denied", "timeout", "error", "unfinished"},
}

// histogramSource gives the histogram of a timing ("response", "service",
// "lag") of all ops (split nil) or of a split group, for percentiles the
// summaries do not hold.
type histogramSource interface {
	histogram(timing string, split *result.Split) (*hdr.Histogram, error)
}

// storedHistograms decodes the histograms a result holds.
type storedHistograms struct{ r *result.Result }

func (s storedHistograms) histogram(timing string, split *result.Split) (*hdr.Histogram, error) {
	hs := s.r.Histogram
	if split != nil {
		hs = split.Histogram
	}
	enc := map[string]string{"response": hs.Response, "service": hs.Service, "lag": hs.Lag}[timing]
	return result.DecodeHistogram(enc)
}

// measure returns the threshold's figure of r in its unit.
func (t Threshold) measure(r *result.Result, hs histogramSource) (float64, error) {
	switch kindOf(t.Metric) {
	case timingMetric:
		return t.timing(r, hs)
	case shareMetric:
		if r.Counts.Completed == 0 {
			return 0, fmt.Errorf("no completed ops to measure %s on", t.label)
		}
		c := r.Counts
		n := map[string]int64{"errors": c.Error + c.Timeout, "timeouts": c.Timeout, "denied": c.Denied}[t.Metric]
		return float64(n) / float64(c.Completed), nil
	case counterMetric:
		return t.counter(r)
	}
	return admittedRateError(r)
}

// timing measures a latency statistic of all ops or of a split group.
func (t Threshold) timing(r *result.Result, hs histogramSource) (float64, error) {
	var split *result.Split
	var sum result.LatencySummary
	switch {
	case t.SplitKey != "":
		g, ok := r.SplitGroup(t.SplitValue)
		if !ok || g.Latency.Response.Count == 0 {
			return 0, fmt.Errorf("no %s ops to measure %s on (the run has %s)", t.SplitValue, t.label, splitList(r))
		}
		split = &g
		sum = map[string]result.LatencySummary{"response": g.Latency.Response, "service": g.Latency.Service}[t.Metric]
	case t.Metric == "lag":
		if r.Latency.Lag == nil {
			return 0, errors.New("a closed loop has no lag (intended = started)")
		}
		sum = *r.Latency.Lag
	case t.Metric == "service":
		sum = r.Latency.Service
	default:
		sum = r.Latency.Response
	}
	if r.Counts.Completed == 0 {
		return 0, fmt.Errorf("no completed ops to measure %s on", t.label)
	}
	switch t.Stat {
	case "avg":
		return sum.Mean, nil
	case "min":
		return float64(sum.Min), nil
	case "max":
		return float64(sum.Max), nil
	}
	// The summary holds the common percentiles (computed by the same
	// function); any other is read from the histogram.
	if v, ok := storedPercentile(sum, t.Quantile); ok {
		return float64(v), nil
	}
	h, err := hs.histogram(t.Metric, split)
	if err != nil {
		return 0, err
	}
	return float64(result.ValueAtQuantile(h, t.Quantile)), nil
}

// storedPercentile returns percentile q from a summary when it holds it.
func storedPercentile(s result.LatencySummary, q float64) (int64, bool) {
	switch q {
	case 50:
		return s.P50, true
	case 90:
		return s.P90, true
	case 99:
		return s.P99, true
	case 99.9:
		return s.P999, true
	case 99.99:
		return s.P9999, true
	case 100:
		return s.Max, true
	}
	return 0, false
}

// counter measures an op count or its rate per second over the window.
func (t Threshold) counter(r *result.Result) (float64, error) {
	var n int64
	var rate float64
	switch {
	case t.SplitKey != "":
		g, _ := r.SplitGroup(t.SplitValue) // absent: no op of the group, a count of 0
		n = g.Count
		if r.DurationNs > 0 {
			rate = float64(n) / (float64(r.DurationNs) / 1e9)
		}
	case t.Metric == "admitted":
		n, rate = r.Counts.OK, r.Rates.Admitted
	case t.Metric == "offered":
		n, rate = r.Counts.Offered, r.Rates.Offered
	default:
		n, rate = r.Counts.Completed, r.Rates.Achieved
	}
	if t.Stat == "count" {
		return float64(n), nil
	}
	return rate, nil
}

// splitList names r's split groups for a message, or says it has none.
func splitList(r *result.Result) string {
	names := r.SplitNames()
	if len(names) == 0 {
		return "no splits"
	}
	return fmt.Sprint(names)
}

// admittedRateError reads the limiter's rate error from the result's extras. It is
// compared as an absolute value: a limiter that admits 3% too little is as far
// off its limit as one that admits 3% too much.
func admittedRateError(r *result.Result) (float64, error) {
	group, ok := r.Extras[result.LimiterExtrasKey]
	if !ok {
		return 0, fmt.Errorf("the result has no extras.%s (only rate limiter runs report admitted_rate_error)", result.LimiterExtrasKey)
	}
	v, ok := group[result.AdmittedRateErrorKey]
	if !ok {
		return 0, fmt.Errorf("extras.%s has no %s", result.LimiterExtrasKey, result.AdmittedRateErrorKey)
	}
	f, ok := number(v)
	if !ok {
		return 0, fmt.Errorf("extras.%s.%s is %T, not a number", result.LimiterExtrasKey, result.AdmittedRateErrorKey, v)
	}
	return math.Abs(f), nil
}

// number converts an Extras value to float64: JSON decodes numbers as float64,
// but a Result built in-process may hold any numeric type.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint64:
		return float64(x), true
	case uint32:
		return float64(x), true
	}
	return 0, false
}
