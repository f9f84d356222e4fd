package metrics

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// ThresholdError reports a threshold that does not parse.
type ThresholdError struct {
	Text string // the threshold as given
	Msg  string // what is wrong and what is allowed
}

func (e *ThresholdError) Error() string {
	return fmt.Sprintf("bad threshold %q: %s", e.Text, e.Msg)
}

// allowedMetrics is the list shown when a threshold names an unknown metric.
const allowedMetrics = "k6's p(N), avg, med, min, max (response time; prefix response:, service: or lag:), " +
	"count (ops), errors:rate, timeouts:rate, denied:rate (share of completed ops), ops:rate (ops/s); " +
	"or ours: p50, p90, p95, p99, p999, p9999, max, min, mean (prefix service_ or lag_, e.g. lag_p99), " +
	"error_rate, timeout_rate, denied_rate (percent), achieved_rate, admitted_rate, offered_rate (ops/s), " +
	"admitted_rate_error (percent, limiters); a split as {kind:write} or {outcome:denied}"

// k6Metrics maps k6's built-in metric names to loadgen's, for the message
// that refuses them: their meaning carries over, their names do not.
var k6Metrics = map[string]string{
	"http_req_duration": "response", "iteration_duration": "response", "http_req_waiting": "service",
	"http_req_failed": "errors", "http_reqs": "ops", "iterations": "ops",
}

// legacyShares are our percentages of completed ops: error_rate<1%.
var legacyShares = map[string]string{"error_rate": "errors", "timeout_rate": "timeouts", "denied_rate": "denied"}

// legacyCounters are our per-second rates: achieved_rate>4900.
var legacyCounters = map[string]string{"achieved_rate": "ops", "admitted_rate": "admitted", "offered_rate": "offered"}

// comparisons are the operators, longest first so that "<=" is not read as "<".
var comparisons = []string{"===", "==", "!=", "<=", ">=", "<", ">"}

// ParseThreshold parses a threshold: METRIC OP VALUE in our spelling
// ("p99<2ms", "p50 <= 500us", "error_rate<1%", "achieved_rate>4900",
// "admitted_rate_error<2%") or k6's ("p(95)<500", "avg<1ms", "med<200us",
// "count>1000", "errors:rate<0.01", "p(99){kind:write}<1ms",
// "response{outcome:denied}:p(99)<1ms"). Comparisons are <, <=, >, >=, == (or
// k6's ===) and !=. Latencies are Go durations, or plain numbers of
// milliseconds as in k6; a k6 rate is a ratio in [0, 1] or a percentage; our
// *_rate percentages need a '%'; rates of ops are ops/s with an optional
// "/s". Blanks are allowed between the parts and names are case-insensitive.
// Errors are *ThresholdError values naming the bad part and what is allowed.
func ParseThreshold(s string) (Threshold, error) {
	text := strings.TrimSpace(s)
	bad := func(format string, args ...any) (Threshold, error) {
		return Threshold{}, &ThresholdError{Text: text, Msg: fmt.Sprintf(format, args...)}
	}
	i, op := findComparison(text)
	if i < 0 && strings.Count(text, "{")+strings.Count(text, "(") != strings.Count(text, "}")+strings.Count(text, ")") {
		return bad("unbalanced braces or parentheses (allowed: p(95), a split such as {kind:write})")
	}
	if i < 0 {
		if j := strings.IndexAny(text, "=!"); j >= 0 {
			return bad("%q is not a comparison (allowed: <, <=, >, >=, ==, !=)", text[j:j+1])
		}
		return bad("no comparison (allowed: METRIC<VALUE, <=, >, >=, ==, !=; e.g. p99<2ms or p(95)<500ms)")
	}
	left, value := text[:i], strings.TrimSpace(text[i+len(op):])
	if op == "===" {
		op = "=="
	}
	label := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, left)
	if label == "" {
		return bad("no metric before %q (allowed metrics: %s)", op, allowedMetrics)
	}
	if value == "" {
		return bad("no value after %q", op)
	}
	if strings.ContainsAny(value, "<>=!") {
		return bad("value %q has a second comparison (allowed: one of <, <=, >, >=, ==, !=)", value)
	}
	t, legacy, msg := resolveMetric(label)
	if msg != "" {
		return bad("%s", msg)
	}
	t.Text, t.Op, t.label = text, op, label
	limit, percent, err := parseLimit(t, legacy, value)
	if err != nil {
		return bad("%s value %s", label, err)
	}
	t.Limit, t.percent = limit, percent
	return t, nil
}

