package reports

import (
	"reflect"

	"strings"
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/result"
)

func TestParsePercentiles(t *testing.T) {
	t.Parallel()
	got, err := ParsePercentiles("50, p90,99,99.9,99.99,99")
	if err != nil || !reflect.DeepEqual(got, []float64{50, 90, 99, 99.9, 99.99}) {
		t.Errorf("got %v, %v", got, err)
	}
	if got, _ := ParsePercentiles(""); !reflect.DeepEqual(got, DefaultPercentiles) {
		t.Errorf("empty gives %v, want the default", got)
	}
	for _, bad := range []string{"0", "101", "x", "50,,99", "-5"} {
		if _, err := ParsePercentiles(bad); err == nil || !strings.Contains(err.Error(), "allowed") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestResponsePercentileReadsTheHistogramBeyondTheSummary(t *testing.T) {
	t.Parallel()
	r := makeResult(t, fixture{impl: "m", conc: 1, ops: 10000, baseNs: 1000})
	h, _ := decodeResponse(r)
	for _, q := range []float64{50, 75, 99.5, 99.999} {
		got, err := ResponsePercentile(r, q)
		if want := result.ValueAtQuantile(h, q); err != nil || got != want {
			t.Errorf("p%v = %d, %v; histogram says %d", q, got, err, want)
		}
	}
	if got, _ := ResponsePercentile(r, 100); got != r.Latency.Response.Max {
		t.Errorf("p100 = %d, want max %d", got, r.Latency.Response.Max)
	}
}

func decodeResponse(r *result.Result) (*hdr.Histogram, error) {
	return result.DecodeHistogram(r.Histogram.Response)
}
