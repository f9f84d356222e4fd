package reports

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"sort"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
)

// ConfigMismatchError reports results that measured different configurations and
// so cannot be merged without force.
type ConfigMismatchError struct {
	// First and Other describe the two configurations that differ, as
	// "impl family workload params".
	First, Other string
	// Index is the position in the input of the first result that differs from
	// the first one.
	Index int
}

func (e *ConfigMismatchError) Error() string {
	return fmt.Sprintf("result %d measured a different configuration (%s) from result 0 (%s)", e.Index, e.Other, e.First)
}

// Merge combines results of the same configuration, recorded concurrently in
// several processes or on several machines, into one result that passes
// Validate. It is lossless where the data allows:
//
//   - histograms are decoded, merged and re-encoded; the latency summaries are
//     recomputed from the merged histograms;
//   - counts add; the duration is the longest input's, the start the earliest;
//     rates are recomputed as counts over that duration;
//   - series intervals with the same offset are combined: counts and rates add,
//     the percentiles are the maximum of the inputs' (an upper bound, since
//     interval histograms are not stored);
//   - Interrupted and PacerLimited are set if any input has them;
//   - Env, Command and Floor are the first result's; Extras and ImplStats are kept
//     only when every input holds the same values (they cannot be combined
//     without knowing what they mean); Repetition is 0.
//
// Results whose CellKey differs (Impl, Family, Workload or Params other than
// Seed) are refused with a *ConfigMismatchError unless force is set; the merged
// result then carries the first result's identity and parameters. Results of
// fleet members (Extras["fleet"]) are refused with a *FleetMismatchError, unless
// force is set, when they are not all of one gathering and window or a member
// appears twice; their merge records the window with the number of members.
// A run given twice (the same start, host and content) is refused with a
// *SameRunError whatever force says. Merge does not modify its inputs.
func Merge(results []*result.Result, force bool) (*result.Result, error) {
	if len(results) == 0 {
		return nil, errors.New("nothing to merge")
	}
	// The same run twice is refused even with force: force accepts different
	// configurations, never a doubled count.
	if err := sameRun(results); err != nil {
		return nil, err
	}
	first := results[0]
	for i, r := range results[1:] {
		if !force && CellKey(r) != CellKey(first) {
			a, b := describeConfig(first), describeConfig(r)
			if a == b { // they differ in a parameter the short label leaves out
				a, b = configKey(first), configKey(r)
			}
			return nil, &ConfigMismatchError{First: a, Other: b, Index: i + 1}
		}
	}

	// Fleet members' results merge only within one gathering's window.
	var fleet *result.FleetWindow
	if !force {
		var err error
		if fleet, err = mergeFleet(results); err != nil {
			return nil, err
		}
	}

	out := *first
	out.Repetition = 0
	out.Series = nil
	out.Split = nil // per-repetition groups; not merged here
	out.Counts = result.Counts{}
	out.Interrupted, out.PacerLimited = false, false
	// The parts' threshold verdicts are not the merge's: whoever merges
	// judges the merged result (the -procs parent does).
	out.Thresholds, out.Aborted = nil, ""
	hists := [3]*hdr.Histogram{metrics.NewHistogram(), metrics.NewHistogram(), metrics.NewHistogram()}
	for i, r := range results {
		for j, enc := range []string{r.Histogram.Response, r.Histogram.Service, r.Histogram.Lag} {
			if enc == "" {
				continue // no lag: a closed loop
			}
			h, err := result.DecodeHistogram(enc)
			if err != nil {
				return nil, fmt.Errorf("result %d (%s): %v", i, r.Impl, err)
			}
			if dropped := hists[j].Merge(h); dropped > 0 {
				return nil, fmt.Errorf("result %d (%s): %d values outside the histogram range", i, r.Impl, dropped)
			}
		}
		out.Counts.Add(r.Counts)
		if r.DurationNs > out.DurationNs {
			out.DurationNs = r.DurationNs
		}
		if r.Start.Before(out.Start) {
			out.Start = r.Start
		}
		out.Interrupted = out.Interrupted || r.Interrupted
		if out.Aborted == "" {
			out.Aborted = r.Aborted // a part -threshold-abort stopped says why the merge is partial
		}
		out.PacerLimited = out.PacerLimited || r.PacerLimited
		if !reflect.DeepEqual(r.Extras, first.Extras) {
			out.Extras = nil
		}
		if !reflect.DeepEqual(r.ImplStats, first.ImplStats) {
			out.ImplStats = nil
		}
	}
	var err error
	if out.Histogram.Response, err = result.EncodeHistogram(hists[0]); err != nil {
		return nil, err
	}
	if out.Histogram.Service, err = result.EncodeHistogram(hists[1]); err != nil {
		return nil, err
	}
	out.Histogram.Lag = ""
	if hists[2].TotalCount() > 0 {
		if out.Histogram.Lag, err = result.EncodeHistogram(hists[2]); err != nil {
			return nil, err
		}
	}
	out.Latency = result.Latencies{Response: result.Summarize(hists[0]), Service: result.Summarize(hists[1]), Lag: result.SummarizePtr(hists[2])}
	if out.DurationNs > 0 {
		sec := float64(out.DurationNs) / 1e9
		out.Rates = result.Rates{
			Offered:  float64(out.Counts.Offered) / sec,
			Achieved: float64(out.Counts.Completed) / sec,
			Admitted: float64(out.Counts.OK) / sec,
		}
	} else {
		out.Rates = result.Rates{}
	}
	out.Series = mergeSeries(results)
	if fleet != nil {
		extras := map[string]map[string]any{} // not first's map: inputs stay as they were
		maps.Copy(extras, out.Extras)
		extras[result.FleetExtrasKey] = fleet.Map()
		out.Extras = extras
	}
	if err := out.Validate(); err != nil {
		return nil, fmt.Errorf("merged result is invalid: %v", err)
	}
	return &out, nil
}

// mergeSeries aligns the inputs' intervals by offset and combines each offset's.
func mergeSeries(results []*result.Result) []result.Interval {
	byOffset := map[int64]*result.Interval{}
	for _, r := range results {
		for _, iv := range r.Series {
			m, ok := byOffset[iv.OffsetNs]
			if !ok {
				c := iv
				byOffset[iv.OffsetNs] = &c
				continue
			}
			m.DurationNs = max(m.DurationNs, iv.DurationNs)
			m.Offered += iv.Offered
			m.Achieved += iv.Achieved
			m.Admitted += iv.Admitted
			m.OK += iv.OK
			m.Denied += iv.Denied
			m.Timeout += iv.Timeout
			m.Error += iv.Error
			m.ResponseP50 = max(m.ResponseP50, iv.ResponseP50)
			m.ResponseP99 = max(m.ResponseP99, iv.ResponseP99)
			m.ResponseMax = max(m.ResponseMax, iv.ResponseMax)
		}
	}
	if len(byOffset) == 0 {
		return nil
	}
	out := make([]result.Interval, 0, len(byOffset))
	for _, iv := range byOffset {
		out = append(out, *iv)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].OffsetNs < out[j].OffsetNs })
	return out
}

// describeConfig prints what CellKey compares, for error messages.
func describeConfig(r *result.Result) string {
	return fmt.Sprintf("impl=%s family=%s %s", r.Impl, r.Family, configLabel(r.Workload, r.Params))
}
