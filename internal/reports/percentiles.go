package reports

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/syncbench/syncbench/result"
)

// ParsePercentiles parses a comma-separated list of percentiles such as
// "50,90,99,99.9,99.99" (the -percentiles flag): each a number in (0, 100],
// optionally written with a leading "p" ("p99"), kept in the order given with
// duplicates removed. An empty string gives DefaultPercentiles.
func ParsePercentiles(s string) ([]float64, error) {
	if strings.TrimSpace(s) == "" {
		return append([]float64(nil), DefaultPercentiles...), nil
	}
	var out []float64
	seen := map[float64]bool{}
	for part := range strings.SplitSeq(s, ",") {
		t := strings.TrimPrefix(strings.TrimSpace(part), "p")
		q, err := strconv.ParseFloat(t, 64)
		if err != nil || !(q > 0 && q <= 100) {
			return nil, fmt.Errorf("percentile %q is not allowed (allowed: numbers in (0, 100], comma separated, e.g. 50,90,99,99.9,99.99)", strings.TrimSpace(part))
		}
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out, nil
}

// ResponsePercentile returns r's response-time percentile q (in percent, 100 is
// the maximum) in ns: from the stored summary for 50, 90, 99, 99.9, 99.99 and
// 100, else from r's response histogram. A histogram that does not decode is an
// error (ReadFile validated it, so only a hand-built result can have one).
func ResponsePercentile(r *result.Result, q float64) (int64, error) {
	s := r.Latency.Response
	switch q {
	case 50:
		return s.P50, nil
	case 90:
		return s.P90, nil
	case 99:
		return s.P99, nil
	case 99.9:
		return s.P999, nil
	case 99.99:
		return s.P9999, nil
	case 100:
		return s.Max, nil
	}
	h, err := result.DecodeHistogram(r.Histogram.Response)
	if err != nil {
		return 0, err
	}
	if h.TotalCount() == 0 {
		return 0, nil
	}
	return result.ValueAtQuantile(h, q), nil
}
