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
	// Every row is hdrhistogram-go's own cumulative distribution at that step:
	// the value in µs (to the format's three decimals) and the exact count.
	dist := h.CumulativeDistributionWithTicks(hgrmTicksPerHalfDistance)
	if len(rows) != len(dist) {
		t.Fatalf("%d rows, the histogram's distribution has %d steps", len(rows), len(dist))
	}
	for i, row := range rows {
		want := float64(dist[i].ValueAt) / HgrmValueScale
		if math.Abs(row.value-want) > 0.0005 || row.total != dist[i].Count || math.Abs(row.percentile-dist[i].Quantile/100) > 1e-6 {
			t.Errorf("row %d = %+v, histogram step %+v", i, row, dist[i])
		}
	}
	// The rows agree with the histogram's percentiles: at p50, p90 and p99 the
	// first row at or past the percentile holds the histogram's value.
	for _, q := range []float64{50, 90, 99} {
		want := float64(h.ValueAtQuantile(q)) / HgrmValueScale
		for _, row := range rows {
			if row.percentile >= q/100 {
				if row.value < want-0.0005 {
					t.Errorf("p%v: first row past it reads %.3f µs, the histogram %.3f µs", q, row.value, want)
				}
				break
			}
		}
	}
	last := rows[len(rows)-1]
	if last.percentile != 1 || last.total != h.TotalCount() || math.Abs(last.value-float64(h.Max())/HgrmValueScale) > 0.0005 {
		t.Errorf("last row %+v, want percentile 1, total %d, max %d ns", last, h.TotalCount(), h.Max())
	}
	if footer["Total count"] != float64(h.TotalCount()) || math.Abs(footer["Max"]-float64(h.Max())/HgrmValueScale) > 0.0005 {
		t.Errorf("footer %v, want total %d and max %.3f", footer, h.TotalCount(), float64(h.Max())/HgrmValueScale)
	}
}

func TestWriteHgrmNamesEachOfSeveralResults(t *testing.T) {
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
