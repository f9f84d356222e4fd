package reports

import (
	"bufio"
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/syncbench/syncbench/result"
)

// hgrmRow is one data row of a .hgrm file.
type hgrmRow struct {
	value, percentile float64
	total             int64
}

// parseHgrm reads a .hgrm distribution: the header, the rows and the footer.
func parseHgrm(t *testing.T, text string) (rows []hgrmRow, footer map[string]float64) {
	t.Helper()
	footer = map[string]float64{}
	sc := bufio.NewScanner(strings.NewReader(text))
	header := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
		case strings.HasPrefix(line, "Value"):
			header = true
		case strings.HasPrefix(line, "#[Unit"):
		case strings.HasPrefix(line, "#["):
			// #[Mean    =        0.127, StdDeviation   =        0.131]
			for kv := range strings.SplitSeq(strings.Trim(line, "#[]"), ",") {
				k, v, _ := strings.Cut(kv, "=")
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					t.Fatalf("footer %q: %v", line, err)
				}
				footer[strings.TrimSpace(k)] = f
			}
		default:
			f := strings.Fields(line)
			if len(f) != 4 {
				t.Fatalf("row %q has %d fields, want 4", line, len(f))
			}
			v, err1 := strconv.ParseFloat(f[0], 64)
			p, err2 := strconv.ParseFloat(f[1], 64)
			n, err3 := strconv.ParseInt(f[2], 10, 64)
			if err1 != nil || err2 != nil || err3 != nil {
				t.Fatalf("row %q does not parse", line)
			}
			rows = append(rows, hgrmRow{v, p, n})
		}
	}
	if !header {
		t.Fatalf("no header line in\n%s", text)
	}
	return rows, footer
}

func TestWriteHgrmReadsBackAsTheHistogram(t *testing.T) {
	t.Parallel()
	r := makeResult(t, fixture{impl: "mutex", conc: 4, ops: 5000, baseNs: 2000, seed: 3})
	var buf bytes.Buffer
	if err := WriteHgrm(&buf, []*result.Result{r}, ""); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "#[Histogram") {
		t.Errorf("a single result's file carries a section line; the standard format has none")
	}
	rows, footer := parseHgrm(t, buf.String())
	h, err := result.DecodeHistogram(r.Histogram.Response)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 20 {
		t.Fatalf("only %d rows", len(rows))
	}
	// Every row is at hdrhistogram-go's own cumulative distribution step: the
	// value in ms (to the format's six decimals, one ns) and the exact count.
	dist := h.CumulativeDistributionWithTicks(hgrmTicksPerHalfDistance)
	if len(rows) != len(dist) {
		t.Fatalf("%d rows, the histogram's distribution has %d steps", len(rows), len(dist))
	}
	const ns = 1e-6 // one nanosecond in ms, the last decimal written
	for i, row := range rows {
		want := float64(dist[i].ValueAt) / 1e6
		if math.Abs(row.value-want) > ns/2 || row.total != dist[i].Count || math.Abs(row.percentile-dist[i].Quantile/100) > 1e-6 {
			t.Errorf("row %d = %+v, histogram step %+v", i, row, dist[i])
		}
	}
	// The rows agree with the result's percentiles: at p50, p90 and p99 the
	// first row at or past the percentile holds at least the summary's value.
	for _, q := range []float64{50, 90, 99} {
		want := float64(result.ValueAtQuantile(h, q)) / 1e6
		for _, row := range rows {
			if row.percentile >= q/100 {
				if row.value < want-ns/2 {
					t.Errorf("p%v: first row past it reads %.6f ms, the result %.6f ms", q, row.value, want)
				}
				break
			}
		}
	}
	last := rows[len(rows)-1]
	if last.percentile != 1 || last.total != h.TotalCount() || math.Abs(last.value-float64(h.Max())/1e6) > ns/2 {
		t.Errorf("last row %+v, want percentile 1, total %d, max %d ns", last, h.TotalCount(), h.Max())
	}
	if footer["Total count"] != float64(h.TotalCount()) || math.Abs(footer["Max"]-float64(h.Max())/1e6) > ns/2 {
		t.Errorf("footer %v, want total %d and max %.6f ms", footer, h.TotalCount(), float64(h.Max())/1e6)
	}
	if !strings.HasSuffix(buf.String(), HgrmUnitLine+"\n") || !strings.Contains(HgrmUnitLine, "ms") {
		t.Errorf("the file does not end by stating its unit (%q):\n%s", HgrmUnitLine, buf.String())
	}
}

func TestHgrmIsHdrHistogramsLayoutInMilliseconds(t *testing.T) {
	t.Parallel()
	// The same histogram printed by hdrhistogram-go in ms (three decimals):
	// every row and the footer must match ours to that precision, so any
	// reader of HdrHistogram's format reads ours alike.
	r := makeResult(t, fixture{impl: "mutex", conc: 2, ops: 3000, baseNs: 1_500_000, seed: 5})
	h, err := result.DecodeHistogram(r.Histogram.Response)
	if err != nil {
		t.Fatal(err)
	}
	var ours, lib bytes.Buffer
	if err := WriteHgrm(&ours, []*result.Result{r}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := h.PercentilesPrint(&lib, hgrmTicksPerHalfDistance, 1e6); err != nil {
		t.Fatal(err)
	}
	oursRows, oursFooter := parseHgrm(t, ours.String())
	libRows, libFooter := parseHgrm(t, lib.String())
	if len(oursRows) != len(libRows) {
		t.Fatalf("%d rows, hdrhistogram-go prints %d", len(oursRows), len(libRows))
	}
	for i := range libRows {
		o, l := oursRows[i], libRows[i]
		if math.Abs(o.value-l.value) > 0.0005 || o.percentile != l.percentile || o.total != l.total {
			t.Errorf("row %d: ours %+v, hdrhistogram-go %+v", i, o, l)
		}
	}
	for k, v := range libFooter {
		if math.Abs(oursFooter[k]-v) > 0.0005 {
			t.Errorf("footer %s: ours %v, hdrhistogram-go %v", k, oursFooter[k], v)
		}
	}
	if oursFooter["Buckets"] == 0 || oursFooter["SubBuckets"] == 0 {
		t.Errorf("footer lacks the geometry: %v", oursFooter)
	}
}

func TestWriteHgrmNamesEachOfSeveralResults(t *testing.T) {
	t.Parallel()
	results := []*result.Result{
		makeResult(t, fixture{impl: "mutex", conc: 1, ops: 100, baseNs: 100}),
		makeResult(t, fixture{impl: "atomic", conc: 1, ops: 100, baseNs: 50}),
	}
	var buf bytes.Buffer
	if err := WriteHgrm(&buf, results, "service"); err != nil {
		t.Fatal(err)
	}
	text := buf.String()
	for _, want := range []string{"#[Histogram Loadgen/impl=mutex", "#[Histogram Loadgen/impl=atomic", " service]"} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if err := WriteHgrm(&buf, results, "writes"); err == nil || !strings.Contains(err.Error(), "allowed: response, service") {
		t.Errorf("an unknown histogram name gives %v", err)
	}
}
