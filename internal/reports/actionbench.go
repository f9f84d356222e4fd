package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// ActionBenchmarkEntry is one data point of github-action-benchmark's custom
// tools ("customSmallerIsBetter" / "customBiggerIsBetter"), which read a JSON
// list of these and chart each name's value across commits.
type ActionBenchmarkEntry struct {
	// Name identifies the series: the cell's BenchName and the metric, e.g.
	// "Loadgen/impl=mutex/conc=8/rps=0 response p99".
	Name string `json:"name"`
	// Unit is "ns" for latencies, "ops/s" for rates.
	Unit string `json:"unit"`
	// Value is the median across the cell's repetitions.
	Value float64 `json:"value"`
	// Range is the min–max across repetitions, when there were several.
	Range string `json:"range,omitempty"`
	// Extra says what a reader must know about the value: the repetitions it is
	// the median of, and whether it is a lower bound.
	Extra string `json:"extra,omitempty"`
}

// Directions of WriteActionBenchmark, matching github-action-benchmark's tool
// names: one file holds metrics of one direction only, because the tool applies
// its alert direction to the whole file.
const (
	SmallerIsBetter = "smaller" // latencies, for tool: customSmallerIsBetter
	BiggerIsBetter  = "bigger"  // throughput, for tool: customBiggerIsBetter
)

// actionMetric is one figure exported per cell.
type actionMetric struct {
	name, unit string
	get        func(*result.Result) (v float64, lowerBound, ok bool)
}

// actionMetrics lists the figures of each direction. Latencies are the
// target's own: response p50/p99, service p99 (what the target took, free of
// queueing), and the split groups' p99 when the result has them.
func actionMetrics(direction string, r *result.Result) []actionMetric {
	if direction == BiggerIsBetter {
		ms := []actionMetric{{"achieved", "ops/s", func(r *result.Result) (float64, bool, bool) { return r.Rates.Achieved, false, true }}}
		if r.Family == "limiters" || r.Family == "redis" {
			ms = append(ms, actionMetric{"admitted", "ops/s", func(r *result.Result) (float64, bool, bool) { return r.Rates.Admitted, false, true }})
		}
		return ms
	}
	lat := func(f func(*result.Result) result.LatencySummary, p func(result.LatencySummary) int64) func(*result.Result) (float64, bool, bool) {
		return func(r *result.Result) (float64, bool, bool) {
			s := f(r)
			return float64(p(s)), s.LowerBound, s.Count > 0
		}
	}
	resp := func(r *result.Result) result.LatencySummary { return r.Latency.Response }
	svc := func(r *result.Result) result.LatencySummary { return r.Latency.Service }
	p50 := func(s result.LatencySummary) int64 { return s.P50 }
	p99 := func(s result.LatencySummary) int64 { return s.P99 }
	ms := []actionMetric{
		{"response p50", "ns", lat(resp, p50)},
		{"response p99", "ns", lat(resp, p99)},
		{"service p99", "ns", lat(svc, p99)},
	}
	for _, name := range r.SplitNames() {
		ms = append(ms, actionMetric{name + " p99", "ns", lat(func(r *result.Result) result.LatencySummary {
			s, _ := r.SplitLatency(name)
			return s.Response
		}, p99)})
	}
	return ms
}

// WriteActionBenchmark writes results as the JSON list github-action-benchmark's
// custom tools read (direction SmallerIsBetter: latencies in ns; BiggerIsBetter:
// rates in ops/s): ActionBenchmarkEntries, indented.
func WriteActionBenchmark(w io.Writer, results []*result.Result, direction string) error {
	entries, err := ActionBenchmarkEntries(results, direction)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(entries)
}

// ActionBenchmarkEntries returns one entry per cell and metric of direction
// (SmallerIsBetter or BiggerIsBetter), in cell order. Repetitions of a cell
// become one entry: the median, with the min–max as its range, because the
// tool charts one value per name and commit.
func ActionBenchmarkEntries(results []*result.Result, direction string) ([]ActionBenchmarkEntry, error) {
	if direction != SmallerIsBetter && direction != BiggerIsBetter {
		return nil, fmt.Errorf("direction %q is not allowed (allowed: %s, %s)", direction, SmallerIsBetter, BiggerIsBetter)
	}
	if len(results) == 0 {
		return nil, errors.New("no results to write")
	}
	entries := []ActionBenchmarkEntry{}
	for _, c := range GroupCells(results) {
		for _, m := range actionMetrics(direction, c.Runs[0]) {
			var vals []float64
			lb := false
			for _, r := range c.Runs {
				v, lower, ok := m.get(r)
				if ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
					vals = append(vals, v)
					lb = lb || lower
				}
			}
			if len(vals) == 0 {
				continue
			}
			s := SpreadOf(vals)
			e := ActionBenchmarkEntry{Name: BenchName(c.Runs[0]) + " " + m.name, Unit: m.unit, Value: s.Median}
			if s.N > 1 {
				e.Range = units.Plain(s.Min) + "–" + units.Plain(s.Max)
				e.Extra = fmt.Sprintf("median of %d repetitions", s.N)
			}
			if lb {
				e.Extra = joinExtra(e.Extra, "lower bound: some ops were unfinished when the run ended")
			}
			entries = append(entries, e)
		}
	}
	return entries, nil
}

func joinExtra(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
