package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/result"
)

var medianColumns = []string{"cell", "runs", "ops/s", "p50", "p99", "p99.9", "svc p99"}

// medianRows groups repeated runs into cells (same impl and parameters) and
// renders each cell's medians with their min–max spread. It returns nil when no
// cell was repeated: the per-run table already says everything. A cell whose
// repetitions' throughput is bimodal (reports.BimodalOf) carries
// reports.BimodalMark beside its ops/s, and notes holds one line per such
// cell naming both clusters, so the median does not hide them.
func medianRows(results []*result.Result) (rows [][]string, notes []string) {
	cells := reports.GroupCells(results)
	repeated := false
	for _, c := range cells {
		repeated = repeated || len(c.Runs) > 1
	}
	if !repeated {
		return nil, nil
	}
	for _, c := range cells {
		rate := c.Spread(func(r *result.Result) float64 { return r.Rates.Achieved })
		lat := func(pick func(result.Latencies) int64) string {
			s := c.Spread(func(r *result.Result) float64 { return float64(pick(r.Latency)) })
			return s.Format(func(v float64) string { return formatNs(int64(v)) })
		}
		ops := rate.Format(formatCount)
		if note := reports.BimodalNote(c); note != "" {
			ops += " " + reports.BimodalMark
			notes = append(notes, reports.BimodalMark+" "+cellName(c)+": "+note)
		}
		rows = append(rows, []string{
			cellName(c), fmt.Sprint(len(c.Runs)),
			ops,
			lat(func(l result.Latencies) int64 { return l.Response.P50 }),
			lat(func(l result.Latencies) int64 { return l.Response.P99 }),
			lat(func(l result.Latencies) int64 { return l.Response.P999 }),
			lat(func(l result.Latencies) int64 { return l.Service.P99 }),
		})
	}
	return rows, notes
}

// cellName labels a cell by its impl and the parameters sweeps vary.
func cellName(c *reports.Cell) string {
	parts := []string{c.Impl}
	if c.Params.Model == "open" {
		parts = append(parts, "rps="+formatCount(c.Params.Rate))
	}
	parts = append(parts, fmt.Sprintf("conc=%d", c.Params.Concurrency), fmt.Sprintf("cpu=%d", c.Params.GOMAXPROCS))
	return strings.Join(parts, " ")
}

// writeTextMedians prints the per-cell medians after the per-run table.
func writeTextMedians(w io.Writer, results []*result.Result) error {
	rows, notes := medianRows(results)
	if rows == nil {
		return nil
	}
	fmt.Fprintln(w, "\nmedians across repetitions (min–max):")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(medianColumns, "\t")+"\t")
	for _, row := range rows {
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, n := range notes {
		if _, err := fmt.Fprintln(w, n); err != nil {
			return err
		}
	}
	return nil
}

// writeMarkdownMedians writes the same table in markdown.
func writeMarkdownMedians(w io.Writer, results []*result.Result) {
	rows, notes := medianRows(results)
	if rows == nil {
		return
	}
	fmt.Fprintf(w, "\n## Medians across repetitions (min–max)\n\n| %s |\n|%s\n", strings.Join(medianColumns, " | "), strings.Repeat(" ---: |", len(medianColumns)))
	for _, row := range rows {
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range notes {
			fmt.Fprintf(w, "- %s\n", n)
		}
	}
}
