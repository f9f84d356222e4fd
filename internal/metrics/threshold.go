package metrics

import (
	"fmt"
	"math"
	"strconv"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// Threshold is a pass/fail condition on one figure of a Result, as given to
// -threshold or listed in a scenario file: our own spelling ("p99<2ms",
// "error_rate<1%", "lag_p99<100us") or k6's ("p(95)<500", "avg<1ms",
// "errors:rate<0.01", "p(99){kind:write}<1ms"); docs/thresholds.md has the
// grammar. A Threshold is a comparable value, safe to share read-only.
type Threshold struct {
	// Text is the threshold as given, trimmed: what verdicts quote, and what
	// String returns.
	Text string
	// Metric is what is measured: a timing ("response", "service", "lag"), a
	// share of the completed ops ("errors", "timeouts", "denied"), a counter
	// ("ops", "admitted", "offered"), or "admitted_rate_error" (limiters).
	Metric string
	// Stat is the aggregation: "p" (the percentile Quantile), "avg", "min"
	// or "max" of a timing; "rate" of a share or a counter (per second);
	// "count" of a counter; "" for admitted_rate_error.
	Stat string
	// Quantile is the percentile of Stat "p", in percent (50 is the median).
	Quantile float64
	// SplitKey and SplitValue select one split of the ops, k6's tag syntax
	// {kind:write} or {outcome:denied}: SplitKey is "kind" or "outcome".
	// Both are empty for all ops.
	SplitKey, SplitValue string
	// Op is one of "<", "<=", ">", ">=", "==", "!=".
	Op string
	// Limit is the bound in the metric's unit (Unit): nanoseconds, a ratio in
	// [0, 1], percent, ops, or ops/s.
	Limit float64

	// label is the left side as written, lower case without blanks ("p99",
	// "p(95)", "errors:rate"): messages name the figure the way the user did.
	label string
	// percent marks a ratio written, and shown, as a percentage.
	percent bool
}

// Unit is the unit of the threshold's Limit and measured value, as a
// result.ThresholdVerdict states it: "ns", "ratio", "percent", "ops" or
// "ops/s".
func (t Threshold) Unit() string {
	switch kindOf(t.Metric) {
	case timingMetric:
		return "ns"
	case shareMetric:
		return "ratio"
	case counterMetric:
		if t.Stat == "count" {
			return "ops"
		}
		return "ops/s"
	}
	return "percent"
}

// String returns the threshold as given (Text); it parses back to an equal
// Threshold.
func (t Threshold) String() string { return t.Text }

// Name is the canonical name of what the threshold measures, as verdicts
// state it: the metric, its split, and the aggregation, e.g. "response p(95)",
// "response{kind:write} p(99)", "errors rate", "ops count".
func (t Threshold) Name() string {
	name := t.Metric
	if t.SplitKey != "" {
		name += "{" + t.SplitKey + ":" + t.SplitValue + "}"
	}
	switch t.Stat {
	case "":
		return name
	case "p":
		return name + " p(" + strconv.FormatFloat(t.Quantile, 'f', -1, 64) + ")"
	}
	return name + " " + t.Stat
}

// LimitersOnly reports whether the threshold's metric exists only in a rate
// limiter's result (admitted_rate_error reads Extras["limiter"]): on any
// other implementation it can never be checked, so the CLI refuses it before
// the run.
func (t Threshold) LimitersOnly() bool { return t.Metric == "admitted_rate_error" }

// OpenLoopOnly reports whether the threshold's metric exists only for an open
// loop (lag: a closed loop starts each op when it is intended).
func (t Threshold) OpenLoopOnly() bool { return t.Metric == "lag" }

// Live reports whether the threshold can be checked while the run goes on,
// on the interval histograms and counts (LiveCheck): every one but a split's,
// the offered count and admitted_rate_error, which only the finished result
// holds.
func (t Threshold) Live() bool {
	return t.SplitKey == "" && t.Metric != "admitted_rate_error" && t.Metric != "offered"
}

// format writes v in the threshold's unit: "2ms", "0.5%", "4900/s", "1000".
func (t Threshold) format(v float64) string {
	switch t.Unit() {
	case "ns":
		return units.Trim(units.Duration(v))
	case "ratio":
		return units.Trim(units.Percent(100 * v))
	case "percent":
		return units.Trim(units.Percent(v))
	case "ops":
		return units.Plain(v)
	}
	return units.Plain(math.Round(v*10)/10) + "/s"
}

// Verdict evaluates the threshold on r: the value measured, whether it holds,
// and a one-line message for the summary, e.g. "p99 1.2ms < 2ms" or, when it
// fails, "p99 3.1ms > 2ms by 1.1ms (55%)". A figure the result cannot provide
// (no completed ops for a latency or an error rate, no ops of the split,
// no limiter extras) fails, with the reason, so CI never passes a run that
// measured nothing.
func (t Threshold) Verdict(r *result.Result) result.ThresholdVerdict {
	return t.verdict(r, storedHistograms{r})
}

// verdict is Verdict with the histograms read from hs: the result's own, or
// the live run's (LiveCheck).
func (t Threshold) verdict(r *result.Result, hs histogramSource) result.ThresholdVerdict {
	v := result.ThresholdVerdict{Expression: t.Text, Metric: t.Name(), Unit: t.Unit(), Op: t.Op, Limit: t.Limit}
	observed, err := t.measure(r, hs)
	if err != nil {
		v.Message = fmt.Sprintf("%s: %v", t.Text, err)
		return v
	}
	v.Value = &observed
	v.Pass = compare(observed, t.Op, t.Limit)
	v.Message = t.message(observed, v.Pass)
	return v
}

// Check evaluates the threshold on r: whether it holds, the observed value
// (in the unit of Limit; 0 when it could not be measured) and the verdict's
// message.
func (t Threshold) Check(r *result.Result) (ok bool, observed float64, msg string) {
	v := t.Verdict(r)
	if v.Value != nil {
		observed = *v.Value
	}
	return v.Pass, observed, v.Message
}

// compare applies op; an unknown op never holds.
func compare(observed float64, op string, limit float64) bool {
	switch op {
	case "<":
		return observed < limit
	case "<=":
		return observed <= limit
	case ">":
		return observed > limit
	case ">=":
		return observed >= limit
	case "==":
		return observed == limit
	case "!=":
		return observed != limit
	}
	return false
}

// message is the verdict line: the figure, its value, and the comparison;
// for a failure, by how much it missed.
func (t Threshold) message(observed float64, ok bool) string {
	obs, lim := t.format(observed), t.format(t.Limit)
	switch {
	case ok:
		return fmt.Sprintf("%s %s %s %s", t.label, obs, t.Op, lim)
	case observed == t.Limit:
		return fmt.Sprintf("%s %s = %s, want %s %s", t.label, obs, lim, t.Op, lim)
	case t.Op == "==":
		return fmt.Sprintf("%s %s, want == %s", t.label, obs, lim)
	}
	rel := ">"
	if observed < t.Limit {
		rel = "<"
	}
	msg := fmt.Sprintf("%s %s %s %s by %s", t.label, obs, rel, lim, t.format(math.Abs(observed-t.Limit)))
	if t.Limit != 0 {
		msg += " (" + units.Trim(units.Percent(100*math.Abs(observed-t.Limit)/t.Limit)) + ")"
	}
	return msg
}

// Verdicts evaluates each threshold on r, in order: what Result.Thresholds
// holds. nil for no thresholds.
func Verdicts(thresholds []Threshold, r *result.Result) []result.ThresholdVerdict {
	if len(thresholds) == 0 {
		return nil
	}
	out := make([]result.ThresholdVerdict, len(thresholds))
	for i, t := range thresholds {
		out[i] = t.Verdict(r)
	}
	return out
}
