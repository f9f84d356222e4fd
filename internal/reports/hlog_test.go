package reports

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/result"
)

func TestWriteHlogReadsBackWithHistogramLogReader(t *testing.T) {
	t.Parallel()
	results := []*result.Result{
		makeResult(t, fixture{impl: "mutex", conc: 2, ops: 700, baseNs: 400, seed: 1, rep: 1}),
		makeResult(t, fixture{impl: "fifo", family: "semaphores", conc: 2, ops: 300, baseNs: 900, seed: 2, rep: 2}),
	}
	results[1].Params.Family = map[string]string{"weights": "1,1,8"}
	var buf bytes.Buffer
	if err := WriteHlog(&buf, results); err != nil {
		t.Fatal(err)
	}
	lr := hdr.NewHistogramLogReader(strings.NewReader(buf.String()))
	for i, r := range results {
		h, err := lr.NextIntervalHistogram()
		if err != nil || h == nil {
			t.Fatalf("interval %d: %v\n%s", i, err, buf.String())
		}
		if h.TotalCount() != r.Counts.Completed {
			t.Errorf("interval %d holds %d values, want %d", i, h.TotalCount(), r.Counts.Completed)
		}
		if got := h.ValueAtQuantile(99); !h.ValuesAreEquivalent(got, r.Latency.Response.P99) {
			t.Errorf("interval %d p99 = %d, want %d", i, got, r.Latency.Response.P99)
		}
		if strings.Contains(h.Tag(), ",") {
			t.Errorf("tag %q contains a comma", h.Tag())
		}
	}
	if h, err := lr.NextIntervalHistogram(); h != nil || (err != nil && !errors.Is(err, io.EOF)) {
		t.Errorf("extra interval after the last result: %v %v", h, err)
	}
}
