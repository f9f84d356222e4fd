package metrics

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// Result.Extras keys that thresholds read. The limiter family stores
// LimiterAccuracy.Map() under LimiterExtrasKey; admitted_rate_error reads its
// AdmittedRateErrorKey entry.

// thresholdUnit is what a threshold's value is measured in.
type thresholdUnit uint8

const (
	unitNs      thresholdUnit = iota // a Go duration, stored in ns
	unitPercent                      // a percentage, written with '%', stored as percent
	unitRate                         // ops/s, a plain number with an optional "/s"
)

// thresholdMetric is one metric a threshold can name.
type thresholdMetric struct {
	unit thresholdUnit
	// needOps marks metrics that are meaningless without completed ops: an empty
	// run must not pass a latency or error-rate check by having nothing to show.
	needOps bool
	get     func(r *result.Result) (float64, error)
}

var thresholdMetrics = func() map[string]thresholdMetric {
	m := map[string]thresholdMetric{}
	stats := map[string]func(result.LatencySummary) float64{
		"p50":   func(s result.LatencySummary) float64 { return float64(s.P50) },
		"p90":   func(s result.LatencySummary) float64 { return float64(s.P90) },
		"p99":   func(s result.LatencySummary) float64 { return float64(s.P99) },
		"p999":  func(s result.LatencySummary) float64 { return float64(s.P999) },
		"p9999": func(s result.LatencySummary) float64 { return float64(s.P9999) },
		"max":   func(s result.LatencySummary) float64 { return float64(s.Max) },
		"min":   func(s result.LatencySummary) float64 { return float64(s.Min) },
		"mean":  func(s result.LatencySummary) float64 { return s.Mean },
	}
	timings := map[string]func(*result.Result) (result.LatencySummary, error){
		"":          func(r *result.Result) (result.LatencySummary, error) { return r.Latency.Response, nil },
		"response_": func(r *result.Result) (result.LatencySummary, error) { return r.Latency.Response, nil },
		"service_":  func(r *result.Result) (result.LatencySummary, error) { return r.Latency.Service, nil },
		"lag_": func(r *result.Result) (result.LatencySummary, error) {
			if r.Latency.Lag == nil {
				return result.LatencySummary{}, errors.New("a closed loop has no lag (intended = started)")
			}
			return *r.Latency.Lag, nil
		},
	}
	for prefix, timing := range timings {
		for stat, f := range stats {
			m[prefix+stat] = thresholdMetric{unit: unitNs, needOps: true, get: func(r *result.Result) (float64, error) {
				s, err := timing(r)
				return f(s), err
			}}
		}
	}
	share := func(count func(result.Counts) int64) func(*result.Result) (float64, error) {
		return func(r *result.Result) (float64, error) {
			return 100 * float64(count(r.Counts)) / float64(r.Counts.Completed), nil
		}
	}
	m["error_rate"] = thresholdMetric{unit: unitPercent, needOps: true, get: share(func(c result.Counts) int64 { return c.Error + c.Timeout })}
	m["timeout_rate"] = thresholdMetric{unit: unitPercent, needOps: true, get: share(func(c result.Counts) int64 { return c.Timeout })}
	m["denied_rate"] = thresholdMetric{unit: unitPercent, needOps: true, get: share(func(c result.Counts) int64 { return c.Denied })}
	m["achieved_rate"] = thresholdMetric{unit: unitRate, get: func(r *result.Result) (float64, error) { return r.Rates.Achieved, nil }}
	m["admitted_rate"] = thresholdMetric{unit: unitRate, get: func(r *result.Result) (float64, error) { return r.Rates.Admitted, nil }}
	m["offered_rate"] = thresholdMetric{unit: unitRate, get: func(r *result.Result) (float64, error) { return r.Rates.Offered, nil }}
	m["admitted_rate_error"] = thresholdMetric{unit: unitPercent, get: admittedRateError}
	return m
}()

