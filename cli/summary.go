package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/metrics"
)

// summaryColumns are the columns of the side-by-side summary, shared by the text
// and markdown renderings so they cannot drift apart.
var summaryColumns = []string{
	"impl", "model", "conc", "offered/s", "achieved/s", "completed", "ok", "denied", "timeout", "error",
	"p50", "p90", "p99", "p99.9", "max", "svc p50", "svc p99", "lag p99",
}

// summaryRow renders one result as the cells of summaryColumns.
func summaryRow(r *metrics.Result) []string {
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
	model := r.Params.Model
	if r.Params.Model == "open" {
		model = fmt.Sprintf("open %s/s", formatCount(r.Params.Rate))
	}
	l := r.Latency
	lagP99 := "-" // a closed loop starts each op when it intends to: no lag
	if r.Params.Model == "open" {
		lagP99 = formatNs(l.LagOrZero().P99)
	}
	return []string{
		name, model, fmt.Sprint(r.Params.Concurrency),
		formatCount(r.Rates.Offered), formatCount(r.Rates.Achieved), fmt.Sprint(r.Counts.Completed),
		fmt.Sprint(r.Counts.OK), fmt.Sprint(r.Counts.Denied), fmt.Sprint(r.Counts.Timeout), fmt.Sprint(r.Counts.Error),
		formatNs(l.Response.P50), formatNs(l.Response.P90), formatNs(l.Response.P99), formatNs(l.Response.P999), formatNs(l.Response.Max),
		formatNs(l.Service.P50), formatNs(l.Service.P99), lagP99,
	}
}

// writeTextSummary prints the terminal summary: one aligned row per result.
func writeTextSummary(w io.Writer, results []*metrics.Result) error {
	if len(results) == 0 {
		_, err := fmt.Fprintln(w, "no runs completed")
		return err
	}
	fmt.Fprintln(w, floorLine(results[0]))
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(summaryColumns, "\t")+"\t")
	for _, r := range results {
		fmt.Fprintln(tw, strings.Join(summaryRow(r), "\t")+"\t")
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
func writeMarkdownSummary(w io.Writer, results []*metrics.Result) error {
	if len(results) == 0 {
		_, err := fmt.Fprintln(w, "No runs completed.")
		return err
	}
	fmt.Fprintf(w, "# loadgen summary\n\n%s\n\n", floorLine(results[0]))
	if cmd := results[0].Command; cmd != "" {
		fmt.Fprintf(w, "Command: `%s`\n\n", cmd)
	}
	fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(summaryColumns, " | "), strings.Repeat(" ---: |", len(summaryColumns)))
	for _, r := range results {
		fmt.Fprintf(w, "| %s |\n", strings.Join(summaryRow(r), " | "))
	}
	writeMarkdownMedians(w, results)
	fmt.Fprintln(w)
	for _, note := range resultNotes(results) {
		fmt.Fprintf(w, "- %s\n", note)
	}
	return nil
}

// floorLine states the harness floor every report shows.
func floorLine(r *metrics.Result) string {
	return fmt.Sprintf("harness floor: %.0f ns/op, p50 %s (%s); latencies near it measure the harness, compare throughput instead",
		r.Floor.NsPerOp, formatNs(r.Floor.ResponseP50), r.Floor.Method)
}

// resultNotes explains what the table cannot: response vs service time, and any
// family-specific figures the results carry.
func resultNotes(results []*metrics.Result) []string {
	notes := []string{"p50..max: response time (finished − intended); svc: service time (finished − started); lag: started − intended"}
	for _, r := range results {
		if r.PacerLimited {
			notes = append(notes, fmt.Sprintf("%s: the pacer fell behind its schedule (lag p99 %s); latencies include the harness's own delay", r.Impl, formatNs(r.Latency.LagOrZero().P99)))
		}
		notes = append(notes, familyNotes(r)...)
	}
	return notes
}

// formatNs renders nanoseconds through internal/units: three significant digits,
// never an exponent ("999.6µs" prints as "1.00ms", not "1e+03µs").
func formatNs(ns int64) string { return units.DurationNs(ns) }

// formatCount renders a rate or count compactly: exact below 10000, then with an
// SI prefix (12345 → 12.3k).
func formatCount(v float64) string { return units.Count(v) }
