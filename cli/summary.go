package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/internal/table"
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
	// gc adds a gc column after it: some result ran under a GOGC or memory
	// limit of its own (-gogc, -memlimit), a sweep's dimension.
	gc bool
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
		o.gc = o.gc || r.Params.GOGC != "" || r.Params.MemoryLimit != ""
		for _, sc := range reports.SplitColumns(r.Family) {
			if _, ok := r.SplitLatency(sc.Name); ok && !seen[sc.Label] {
				seen[sc.Label] = true
				o.splits = append(o.splits, sc)
			}
		}
	}
	return o
}

// columns declares the summary's columns, each once with its heading and
// cell; the text and markdown renderings and the progress lines share them,
// so they cannot drift apart. Response percentiles that include unfinished
// ops' waits so far are lower bounds and print as "≥ 3.00s"; a closed loop
// has no lag ("-").
func (o summaryOptions) columns() []table.Column[*result.Result] {
	type col = table.Column[*result.Result]
	ns := func(v int64, lowerBound bool) string { return units.AtLeast(formatNs(v), lowerBound) }
	count := func(head string, pick func(result.Counts) int64) col {
		return col{Head: head, Cell: func(r *result.Result) string { return fmt.Sprint(pick(r.Counts)) }}
	}
	cols := []col{
		{Head: "impl", Left: true, Cell: rowName},
		{Head: "model", Cell: modelLabel},
		{Head: "conc", Cell: func(r *result.Result) string { return fmt.Sprint(r.Params.Concurrency) }},
	}
	if o.keys {
		cols = append(cols, col{Head: "keys", Cell: func(r *result.Result) string {
			if r.Params.Keys > 0 {
				return fmt.Sprint(r.Params.Keys)
			}
			return units.Missing // an unkeyed target beside keyed ones
		}})
	}
	if o.gc {
		cols = append(cols, col{Head: "gc", Cell: gcLabel})
	}
	cols = append(cols, []col{
		{Head: "offered/s", Cell: func(r *result.Result) string { return units.Rate(r.Rates.Offered) }},
		{Head: "achieved/s", Cell: func(r *result.Result) string { return units.Rate(r.Rates.Achieved) }},
		count("completed", func(c result.Counts) int64 { return c.Completed }),
		count("unfinished", func(c result.Counts) int64 { return c.Unfinished }),
		count("ok", func(c result.Counts) int64 { return c.OK }),
		count("denied", func(c result.Counts) int64 { return c.Denied }),
		count("timeout", func(c result.Counts) int64 { return c.Timeout }),
		count("error", func(c result.Counts) int64 { return c.Error }),
	}...)
	for _, q := range o.percentiles {
		cols = append(cols, col{Head: "p" + units.Plain(q), Cell: func(r *result.Result) string {
			v, err := reports.ResponsePercentile(r, q)
			if err != nil {
				return units.Missing
			}
			return ns(v, r.Latency.Response.LowerBound)
		}})
	}
	cols = append(cols,
		col{Head: "max", Cell: func(r *result.Result) string { return ns(r.Latency.Response.Max, r.Latency.Response.LowerBound) }},
		col{Head: "svc p50", Cell: func(r *result.Result) string { return formatNs(r.Latency.Service.P50) }},
		col{Head: "svc p99", Cell: func(r *result.Result) string { return formatNs(r.Latency.Service.P99) }},
		col{Head: "lag p99", Cell: func(r *result.Result) string {
			if s, ok := r.Lag(); ok {
				return formatNs(s.P99)
			}
			return units.Missing // a closed loop starts each op when it intends to: no lag
		}},
	)
	for _, sc := range o.splits {
		cols = append(cols, col{Head: sc.Label, Cell: func(r *result.Result) string {
			s, ok := r.SplitLatency(sc.Name)
			if !ok {
				return units.Missing
			}
			return ns(s.Response.P99, s.Response.LowerBound)
		}})
	}
	return cols
}

// rowName labels a result's row: its impl, scenario phase and repetition, and
// the marks a reader must see first (interrupted, pacer-limited, saturated).
func rowName(r *result.Result) string {
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
	if r.IsSaturated() {
		name += " (saturated)"
	}
	if r.CoresShortfall() != "" {
		name += " (short of cores)"
	}
	return name
}

// gcLabel is the GC settings a result ran under, "gogc=50 memlimit=64MiB",
// or "-" when it left the process's.
func gcLabel(r *result.Result) string {
	var parts []string
	if r.Params.GOGC != "" {
		parts = append(parts, "gogc="+r.Params.GOGC)
	}
	if r.Params.MemoryLimit != "" {
		parts = append(parts, "memlimit="+r.Params.MemoryLimit)
	}
	if len(parts) == 0 {
		return units.Missing
	}
	return strings.Join(parts, " ")
}

// modelLabel is a result's load model with its rate and effective mode:
// "closed", "open 5000/s allow".
func modelLabel(r *result.Result) string {
	model := r.Params.Model
	if r.Params.Model == "open" {
		model = fmt.Sprintf("open %s/s", formatCount(r.Params.Rate))
	}
	if m := reports.EffectiveMode(r); m != "" {
		model += " " + m
	}
	return model
}

// writeTextSummary prints the terminal summary: one aligned row per result,
// or, when some cell ran more than once (forks, -count), one row per cell
// with each figure's median and between-run range; the per-run rows are in
// summary.md, and in the progress lines when no terminal shows the status.
func writeTextSummary(w io.Writer, results []*result.Result, percentiles []float64) error {
	if len(results) == 0 {
		_, err := fmt.Fprintln(w, "no runs completed")
		return err
	}
	o := newSummaryOptions(results, percentiles)
	fmt.Fprintln(w, floorLine(results[0]))
	if repeatedCells(results) == nil {
		fmt.Fprintln(w)
		if err := table.Text(w, o.columns(), results); err != nil {
			return err
		}
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
	if err := table.Markdown(w, o.columns(), results); err != nil {
		return err
	}
	writeMarkdownMedians(w, results)
	fmt.Fprintln(w)
	for _, note := range resultNotes(results) {
		fmt.Fprintf(w, "- %s\n", note)
	}
	if total, _ := reports.ThresholdCounts(results); total > 0 {
		fmt.Fprintln(w)
	}
	return reports.WriteThresholds(w, results)
}

// writeVerdicts writes the verdict of each ranking group (reports.Verdicts)
// after a summary: a list under "verdict:" in text, a "## Verdict" section in
// markdown; nothing for JSON, whose reader has the results.
func writeVerdicts(w io.Writer, format string, results []*result.Result) {
	if len(results) == 0 || format == "json" {
		return
	}
	md := format == "md"
	if md {
		fmt.Fprint(w, "\n## Verdict\n\n")
	} else {
		fmt.Fprint(w, "\nverdict:\n")
	}
	for _, v := range verdictLines(results, md) {
		fmt.Fprintf(w, "- %s\n", v)
	}
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
