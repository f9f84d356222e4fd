package reports

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/result"
)

// HgrmValueScale divides the histograms' nanoseconds into the unit .hgrm files
// are written in: milliseconds, the unit wrk2 --latency writes and
// HdrHistogram's plotter labels its axis with by default, so a plotted loadgen
// file reads right. Values carry six decimals (hgrmValueDecimals), one
// nanosecond, so a lock's 40 ns op is 0.000040, not 0.000.
const HgrmValueScale = 1e6

// hgrmValueDecimals is the number of decimals of .hgrm values: a nanosecond in
// milliseconds.
const hgrmValueDecimals = 6

// HgrmUnitLine is the comment line every .hgrm file ends with, stating the
// values' unit: the format has no unit field, and readers skip '#' lines.
const HgrmUnitLine = "#[Unit    = ms, values recorded in ns, percentiles by rounded-up rank]"

// hgrmTicksPerHalfDistance is the percentile resolution of .hgrm rows: five
// rows per halving of the distance to 100%, HdrHistogram's own default.
const hgrmTicksPerHalfDistance = 5

// HistogramNames lists what WriteHgrm can export from r: "response" and
// "service", then each split histogram by its op kind or outcome ("read",
// "write", "ok", "denied", "unfinished"...), in the result's order.
func HistogramNames(r *result.Result) []string {
	return append([]string{"response", "service"}, r.SplitNames()...)
}

// histogramOf decodes the histogram called name (see HistogramNames) of r.
// Split groups are response times.
func histogramOf(r *result.Result, name string) (*hdr.Histogram, error) {
	var enc string
	switch name {
	case "", "response":
		enc = r.Histogram.Response
	case "service":
		enc = r.Histogram.Service
	default:
		s, found := r.SplitGroup(name)
		if !found {
			return nil, fmt.Errorf("%s has no %q histogram (allowed: %s)", r.Impl, name, strings.Join(HistogramNames(r), ", "))
		}
		enc = s.Histogram.Response
	}
	return result.DecodeHistogram(enc)
}

// WriteHgrm writes histogram name ("response" when empty; see HistogramNames) of
// each result in HdrHistogram's percentile distribution format (.hgrm), the text
// HdrHistogram's outputPercentileDistribution, wrk2 --latency and vegeta's
// hdrplot print and HdrHistogram's plotter reads: a header line, rows of
// "Value Percentile TotalCount 1/(1-Percentile)", and #[Mean, Max, Buckets]
// footer lines, then HgrmUnitLine. Values are milliseconds to the nanosecond
// (see HgrmValueScale), at the percentiles result.ValueAtQuantile gives. With several
// results, each distribution is preceded by a "#[Histogram <name>]" line naming
// its result (see BenchName); a single result's file is exactly the standard
// format.
func WriteHgrm(w io.Writer, results []*result.Result, name string) error {
	if len(results) == 0 {
		return errors.New("no results to write")
	}
	for i, r := range results {
		h, err := histogramOf(r, name)
		if err != nil {
			return err
		}
		if len(results) > 1 {
			sep := ""
			if i > 0 {
				sep = "\n"
			}
			if _, err := fmt.Fprintf(w, "%s#[Histogram %s %s]\n", sep, BenchName(r), nameOrResponse(name)); err != nil {
				return err
			}
		}
		if err := writeHgrmDistribution(w, h); err != nil {
			return err
		}
	}
	return nil
}

// writeHgrmDistribution writes one histogram as HdrHistogram's percentile
// distribution, row for row as hdrhistogram-go's PercentilesPrint lays it out
// (the percentile levels and cumulative counts of its iterator, "inf" for the
// last row's 1/(1-Percentile)), with values in milliseconds to the nanosecond
// and taken from result.ValueAtQuantile, so that every .hgrm value is the
// percentile the result file and the report state. The 0% row keeps the
// format's own value, the upper edge of the lowest bucket, as every
// HdrHistogram implementation prints it.
func writeHgrmDistribution(w io.Writer, h *hdr.Histogram) error {
	var b strings.Builder
	b.WriteString(" Value\tPercentile\tTotalCount\t1/(1-Percentile)\n\n")
	ms := func(ns float64) string { return fmt.Sprintf("%12.*f", hgrmValueDecimals, ns/HgrmValueScale) }
	for _, row := range h.CumulativeDistributionWithTicks(hgrmTicksPerHalfDistance) {
		value := row.ValueAt
		if row.Quantile > 0 {
			value = result.ValueAtQuantile(h, row.Quantile)
		}
		p := row.Quantile / 100
		inverted := fmt.Sprintf("%12.2f", 1/(1-p))
		if p >= 1 {
			inverted = fmt.Sprintf("%12s", "inf")
		}
		fmt.Fprintf(&b, "%s %12f %12d %s\n", ms(float64(value)), p, row.Count, inverted)
	}
	fmt.Fprintf(&b, "#[Mean    = %s, StdDeviation   = %s]\n", ms(h.Mean()), ms(h.StdDev()))
	fmt.Fprintf(&b, "#[Max     = %s, Total count    = %12d]\n", ms(float64(h.Max())), h.TotalCount())
	g := hgrmGeometryOf(h)
	fmt.Fprintf(&b, "#[Buckets = %12d, SubBuckets     = %12d]\n", g.buckets, g.subBuckets)
	b.WriteString(HgrmUnitLine + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func nameOrResponse(name string) string {
	if name == "" {
		return "response"
	}
	return name
}

// hgrmGeometry is the bucket and sub-bucket counts of one histogram geometry,
// as the .hgrm footer states them.
type hgrmGeometry struct{ buckets, subBuckets int64 }

// hgrmGeometries memoises hgrmGeometryOf by geometry: every result histogram
// has one geometry, so this holds a single entry.
var hgrmGeometries sync.Map // [3]int64{lowest, highest, digits} → hgrmGeometry

// hgrmGeometryOf reads h's bucket counts, which hdrhistogram-go keeps
// unexported, from the footer its PercentilesPrint writes for an empty
// histogram of the same geometry: exact, whatever the library's layout.
func hgrmGeometryOf(h *hdr.Histogram) hgrmGeometry {
	key := [3]int64{h.LowestTrackableValue(), h.HighestTrackableValue(), h.SignificantFigures()}
	if g, ok := hgrmGeometries.Load(key); ok {
		return g.(hgrmGeometry)
	}
	var buf bytes.Buffer
	var g hgrmGeometry
	if _, err := hdr.New(key[0], key[1], int(key[2])).PercentilesPrint(&buf, 1, 1); err == nil {
		for line := range strings.SplitSeq(buf.String(), "\n") {
			if _, err := fmt.Sscanf(strings.ReplaceAll(line, " ", ""), "#[Buckets=%d,SubBuckets=%d]", &g.buckets, &g.subBuckets); err == nil {
				break
			}
		}
	}
	hgrmGeometries.Store(key, g)
	return g
}
