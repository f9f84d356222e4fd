package metrics

import (
	"fmt"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// LiveCheck evaluates thresholds while a run goes on (-threshold-abort), on
// everything the measured window has recorded so far: the interval
// histograms merged as they come, and the outcome counts of the intervals.
// It is k6's abortOnFail: once the window is Delay old, the first threshold
// that fails at an interval's end stops the run.
//
// Only thresholds that interval data can answer are checked (Threshold.Live:
// not a split's, not the offered count, not admitted_rate_error); the run's
// final verdicts check them all. Memory is three histograms, whatever the
// run's length. A LiveCheck is fed from one goroutine (the run's collector)
// and is not safe for concurrent use.
type LiveCheck struct {
	thresholds []Threshold
	delayNs    int64
	windowNs   int64
	response   *hdr.Histogram
	service    *hdr.Histogram
	lag        *hdr.Histogram
	counts     [impls.NumOutcomes]int64
}

// NewLiveCheck returns a check of the live thresholds among thresholds, from
// delay into a measured window of the given length on (intervals ending after
// the window, the drain of its last ops, are not checked). It returns nil
// when none of them can be checked live.
func NewLiveCheck(thresholds []Threshold, delay, window time.Duration) *LiveCheck {
	c := &LiveCheck{delayNs: int64(delay), windowNs: int64(window),
		response: result.NewHistogram(), service: result.NewHistogram(), lag: result.NewHistogram()}
	for _, t := range thresholds {
		if t.Live() {
			c.thresholds = append(c.thresholds, t)
		}
	}
	if len(c.thresholds) == 0 {
		return nil
	}
	return c
}

// Sample merges one interval's histograms (a workloads.Hooks.OnSample
// callback; the histograms are read during the call only).
func (c *LiveCheck) Sample(s IntervalSample, _, _ int64) {
	c.response.Merge(s.Response)
	c.service.Merge(s.Service)
	if s.Lag != nil {
		c.lag.Merge(s.Lag)
	}
}

// Interval adds one interval's outcome counts (a workloads.Hooks.OnInterval
// callback, called after Sample for the same interval) and, when the window
// is at least Delay old and the interval ends inside it, checks the
// thresholds. It returns the first failed threshold's verdict with a reason
// for the run's Aborted field, or ok false when every one holds.
func (c *LiveCheck) Interval(iv result.Interval) (v result.ThresholdVerdict, reason string, failed bool) {
	c.counts[impls.OK] += iv.OK
	c.counts[impls.Denied] += iv.Denied
	c.counts[impls.Timeout] += iv.Timeout
	c.counts[impls.Error] += iv.Error
	end := iv.OffsetNs + iv.DurationNs
	if end < c.delayNs || end > c.windowNs || end <= 0 {
		return v, "", false
	}
	r := c.partial(end)
	for _, t := range c.thresholds {
		if v = t.verdict(r, c); !v.Pass {
			return v, fmt.Sprintf("%s failed after %s of the %s window: %s", t.Text,
				units.Trim(units.DurationNs(end)), units.Trim(units.DurationNs(c.windowNs)), v.Message), true
		}
	}
	return v, "", false
}

// partial is the result of the window's first elapsed ns: counts, rates and
// latency summaries of what has been recorded.
func (c *LiveCheck) partial(elapsed int64) *result.Result {
	n := c.counts
	completed := n[impls.OK] + n[impls.Denied] + n[impls.Timeout] + n[impls.Error]
	secs := float64(elapsed) / 1e9
	r := &result.Result{
		DurationNs: elapsed,
		Counts:     result.Counts{Completed: completed, OK: n[impls.OK], Denied: n[impls.Denied], Timeout: n[impls.Timeout], Error: n[impls.Error]},
		Rates:      result.Rates{Achieved: float64(completed) / secs, Admitted: float64(n[impls.OK]) / secs},
		Latency:    result.Latencies{Response: result.Summarize(c.response), Service: result.Summarize(c.service), Lag: result.SummarizePtr(c.lag)},
	}
	return r
}

// histogram serves the percentiles the summaries do not hold from the merged
// histograms (a LiveCheck checks no split).
func (c *LiveCheck) histogram(timing string, _ *result.Split) (*hdr.Histogram, error) {
	switch timing {
	case "service":
		return c.service, nil
	case "lag":
		return c.lag, nil
	}
	return c.response, nil
}