// findComparison returns the index and spelling of the first comparison in
// text outside braces (a split) and parentheses (a percentile), or -1.
func findComparison(text string) (int, string) {
	depth := 0
	for i, r := range text {
		switch r {
		case '{', '(':
			depth++
		case '}', ')':
			depth--
		case '<', '>', '=', '!':
			if depth > 0 {
				continue
			}
			for _, op := range comparisons {
				if strings.HasPrefix(text[i:], op) {
					return i, op
				}
			}
		}
	}
	return -1, ""
}

// resolveMetric reads the left side of a threshold, lower case without
// blanks: [METRIC[{SPLIT}]:]AGGREGATION[{SPLIT}]. legacy marks our *_rate
// percentages, whose values need a '%'. A non-empty msg says what is wrong.
func resolveMetric(label string) (t Threshold, legacy bool, msg string) {
	metric, agg, hasMetric := cutOutside(label, ':')
	if !hasMetric {
		metric, agg = "", label
	}
	metric, mKey, mVal, msg := cutSplit(metric)
	if msg != "" {
		return t, false, msg
	}
	agg, aKey, aVal, msg := cutSplit(agg)
	if msg != "" {
		return t, false, msg
	}
	if mKey != "" && aKey != "" {
		return t, false, "two splits (allowed: one, {kind:...} or {outcome:...})"
	}
	t.SplitKey, t.SplitValue = mKey+aKey, mVal+aVal
	if hasMetric {
		if k6, ok := k6Metrics[metric]; ok {
			return t, false, fmt.Sprintf("unknown metric %q: k6's %s is %s here (e.g. %s:%s)", metric, metric, k6, k6, exampleAgg(k6))
		}
		if _, ok := thresholdMetrics[metric]; !ok || metric == "admitted_rate_error" {
			return t, false, fmt.Sprintf("unknown metric %q (allowed metrics: response, service, lag, errors, timeouts, denied, ops, admitted, offered)", metric)
		}
		t.Metric = metric
	} else {
		switch {
		case agg == "rate":
			return t, false, "rate needs a metric, as in k6 where it belongs to one: errors:rate<0.01 (the share of failed ops), timeouts:rate, denied:rate, or ops:rate>4900 (ops/s)"
		case agg == "count":
			t.Metric = "ops"
		case legacyShares[agg] != "":
			t.Metric, t.Stat, legacy = legacyShares[agg], "rate", true
		case legacyCounters[agg] != "":
			t.Metric, t.Stat = legacyCounters[agg], "rate"
		case agg == "admitted_rate_error":
			t.Metric = agg
		default:
			t.Metric = "response"
			for _, timing := range []string{"response", "service", "lag"} {
				if rest, ok := strings.CutPrefix(agg, timing+"_"); ok {
					t.Metric, agg = timing, rest
				}
			}
		}
	}
	if t.Stat == "" && t.Metric != "admitted_rate_error" {
		if msg := t.setStat(agg); msg != "" {
			return t, false, msg
		}
	}
	if t.SplitKey != "" {
		switch {
		case t.Metric == "lag":
			return t, false, "lag has no splits (allowed: response or service with {kind:...} or {outcome:...})"
		case kindOf(t.Metric) == shareMetric || kindOf(t.Metric) == limiterMetric || t.Metric != "ops" && kindOf(t.Metric) == counterMetric:
			return t, false, fmt.Sprintf("%s has no splits: the result counts outcomes over all ops (allowed: a split of response, service or ops)", t.Metric)
		}
	}
	return t, legacy, ""
}

