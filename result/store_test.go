package result

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// sampleResult builds a small valid result: two ops intended at 0, started at
// 10 ns, finished at 1 and 2 µs, one admitted and one denied.
func sampleResult(t *testing.T) *Result {
	t.Helper()
	var tot struct{ Response, Service, Lag *hdr.Histogram }
	tot.Response, tot.Service, tot.Lag = NewHistogram(), NewHistogram(), NewHistogram()
	for _, finished := range []int64{1000, 2000} { // intended 0, started 10
		tot.Response.RecordValue(finished)
		tot.Service.RecordValue(finished - 10)
		tot.Lag.RecordValue(10)
	}
	res := &Result{Schema: Schema, Impl: "mutex", Family: "locks", Workload: "custom", Start: time.Unix(0, 0).UTC(), DurationNs: int64(time.Second)}
	res.Counts = Counts{Offered: 2, Completed: 2, OK: 1, Denied: 1}
	res.Latency = Latencies{Response: Summarize(tot.Response), Service: Summarize(tot.Service), Lag: SummarizePtr(tot.Lag)}
	var err error
	if res.Histogram.Response, err = EncodeHistogram(tot.Response); err != nil {
		t.Fatal(err)
	}
	res.Histogram.Service, _ = EncodeHistogram(tot.Service)
	res.Histogram.Lag, _ = EncodeHistogram(tot.Lag)
	return res
}

func TestWriteFileThenReadFileRoundTrips(t *testing.T) {
	want := sampleResult(t)
	path := filepath.Join(t.TempDir(), "mutex.json")
	if err := WriteFile(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Impl != want.Impl || got.Counts != want.Counts || !reflect.DeepEqual(got.Latency, want.Latency) {
		t.Fatalf("round trip changed the result:\n got %+v\nwant %+v", got, want)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Fatalf("directory holds %d entries after an atomic write, want only the result", len(entries))
	}
}

func TestReadFileRejectsBadDocuments(t *testing.T) {
	good := sampleResult(t)
	if err := good.Validate(); err != nil {
		t.Fatalf("the sample is not valid itself: %v", err)
	}
	tests := []struct {
		name   string
		mutate func(r *Result)
		raw    string
		want   string
	}{
		{name: "not JSON", raw: "{nope", want: "not a result document"},
		{name: "an unknown field", raw: `{"schema":"syncbench/result/v1","bogus":1}`, want: "unknown field"},
		{name: "another schema", mutate: func(r *Result) { r.Schema = "syncbench/result/v0" }, want: "schema"},
		{name: "no impl", mutate: func(r *Result) { r.Impl = "" }, want: "impl is empty"},
		{name: "inconsistent counts", mutate: func(r *Result) { r.Counts.Completed = 5 }, want: "not the sum"},
		{name: "a histogram of other ops", mutate: func(r *Result) { r.Latency.Response.Count = 3 }, want: "holds 2 values but its summary counts 3"},
		{name: "negative unfinished ops", mutate: func(r *Result) { r.Counts.Unfinished = -1 }, want: "unfinished is negative"},
		{name: "a split naming no group", mutate: func(r *Result) { r.Split = []Split{{}} }, want: "split[0] must name exactly one"},
		{name: "a corrupt histogram", mutate: func(r *Result) { r.Histogram.Lag = "!!!" }, want: "histograms.lag"},
		// Issue 22, item 8.
		{name: "negative outcome counts that still add up", mutate: func(r *Result) { r.Counts.OK, r.Counts.Denied = 3, -2 }, want: "counts.denied is negative (-2)"},
		{name: "a negative rate", mutate: func(r *Result) { r.Rates.Achieved = -5 }, want: "rates.achieved is negative"},
		{name: "a negative interval count", mutate: func(r *Result) { r.Series = []Interval{{OK: -1}} }, want: "series[0].ok is negative"},
		{name: "an unknown family", mutate: func(r *Result) { r.Family = "lcoks" }, want: `family "lcoks" is not a known family (known: harness, locks`},
		{name: "no family", mutate: func(r *Result) { r.Family = "" }, want: `family "" is not a known family`},
		{name: "trailing garbage", raw: "{{good}} garbage", want: "data after its end"},
		{name: "two concatenated documents", raw: "{{good}}\n{{good}}", want: "a second document, or trailing garbage"},
		{name: "a key twice", raw: `{"schema":"syncbench/result/v1","impl":"a","impl":"b"}`, want: `key "impl" appears twice`},
		{name: "a nested key twice", raw: `{"schema":"syncbench/result/v1","counts":{"ok":1,"ok":2}}`, want: `key "counts.ok" appears twice`},
		{name: "nothing at all", raw: "  ", want: "empty input"},
	}
	for _, tc := range tests {
		t.Run("a result with "+tc.name+" is refused", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.json")
			if tc.raw != "" {
				goodJSON, err := json.Marshal(good)
				if err != nil {
					t.Fatal(err)
				}
				os.WriteFile(path, []byte(strings.ReplaceAll(tc.raw, "{{good}}", string(goodJSON))), 0o644)
			} else {
				r := *good
				tc.mutate(&r)
				if err := WriteFile(path, &r); err != nil {
					t.Fatal(err)
				}
			}
			_, err := ReadFile(path)
			if _, ok := errors.AsType[*FormatError](err); !ok {
				t.Fatalf("err = %v, want a *FormatError", err)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
				t.Fatalf("err = %q, want it to name the file and mention %q", err, tc.want)
			}
		})
	}
}