// allowedMetrics is the list shown when a threshold names an unknown metric.
const allowedMetrics = "p50, p90, p99, p999, p9999, max, min, mean (response latency; prefix service_ or lag_ for those timings, e.g. lag_p99), " +
	"error_rate, timeout_rate, denied_rate (percent of completed ops), " +
	"achieved_rate, admitted_rate, offered_rate (ops/s), admitted_rate_error (percent, limiters)"

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

// Threshold is a pass/fail condition on one metric of a Result, such as p99<2ms
// or error_rate<1%, as given to -threshold and listed in scenario files.
type Threshold struct {
	// Metric is the lower-case metric name, e.g. "p99", "lag_p99", "error_rate".
	Metric string
	// Op is one of "<", "<=", ">", ">=".
	Op string
	// Limit is the bound in the metric's unit: nanoseconds for latencies, percent
	// for *_rate percentages and admitted_rate_error, ops/s for rates.
	Limit float64
}

// ThresholdError reports a threshold that does not parse.
type ThresholdError struct {
	Text string // the threshold as given
	Msg  string // what is wrong and what is allowed
}

func (e *ThresholdError) Error() string {
	return fmt.Sprintf("bad threshold %q: %s", e.Text, e.Msg)
}

// ParseThreshold parses METRIC OP VALUE, e.g. "p99<2ms", "p50 <= 500us",
// "error_rate<1%", "achieved_rate>4900", "admitted_rate_error<2%". Latency values
// are Go durations, percentages need a '%', rates are ops/s with an optional
// "/s". Spaces around the parts are allowed and metric names are
// case-insensitive. Errors are *ThresholdError values naming the bad part and
// listing what is allowed.
func ParseThreshold(s string) (Threshold, error) {
	text := strings.TrimSpace(s)
	bad := func(format string, args ...any) (Threshold, error) {
		return Threshold{}, &ThresholdError{Text: text, Msg: fmt.Sprintf(format, args...)}
	}
	i := strings.IndexAny(text, "<>")
	if i < 0 {
		return bad("no comparison (allowed: METRIC<VALUE, <=, > or >=, e.g. p99<2ms)")
	}
	metric := strings.ToLower(strings.TrimSpace(text[:i]))
	op := text[i : i+1]
	rest := text[i+1:]
	if strings.HasPrefix(rest, "=") {
		op += "="
		rest = rest[1:]
	}
	value := strings.TrimSpace(rest)
	if metric == "" {
		return bad("no metric before %q (allowed metrics: %s)", op, allowedMetrics)
	}
	m, ok := thresholdMetrics[metric]
	if !ok {
		return bad("unknown metric %q (allowed metrics: %s)", metric, allowedMetrics)
	}
	if value == "" {
		return bad("no value after %q", op)
	}
	if strings.ContainsAny(value, "<>=") {
		return bad("value %q has a second comparison (allowed: one of <, <=, >, >=)", value)
	}
	limit, err := parseThresholdValue(m.unit, value)
	if err != nil {
		return bad("%s value %s", metric, err)
	}
	return Threshold{Metric: metric, Op: op, Limit: limit}, nil
}

// LimitersOnly reports whether the threshold's metric exists only in a rate
// limiter's result (admitted_rate_error reads Extras["limiter"]): on any
// other implementation it can never be checked, so the CLI refuses it before
// the run.
func (t Threshold) LimitersOnly() bool { return t.Metric == "admitted_rate_error" }

// OpenLoopOnly reports whether the threshold's metric exists only for an open
// loop (the lag_ timings: a closed loop starts each op when it is intended).
func (t Threshold) OpenLoopOnly() bool { return strings.HasPrefix(t.Metric, "lag_") }

