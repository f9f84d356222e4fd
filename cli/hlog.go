package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/internal/cleanup"
	"github.com/syncbench/syncbench/internal/metrics"
)

// hlogFile streams one run's interval histograms into an HdrHistogram log
// (.hlog, read by hdrhistogram-go's HistogramLogReader and HistogramLogAnalyzer):
// one response-time and one service-time histogram per interval, tagged
// "response" and "service", values in nanoseconds. It writes to a temporary file
// renamed into place by commit, so an abandoned run leaves nothing behind.
type hlogFile struct {
	path  string
	tmp   *os.File
	log   *hdr.HistogramLogWriter
	start time.Time
	err   error
	// forget drops the temp file from the hard-exit cleanup once it is
	// committed or removed.
	forget func()
}

// newHlogFile starts the log that commit will put at path. Writes happen on the
// run's collector goroutine, one interval at a time, so memory stays flat.
func newHlogFile(path string) (*hlogFile, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, err
	}
	return &hlogFile{path: path, tmp: tmp, log: hdr.NewHistogramLogWriter(tmp), forget: cleanup.Track(tmp.Name())}, nil
}

// sample is a workloads.Hooks.OnSample callback. The log's base time is the first
// interval's start, learnt from the wall clock at the first call.
func (h *hlogFile) sample(s metrics.IntervalSample, offsetNs, lengthNs int64) {
	if h.err != nil {
		return
	}
	if h.start.IsZero() {
		h.start = time.Now().Add(-time.Duration(offsetNs + lengthNs))
		startMs := h.start.UnixMilli()
		for _, step := range []func() error{
			h.log.OutputLogFormatVersion,
			func() error { return h.log.OutputStartTime(startMs) },
			func() error { h.log.SetBaseTime(startMs); return h.log.OutputBaseTime(startMs) },
			func() error { return h.log.OutputComment("syncbench interval histograms, values in ns") },
			h.log.OutputLegend,
		} {
			if h.err = step(); h.err != nil {
				return
			}
		}
	}
	startMs := h.start.Add(time.Duration(offsetNs)).UnixMilli()
	endMs := h.start.Add(time.Duration(offsetNs + lengthNs)).UnixMilli()
	for _, tagged := range []struct {
		tag  string
		hist *hdr.Histogram
	}{{"response", s.Response}, {"service", s.Service}} {
		tag, hist := tagged.tag, tagged.hist
		hist.SetStartTimeMs(startMs)
		hist.SetEndTimeMs(endMs)
		hist.SetTag(tag)
		if h.err = h.log.OutputIntervalHistogram(hist); h.err != nil {
			return
		}
	}
}

// commit closes the log and renames it into place; abandon removes it instead.
func (h *hlogFile) commit() error {
	defer h.forget()
	closeErr := h.tmp.Close()
	if h.err != nil || closeErr != nil {
		os.Remove(h.tmp.Name())
		return fmt.Errorf("writing %s: %v", h.path, unwrapPathError(errors.Join(h.err, closeErr)))
	}
	if err := os.Rename(h.tmp.Name(), h.path); err != nil {
		os.Remove(h.tmp.Name())
		return fmt.Errorf("writing %s: %v", h.path, unwrapPathError(err))
	}
	return nil
}

func (h *hlogFile) abandon() {
	defer h.forget()
	h.tmp.Close()
	os.Remove(h.tmp.Name())
}
