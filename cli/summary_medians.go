package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/syncbench/syncbench/metrics"
	"github.com/syncbench/syncbench/reports"
)

var medianColumns = []string{"cell", "runs", "ops/s", "p50", "p99", "p99.9", "svc p99"}

// medianRows groups repeated runs into cells (same impl and parameters) and
// renders each cell's medians with their min–max spread. It returns nil when no
// cell was repeated: the per-run table already says everything.
func medianRows(results []*metrics.Result) [][]string {
	cells := reports.GroupCells(results)
	repeated := false
	for _, c := range cells {
		repeated = repeated || len(c.Runs) > 1
	}
	if !repeated {
		return nil
	}
	var rows [][]string
	for _, c := range cells {
		rate := c.Spread(func(r *metrics.Result) float64 { return r.Rates.Achieved })
		lat := func(pick func(metrics.Latencies) int64) string {
			s := c.Spread(func(r *metrics.Result) float64 { return float64(pick(r.Latency)) })
			return spreadString(s, func(v float64) string { return formatNs(int64(v)) })
		}
		rows = append(rows, []string{
			cellName(c), fmt.Sprint(len(c.Runs)),
			spreadString(rate, formatCount),
			lat(func(l metrics.Latencies) int64 { return l.Response.P50 }),
			lat(func(l metrics.Latencies) int64 { return l.Response.P99 }),
			lat(func(l metrics.Latencies) int64 { return l.Response.P999 }),
			lat(func(l metrics.Latencies) int64 { return l.Service.P99 }),
		})
	}
	return rows
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

// spreadString renders a median with its range: "1.2M (1.1M–1.3M)".
func spreadString(s reports.Spread, format func(float64) string) string {
	if s.N == 0 {
		return "-"
	}
	if s.Min == s.Max {
		return format(s.Median)
	}
	return fmt.Sprintf("%s (%s–%s)", format(s.Median), format(s.Min), format(s.Max))
}

// writeTextMedians prints the per-cell medians after the per-run table.
func writeTextMedians(w io.Writer, results []*metrics.Result) error {
	rows := medianRows(results)
	if rows == nil {
		return nil
	}
	fmt.Fprintln(w, "\nmedians across repetitions (min–max):")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(medianColumns, "\t")+"\t")
	for _, row := range rows {
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	return tw.Flush()
}

// writeMarkdownMedians writes the same table in markdown.
func writeMarkdownMedians(w io.Writer, results []*metrics.Result) {
	rows := medianRows(results)
	if rows == nil {
		return
	}
	fmt.Fprintf(w, "\n## Medians across repetitions (min–max)\n\n| %s |\n|%s\n", strings.Join(medianColumns, " | "), strings.Repeat(" ---: |", len(medianColumns)))
	for _, row := range rows {
		fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
	}
}
