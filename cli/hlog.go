package cli

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/internal/cleanup"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
)

// hlogFile streams one run's interval histograms into an HdrHistogram log
// (.hlog, read by hdrhistogram-go's HistogramLogReader and HistogramLogAnalyzer):
// one response-time and one service-time histogram per interval, tagged
// "response" and "service", values in nanoseconds; a comment in its header
// says whether they hold every op or a random sample and of what share, and
// its last line gives the run's timed and counted ops. It writes to a temporary file
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
	// CreateTemp makes the file private (0600); the log is as readable as
	// the result beside it (result.WriteFileAtomic's 0644).
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
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
			func() error { return h.log.OutputComment(hlogTimingComment(s.Fraction)) },
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

// hlogTimingComment is the header comment saying whether the log's
// histograms hold every op or a random sample, and which share: a sampled
// run's log holds only its timed ops (19,391 values for 19.5M ops), and
// nothing else in the format would say so.
func hlogTimingComment(fraction float64) string {
	switch {
	case fraction >= 1:
		return "[Timing: full, every op timed: the histograms hold every op]"
	case fraction > 0:
		return fmt.Sprintf("[Timing: sampled, fraction %s (about 1 op in %s timed): the histograms hold a random sample of the ops, not every op; the result file counts every op]",
			strconv.FormatFloat(fraction, 'g', 6, 64), strconv.FormatFloat(math.Round(1/fraction), 'f', -1, 64))
	}
	return "[Timing: not decided at the first interval; the last line says what the histograms hold]"
}

// commit ends the log with a comment giving the run's timing (mode, fraction,
// timed ops; nil when unknown) beside its completed ops, closes it and renames
// it into place; abandon removes it instead.
func (h *hlogFile) commit(timing *result.Timing, completed int64) error {
	defer h.forget()
	if h.err == nil && timing != nil && !h.start.IsZero() {
		h.err = h.log.OutputComment(fmt.Sprintf("[Timing: %s, fraction %s, %d timed ops; %d ops completed in the window]",
			timing.Mode, strconv.FormatFloat(timing.Fraction, 'g', 6, 64), timing.Samples, completed))
	}
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