// exampleAgg is an aggregation that fits metric, for messages.
func exampleAgg(metric string) string {
	switch kindOf(metric) {
	case shareMetric:
		return "rate<0.01"
	case counterMetric:
		return "count>1000"
	}
	return "p(95)<500ms"
}

// setStat reads the aggregation agg for t.Metric's type.
func (t *Threshold) setStat(agg string) string {
	kind := kindOf(t.Metric)
	switch kind {
	case shareMetric:
		if agg != "rate" {
			return fmt.Sprintf("%s is a share of ops: its aggregation is rate, not %q (e.g. %s:rate<0.01)", t.Metric, agg, t.Metric)
		}
		t.Stat = "rate"
		return ""
	case counterMetric:
		if agg != "count" && agg != "rate" {
			return fmt.Sprintf("%s counts ops: its aggregations are count and rate (ops/s), not %q", t.Metric, agg)
		}
		t.Stat = agg
		return ""
	}
	switch agg {
	case "avg", "mean":
		t.Stat = "avg"
	case "med":
		t.Stat, t.Quantile = "p", 50
	case "min", "max":
		t.Stat = agg
	default:
		q, ok := parsePercentile(agg)
		if !ok {
			return fmt.Sprintf("unknown metric %q (allowed metrics: %s)", agg, allowedMetrics)
		}
		t.Stat, t.Quantile = "p", q
	}
	return ""
}

// parsePercentile reads k6's p(N), N in [0, 100], or our pN: p95 is 95, p100
// the maximum, p99.9 is read as written, and from p90 on digits past the
// second are decimals (p999 is 99.9, p9999 99.99, p995 99.5).
func parsePercentile(agg string) (float64, bool) {
	var num string
	switch {
	case strings.HasPrefix(agg, "p(") && strings.HasSuffix(agg, ")"):
		num = agg[2 : len(agg)-1]
	case strings.HasPrefix(agg, "p") && len(agg) > 1:
		num = agg[1:]
		if strings.Trim(num, "0123456789") == "" && len(num) > 2 && num != "100" {
			if num[0] != '9' {
				return 0, false // p101 is no percentile: p(10.1) says what it means
			}
			num = num[:2] + "." + num[2:]
		}
	default:
		return 0, false
	}
	if num == "" || strings.Trim(num, "0123456789.") != "" {
		return 0, false
	}
	q, err := strconv.ParseFloat(num, 64)
	if err != nil || q < 0 || q > 100 {
		return 0, false
	}
	return q, true
}

// cutOutside is strings.Cut on the first sep outside braces.
func cutOutside(s string, sep rune) (before, after string, found bool) {
	depth := 0
	for i, r := range s {
		switch r {
		case '{':
			depth++
		case '}':
			depth--
		case sep:
			if depth == 0 {
				return s[:i], s[i+1:], true
			}
		}
	}
	return s, "", false
}

// cutSplit takes a trailing {key:value} off part: the name before it and the
// split, or a message saying why the split is not one.
func cutSplit(part string) (name, key, value, msg string) {
	open := strings.IndexByte(part, '{')
	if open < 0 {
		if strings.ContainsRune(part, '}') {
			return "", "", "", fmt.Sprintf("%q has a '}' without its '{'", part)
		}
		return part, "", "", ""
	}
	if !strings.HasSuffix(part, "}") || strings.Count(part, "{") != 1 || strings.Count(part, "}") != 1 {
		return "", "", "", fmt.Sprintf("split %q is not {kind:VALUE} or {outcome:VALUE} at the end of the name", part[open:])
	}
	inner := part[open+1 : len(part)-1]
	if strings.Contains(inner, ",") {
		return "", "", "", fmt.Sprintf("split {%s} names several tags; a result splits ops by one (allowed: {kind:...} or {outcome:...})", inner)
	}
	key, value, ok := strings.Cut(inner, ":")
	values, known := splitValues[key]
	switch {
	case !ok || !known:
		return "", "", "", fmt.Sprintf("split {%s} is not {kind:VALUE} or {outcome:VALUE}", inner)
	case !slices.Contains(values, value):
		return "", "", "", fmt.Sprintf("split {%s}: %q is not a %s (allowed: %s)", inner, value, key, strings.Join(values, ", "))
	}
	return part[:open], key, value, ""
}

