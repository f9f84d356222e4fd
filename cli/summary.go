package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// summaryOptions choose what the summary tables show.
type summaryOptions struct {
	// percentiles are the response-time percentiles shown (default 50, 90,
	// 99, 99.9); a max column always follows.
	percentiles []float64
	// splits are the split-histogram p99 columns (read/write, admitted/denied,
	// ...) of the families in the results, only those some result has.
	splits []reports.SplitColumn
	// keys adds a keys column after conc: some result spread its ops over keys
	// (a map, a keyed limiter), and how many changes what it measured.
	keys bool
}

// newSummaryOptions returns the options for results: the chosen percentiles
// (nil for the default) and the split columns the results' families use and
// hold.
func newSummaryOptions(results []*result.Result, percentiles []float64) summaryOptions {
	o := summaryOptions{percentiles: percentiles}
	if len(o.percentiles) == 0 {
		o.percentiles = reports.DefaultPercentiles
	}
	seen := map[string]bool{}
	for _, r := range results {
		o.keys = o.keys || r.Params.Keys > 0
		for _, sc := range reports.SplitColumns(r.Family) {
			if _, ok := reports.SplitLatency(r, sc.Name); ok && !seen[sc.Label] {
				seen[sc.Label] = true
				o.splits = append(o.splits, sc)
			}
		}
	}
	return o
}

// columns are the summary's column headings, shared by the text and markdown
// renderings and the progress lines so they cannot drift apart.
func (o summaryOptions) columns() []string {
	cols := []string{"impl", "model", "conc"}
	if o.keys {
		cols = append(cols, "keys")
	}
	cols = append(cols, "offered/s", "achieved/s", "completed", "unfinished", "ok", "denied", "timeout", "error")
	for _, q := range o.percentiles {
		cols = append(cols, "p"+units.Plain(q))
	}
	cols = append(cols, "max", "svc p50", "svc p99", "lag p99")
	for _, sc := range o.splits {
		cols = append(cols, sc.Label)
	}
	return cols
}

// summaryRow renders one result as the cells of o.columns(). Response
// percentiles that include unfinished ops' waits so far are lower bounds and
// print as "≥ 3.00s"; a closed loop has no lag ("-").
func summaryRow(r *result.Result, o summaryOptions) []string {
	name := r.Impl
	if _, phase, ok := strings.Cut(r.Workload, "#"); ok {
		name += " [" + phase + "]"
	}
	if r.Repetition > 0 {
		name = fmt.Sprintf("%s #%d", name, r.Repetition)
	}
	if r.Interrupted {
		name += " (interrupted)"
	}
	if r.PacerLimited {
		name += " (pacer-limited)"
	}
	if reports.Saturated(r) {
		name += " (saturated)"
	}
	model := r.Params.Model
	if r.Params.Model == "open" {
		model = fmt.Sprintf("open %s/s", formatCount(r.Params.Rate))
	}
	if m := reports.EffectiveMode(r); m != "" {
		model += " " + m
	}
	l := r.Latency
	lb := reports.LowerBound(l.Response)
	ns := func(v int64, lowerBound bool) string { return units.AtLeast(formatNs(v), lowerBound) }
	row := []string{name, model, fmt.Sprint(r.Params.Concurrency)}
	if o.keys {
		keys := units.Missing // an unkeyed target beside keyed ones
		if r.Params.Keys > 0 {
			keys = fmt.Sprint(r.Params.Keys)
		}
		row = append(row, keys)
	}
	row = append(row,
		units.Rate(r.Rates.Offered), units.Rate(r.Rates.Achieved), fmt.Sprint(r.Counts.Completed), fmt.Sprint(reports.UnfinishedOps(r)),
		fmt.Sprint(r.Counts.OK), fmt.Sprint(r.Counts.Denied), fmt.Sprint(r.Counts.Timeout), fmt.Sprint(r.Counts.Error),
	)
	for _, q := range o.percentiles {
		v, err := reports.ResponsePercentile(r, q)
		if err != nil {
			row = append(row, units.Missing)
			continue
		}
		row = append(row, ns(v, lb))
	}
	lag := units.Missing // a closed loop starts each op when it intends to: no lag
	if s, ok := reports.LagOf(r); ok {
		lag = formatNs(s.P99)
	}
	row = append(row, ns(l.Response.Max, lb), formatNs(l.Service.P50), formatNs(l.Service.P99), lag)
	for _, sc := range o.splits {
		s, ok := reports.SplitLatency(r, sc.Name)
		if !ok {
			row = append(row, units.Missing)
			continue
		}
		row = append(row, ns(s.Response.P99, reports.LowerBound(s.Response)))
	}
	return row
}

// writeTextSummary prints the terminal summary: one aligned row per result.
func writeTextSummary(w io.Writer, results []*result.Result, percentiles []float64) error {
	if len(results) == 0 {
		_, err := fmt.Fprintln(w, "no runs completed")
		return err
	}
	o := newSummaryOptions(results, percentiles)
	fmt.Fprintln(w, floorLine(results[0]))
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(o.columns(), "\t")+"\t")
	for _, r := range results {
		fmt.Fprintln(tw, strings.Join(summaryRow(r, o), "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := writeTextMedians(w, results); err != nil {
		return err
	}
	for _, note := range resultNotes(results) {
		fmt.Fprintln(w, note)
	}
	return nil
}

// writeMarkdownSummary writes the same table as markdown (summary.md, -format md).
func writeMarkdownSummary(w io.Writer, results []*result.Result, percentiles []float64) error {
	if len(results) == 0 {
		_, err := fmt.Fprintln(w, "No runs completed.")
		return err
	}
	fmt.Fprintf(w, "# loadgen summary\n\n%s\n\n", floorLine(results[0]))
	if cmd := results[0].Command; cmd != "" {
		fmt.Fprintf(w, "Command: `%s`\n\n", cmd)
	}
	o := newSummaryOptions(results, percentiles)
	cols := o.columns()
	fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(cols, " | "), strings.Repeat(" ---: |", len(cols)))
	for _, r := range results {
		fmt.Fprintf(w, "| %s |\n", strings.Join(summaryRow(r, o), " | "))
	}
	writeMarkdownMedians(w, results)
	fmt.Fprintln(w)
	for _, note := range resultNotes(results) {
		fmt.Fprintf(w, "- %s\n", note)
	}
	return nil
}

// floorLine states the harness floor every report shows.
func floorLine(r *result.Result) string { return floorText(r.Floor) }

// floorText states a measured harness floor.
func floorText(f result.Floor) string {
	how := f.Method
	if mode := f.ModeText(); mode != "" {
		how = mode + "; " + how
	}
	return fmt.Sprintf("harness floor: %s/op, p50 %s (%s); latencies near it measure the harness, compare throughput instead",
		units.Duration(f.NsPerOp), formatNs(f.ResponseP50), how)
}

// formatNs renders nanoseconds through internal/units: three significant digits,
// never an exponent ("999.6µs" prints as "1.00ms", not "1e+03µs").
func formatNs(ns int64) string { return units.DurationNs(ns) }

// formatCount renders a rate or count compactly: exact below 10000, then with an
// SI prefix (12345 → 12.3k).
func formatCount(v float64) string { return units.Count(v) }
