package reports

import (
	"errors"
	"fmt"
	"io"
	"strings"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/result"
)

// HgrmValueScale divides the histograms' nanoseconds into the unit .hgrm files
// are written in: microseconds. The format prints values with three decimals,
// so microseconds keep every nanosecond of a lock's 40 ns op that milliseconds
// (wrk2's choice) would round to 0.000.
const HgrmValueScale = 1e3

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
// footer lines. Values are microseconds (see HgrmValueScale). With several
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
		if _, err := h.PercentilesPrint(w, hgrmTicksPerHalfDistance, HgrmValueScale); err != nil {
			return err
		}
	}
	return nil
}

func nameOrResponse(name string) string {
	if name == "" {
		return "response"
	}
	return name
}