// parseLimit reads a threshold's value in its metric's unit. percent reports a
// ratio written as a percentage.
func parseLimit(t Threshold, legacy bool, v string) (limit float64, percent bool, err error) {
	finite := func(f float64) bool { return f >= 0 && !math.IsInf(f, 0) && !math.IsNaN(f) }
	switch t.Unit() {
	case "ns":
		if d, err := time.ParseDuration(v); err == nil && d >= 0 {
			return float64(d), false, nil
		}
		// k6's unit: a plain number of milliseconds.
		if f, err := strconv.ParseFloat(v, 64); err == nil && finite(f) && f*1e6 <= math.MaxInt64 {
			return math.Round(f * 1e6), false, nil
		}
		return 0, false, fmt.Errorf("%q is not a duration (allowed: a Go duration ≥ 0 such as 500us, 2ms, 1.5s, or milliseconds as k6 writes them, e.g. 500)", v)
	case "ratio":
		if num, found := strings.CutSuffix(v, "%"); found {
			f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil || !finite(f) || f > 100 {
				return 0, false, fmt.Errorf("%q is not a percentage (allowed: 0%% to 100%%, e.g. 1%% or 0.5%%)", v)
			}
			return f / 100, true, nil
		}
		if legacy {
			return 0, false, fmt.Errorf("%q is not a percentage (allowed: a number ≥ 0 followed by %%, e.g. 1%% or 0.5%%)", v)
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !finite(f) || f > 1 {
			return 0, false, fmt.Errorf("%q is not a ratio (allowed: a share of ops in [0, 1] as k6 writes it, e.g. 0.01, or a percentage, e.g. 1%%)", v)
		}
		return f, false, nil
	case "percent":
		num, found := strings.CutSuffix(v, "%")
		f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if !found || err != nil || !finite(f) {
			return 0, false, fmt.Errorf("%q is not a percentage (allowed: a number ≥ 0 followed by %%, e.g. 1%% or 0.5%%)", v)
		}
		return f, false, nil
	case "ops":
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !finite(f) {
			return 0, false, fmt.Errorf("%q is not a count (allowed: a number of ops ≥ 0, e.g. 1000)", v)
		}
		return f, false, nil
	}
	num, _ := strings.CutSuffix(v, "/s")
	f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || !finite(f) {
		return 0, false, fmt.Errorf("%q is not a rate (allowed: ops/s ≥ 0, e.g. 4900 or 4900/s)", v)
	}
	return f, false, nil
}

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

// ThresholdMetrics returns the metric names thresholds accept, sorted: the
// metrics of the k6 spelling (response, errors, ops, ...) and our own names
// (p99, error_rate, ...).
func ThresholdMetrics() []string {
	names := []string{"admitted_rate_error"}
	for m := range thresholdMetrics {
		if m != "admitted_rate_error" {
			names = append(names, m)
		}
	}
	for _, prefix := range []string{"", "service_", "lag_"} {
		for _, stat := range []string{"p50", "p90", "p95", "p99", "p999", "p9999", "max", "min", "mean"} {
			names = append(names, prefix+stat)
		}
	}
	for m := range legacyShares {
		names = append(names, m)
	}
	for m := range legacyCounters {
		names = append(names, m)
	}
	slices.Sort(names)
	return names
}