// ParseThresholds parses each of list, stopping at the first error.
func ParseThresholds(list []string) ([]Threshold, error) {
	out := make([]Threshold, 0, len(list))
	for _, s := range list {
		t, err := ParseThreshold(s)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func parseThresholdValue(unit thresholdUnit, v string) (float64, error) {
	switch unit {
	case unitNs:
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return 0, fmt.Errorf("%q is not a duration (allowed: a Go duration ≥ 0 such as 500us, 2ms, 1.5s)", v)
		}
		return float64(d), nil
	case unitPercent:
		num, found := strings.CutSuffix(v, "%")
		f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if !found || err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
			return 0, fmt.Errorf("%q is not a percentage (allowed: a number ≥ 0 followed by %%, e.g. 1%% or 0.5%%)", v)
		}
		return f, nil
	default:
		num, _ := strings.CutSuffix(v, "/s")
		f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
			return 0, fmt.Errorf("%q is not a rate (allowed: ops/s ≥ 0, e.g. 4900 or 4900/s)", v)
		}
		return f, nil
	}
}

// String returns the threshold in its canonical spelling, e.g. "p99<2ms"; it
// parses back to an equal Threshold.
func (t Threshold) String() string {
	return t.Metric + t.Op + t.format(t.Limit)
}

// format writes v in the threshold's unit, in the shortest spelling
// ParseThreshold reads back: "2ms", "0.5%", "4900/s".
func (t Threshold) format(v float64) string {
	m, ok := thresholdMetrics[t.Metric]
	if !ok {
		return units.Plain(v)
	}
	switch m.unit {
	case unitNs:
		return units.Trim(units.Duration(v))
	case unitPercent:
		return units.Trim(units.Percent(v))
	default:
		return units.Plain(math.Round(v*10)/10) + "/s"
	}
}

// Check evaluates the threshold on r. It returns whether it holds, the observed
// value (in the unit of Limit) and a one-line message for the summary, e.g.
// "p99 1.2ms < 2ms" or, when it fails, "p99 3.1ms > 2ms by 1.1ms (55%)". A metric
// the result cannot provide (no limiter extras, no completed ops for a latency or
// error rate) fails, so CI never passes a run that measured nothing.
func (t Threshold) Check(r *result.Result) (ok bool, observed float64, msg string) {
	m, known := thresholdMetrics[t.Metric]
	if !known {
		return false, 0, fmt.Sprintf("%s: unknown metric", t)
	}
	if m.needOps && r.Counts.Completed == 0 {
		return false, 0, fmt.Sprintf("%s: no completed ops to measure %s on", t, t.Metric)
	}
	observed, err := m.get(r)
	if err != nil {
		return false, 0, fmt.Sprintf("%s: %v", t, err)
	}
	switch t.Op {
	case "<":
		ok = observed < t.Limit
	case "<=":
		ok = observed <= t.Limit
	case ">":
		ok = observed > t.Limit
	case ">=":
		ok = observed >= t.Limit
	default:
		return false, observed, fmt.Sprintf("%s: unknown comparison %q", t, t.Op)
	}
	obs, lim := t.format(observed), t.format(t.Limit)
	if ok {
		return true, observed, fmt.Sprintf("%s %s %s %s", t.Metric, obs, t.Op, lim)
	}
	if observed == t.Limit {
		return false, observed, fmt.Sprintf("%s %s = %s, want %s %s", t.Metric, obs, lim, t.Op, lim)
	}
	rel := ">"
	if observed < t.Limit {
		rel = "<"
	}
	msg = fmt.Sprintf("%s %s %s %s by %s", t.Metric, obs, rel, lim, t.format(math.Abs(observed-t.Limit)))
	if t.Limit != 0 {
		msg += " (" + units.Trim(units.Percent(100*math.Abs(observed-t.Limit)/t.Limit)) + ")"
	}
	return false, observed, msg
}

// ThresholdMetrics returns the metric names thresholds accept, sorted.
func ThresholdMetrics() []string {
	names := make([]string, 0, len(thresholdMetrics))
	for name := range thresholdMetrics {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
