package reports

import (
	"errors"
	"fmt"
	"io"
	"strings"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/result"
)

// WriteHlog writes the response-time histogram of each result as one interval
// of an HdrHistogram log (.hlog, format 1.3, read by HistogramLogAnalyzer and
// hdrhistogram-go's HistogramLogReader). Each interval spans the result's measured
// run, is tagged with its BenchName (commas and blanks, which the format uses as
// separators, become ';' and '_'), and holds latencies in nanoseconds. The log's
// start and base time are the earliest result's start.
func WriteHlog(w io.Writer, results []*result.Result) error {
	if len(results) == 0 {
		return errors.New("no results to write")
	}
	base := results[0].Start
	for _, r := range results {
		if r.Start.Before(base) {
			base = r.Start
		}
	}
	lw := hdr.NewHistogramLogWriter(w)
	baseMs := base.UnixMilli()
	if err := lw.OutputComment("[syncbench response-time histograms, one interval per run, values in ns]"); err != nil {
		return err
	}
	if err := lw.OutputLogFormatVersion(); err != nil {
		return err
	}
	if err := lw.OutputStartTime(baseMs); err != nil {
		return err
	}
	if err := lw.OutputBaseTime(baseMs); err != nil {
		return err
	}
	lw.SetBaseTime(baseMs)
	if err := lw.OutputLegend(); err != nil {
		return err
	}
	tagSafe := strings.NewReplacer(",", ";", " ", "_", "\t", "_", "\n", "_")
	for i, r := range results {
		h, err := result.DecodeHistogram(r.Histogram.Response)
		if err != nil {
			return fmt.Errorf("result %d (%s): %v", i, r.Impl, err)
		}
		start := r.Start.UnixMilli()
		h.SetStartTimeMs(start)
		h.SetEndTimeMs(start + r.DurationNs/1e6)
		h.SetTag(tagSafe.Replace(BenchName(r)))
		if err := lw.OutputIntervalHistogram(h); err != nil {
			return err
		}
	}
	return nil
}
