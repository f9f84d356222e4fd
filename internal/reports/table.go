package reports

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/syncbench/syncbench/internal/table"
	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// DefaultPercentiles are the response-time percentiles tables show unless
// ReportOptions.Percentiles says otherwise.
var DefaultPercentiles = []float64{50, 90, 99, 99.9}

// SplitColumn is a split-histogram p99 a family's table shows beside the
// all-ops percentiles: the figure that decides between its implementations
// (an RWMutex's writers, a limiter's admitted ops).
type SplitColumn struct {
	Name  string // the split group: an op kind or an outcome
	Label string // the column heading, e.g. "write p99", "admitted p99"
}

// SplitColumns lists the split p99 columns tables show for a family, in order:
// locks read/write/delete, limiters admitted/denied, semaphores
// acquired/timed-out; nil for other families.
func SplitColumns(family string) []SplitColumn {
	switch family {
	case "locks", "filelocks":
		return []SplitColumn{{"read", "read p99"}, {"write", "write p99"}, {"delete", "delete p99"}}
	case "limiters", "redis":
		return []SplitColumn{{"ok", "admitted p99"}, {"denied", "denied p99"}}
	case "semaphores":
		return []SplitColumn{{"ok", "acquired p99"}, {"timeout", "timed-out p99"}}
	case "snapshots":
		return []SplitColumn{{"read", "read p99"}, {"write", "reload p99"}}
	case "coalescing":
		return []SplitColumn{{"ok", "answered p99"}, {"timeout", "gave-up p99"}, {"error", "failed p99"}}
	}
	return nil
}

// summaryTables writes the family's summary: one table per mode, so no table
// ranks a limiter that refuses at once beside one that makes callers wait, with
// a configuration column when a mode ran more than one configuration.
func (rb *reportBuilder) summaryTables(groups []*configGroup) {
	var modes []string
	byMode := map[string][]*configGroup{}
	for _, g := range groups {
		if _, ok := byMode[g.Mode]; !ok {
			modes = append(modes, g.Mode)
		}
		byMode[g.Mode] = append(byMode[g.Mode], g)
	}
	for _, m := range modes {
		var cells []*Cell
		for _, g := range byMode[m] {
			cells = append(cells, g.Cells...)
		}
		if len(modes) > 1 {
			rb.printf("### %s mode\n\n", m)
		}
		rb.summaryTable(cells, len(byMode[m]) > 1)
	}
}

// summaryTable writes one row per cell: medians with their spread across
// repetitions, and outcome counts summed over repetitions.
func (rb *reportBuilder) summaryTable(cells []*Cell, withConfig bool) {
	open, keyed := false, false
	for _, c := range cells {
		open = open || c.Runs[0].OpenLoop()
		keyed = keyed || c.Params.Keys > 0
	}
	var b strings.Builder
	table.Markdown(&b, rb.summaryColumns(cells, withConfig, open, keyed), cells)
	var legend []string
	marksUsed := map[string]bool{}
	for _, c := range cells {
		for _, m := range CellMarks(c) {
			if !marksUsed[m.Symbol] {
				marksUsed[m.Symbol] = true
				legend = append(legend, m.Symbol+": "+m.Meaning)
			}
		}
	}
	b.WriteString("\nEach figure is the median across the forks (separate processes, each the median of its runs), with its between-run range (min–max over the forks) when they differ; " +
		"a cell that ran in one process has no between-run interval (⚠1, ⚠R). Percentiles and max are response time, " +
		"which counts from the intended start; service time is finished − started; CPU/op is the target's")
	if open {
		b.WriteString("; lag is started − intended (`-` for closed loops, which have none)")
	}
	b.WriteString(". Outcome counts are summed over all runs; `unfinished` ops were cut off when the run ended and are in no other count.")
	if len(legend) > 0 {
		b.WriteString(" " + strings.Join(legend, " "))
	}
	b.WriteString("\n\n")
	rb.printf("%s", b.String())
}

// summaryColumns declares the summary table's columns, each once with its
// heading and cell: a configuration column when the table holds several
// configurations, keys when some cell spread its ops over keys (how many
// changes what a map or keyed limiter measured: one hot entry or a whole map,
// so the table says it even when every row shares it), lag when some cell is
// an open loop, and only the split columns some cell has (an all-read run
// shows no write p99).
func (rb *reportBuilder) summaryColumns(cells []*Cell, withConfig, open, keyed bool) []table.Column[*Cell] {
	pcts := rb.opts.Percentiles
	if len(pcts) == 0 {
		pcts = DefaultPercentiles
	}
	// lat prints a latency across c's runs, marked ≥ when lowerBound says
	// some run's holds censored waits.
	lat := func(c *Cell, f func(*result.Result) float64, lowerBound func(*result.Result) bool) string {
		lb := false
		for _, r := range c.Runs {
			lb = lb || (lowerBound != nil && lowerBound(r))
		}
		return units.AtLeast(c.Figure(f).Format(formatNs), lb)
	}
	respLB := func(r *result.Result) bool { return r.Latency.Response.LowerBound }
	count := func(pick func(result.Counts) int64) func(*Cell) string {
		return func(c *Cell) string { return formatCount(float64(pick(c.SummedCounts()))) }
	}

	cols := []table.Column[*Cell]{{Head: "impl", Left: true, Cell: func(c *Cell) string { return "`" + c.Impl + "`" }}}
	if withConfig {
		cols = append(cols, table.Column[*Cell]{Head: "config", Left: true, Cell: func(c *Cell) string { return configLabel(c.Workload, c.Params) }})
	}
	if keyed {
		cols = append(cols, table.Column[*Cell]{Head: "keys", Cell: func(c *Cell) string {
			if c.Params.Keys > 0 {
				return strconv.Itoa(c.Params.Keys)
			}
			return units.Missing // an unkeyed target beside keyed ones
		}})
	}
	cols = append(cols,
		table.Column[*Cell]{Head: "forks", Cell: func(c *Cell) string { return fmt.Sprint(len(c.units())) }},
		table.Column[*Cell]{Head: "runs", Cell: func(c *Cell) string { return fmt.Sprint(len(c.Runs)) }},
		table.Column[*Cell]{Head: "ops/s", Cell: func(c *Cell) string { return FigureByMode(c, achieved, formatRate) }},
	)
	if isLimiterFamily(cells[0].Family) {
		cols = append(cols, table.Column[*Cell]{Head: "admitted/s", Cell: func(c *Cell) string { return FigureByMode(c, admitted, formatRate) }})
	}
	cols = append(cols, table.Column[*Cell]{Head: "unfinished", Cell: count(func(n result.Counts) int64 { return n.Unfinished })})
	for _, q := range pcts {
		cols = append(cols, table.Column[*Cell]{Head: "p" + units.Plain(q), Cell: func(c *Cell) string {
			return lat(c, func(r *result.Result) float64 { return float64(rb.percentile(r, q)) }, respLB)
		}})
	}
	cols = append(cols,
		table.Column[*Cell]{Head: "max", Cell: func(c *Cell) string {
			return lat(c, func(r *result.Result) float64 { return float64(r.Latency.Response.Max) }, respLB)
		}},
		table.Column[*Cell]{Head: "service p99", Cell: func(c *Cell) string {
			return lat(c, func(r *result.Result) float64 { return float64(r.Latency.Service.P99) }, nil)
		}},
		table.Column[*Cell]{Head: "CPU/op", Cell: func(c *Cell) string { return c.Figure(cpuPerOp).Format(formatNs) }},
	)
	if open {
		cols = append(cols, table.Column[*Cell]{Head: "lag p99", Cell: func(c *Cell) string {
			if _, has := c.Runs[0].Lag(); !has {
				return units.Missing // a closed loop has no lag
			}
			return lat(c, func(r *result.Result) float64 {
				l, _ := r.Lag()
				return float64(l.P99)
			}, nil)
		}})
	}
	for _, sc := range SplitColumns(cells[0].Family) {
		if !slices.ContainsFunc(cells, func(c *Cell) bool { return hasSplit(c, sc.Name) }) {
			continue
		}
		cols = append(cols, table.Column[*Cell]{Head: sc.Label, Cell: func(c *Cell) string {
			if !hasSplit(c, sc.Name) {
				return units.Missing
			}
			split := func(r *result.Result) result.LatencySummary {
				s, _ := r.SplitLatency(sc.Name)
				return s.Response
			}
			return lat(c, func(r *result.Result) float64 { return float64(split(r).P99) },
				func(r *result.Result) bool { return split(r).LowerBound })
		}})
	}
	cols = append(cols,
		table.Column[*Cell]{Head: "ok", Cell: count(func(n result.Counts) int64 { return n.OK })},
		table.Column[*Cell]{Head: "denied", Cell: count(func(n result.Counts) int64 { return n.Denied })},
		table.Column[*Cell]{Head: "timeout", Cell: count(func(n result.Counts) int64 { return n.Timeout })},
		table.Column[*Cell]{Head: "error", Cell: count(func(n result.Counts) int64 { return n.Error })},
		table.Column[*Cell]{Head: "notes", Left: true, Cell: cellNotes},
	)
	return cols
}

// FigureByMode prints c's figure f for a table cell: the median with its
// between-run range, or, when its forks ran under two machine modes, each
// mode's median ("by mode: 90.1M ×2, 48.2M ×4"), not a median of both.
func FigureByMode(c *Cell, f func(*result.Result) float64, format func(float64) string) string {
	s, ok := cellModes(c)
	if !ok {
		return c.Figure(f).Format(format)
	}
	fast, slow := byMode(c, s, f)
	return fmt.Sprintf("by mode: %s ×%d, %s ×%d", format(fast.Median), fast.N, format(slow.Median), slow.N)
}

// cellNotes is a row's notes: its marks, then what they stand for in this
// cell (CellNotes).
func cellNotes(c *Cell) string {
	var notes []string
	for _, m := range CellMarks(c) {
		notes = append(notes, m.Symbol)
	}
	if n := CellNotes(c); n != "" {
		notes = append(notes, n)
	}
	return strings.Join(notes, "; ")
}

// CellNotes says what a cell's marks stand for in it: the two modes of a
// bimodal cell or its lone fork, each machine mode's throughput, who starved,
// the timing sample; "" when there is nothing to say.
func CellNotes(c *Cell) string {
	var notes []string
	if s := BimodalNote(c); s != "" {
		notes = append(notes, s)
	}
	if s := modesNote(c, achieved, formatRate); s != "" {
		notes = append(notes, s+" (ops/s)")
	}
	if s := c.MedianRun().Starvation(); s != "" {
		notes = append(notes, s)
	}
	if short := shortOfCores(c); len(short) > 0 {
		notes = append(notes, fmt.Sprintf("%d of %d runs short of cores: %s", len(short), len(c.Runs), short[0].CoresShortfall()))
	}
	if t := c.MedianRun().Timing; t != nil && t.Mode == "sampled" {
		notes = append(notes, fmt.Sprintf("latencies timed on a %s sample (%s ops)", units.Percent(100*t.Fraction), formatCount(float64(t.Samples))))
	}
	return strings.Join(notes, "; ")
}

// shortOfCores returns c's runs that ran short of cores (result.ShortOfCores).
func shortOfCores(c *Cell) []*result.Result {
	var out []*result.Result
	for _, r := range c.Runs {
		if r.CoresShortfall() != "" {
			out = append(out, r)
		}
	}
	return out
}

// Mark is a flag on a table row and what it means.
type Mark struct{ Symbol, Meaning string }

// CellMarks flags a cell whose figures need caution: saturated, pacer-limited,
// interrupted, bimodal, one fork far from the rest, machine modes, no
// between-run interval.
func CellMarks(c *Cell) []Mark {
	var interrupted, pacer, sat bool
	for _, r := range c.Runs {
		interrupted = interrupted || r.Interrupted
		pacer = pacer || r.PacerLimited
		sat = sat || r.IsSaturated()
	}
	var out []Mark
	if sat {
		out = append(out, Mark{"⚠S", "saturated: ops were still unfinished when the run ended, so percentiles that include their waits so far are lower bounds (≥)."})
	}
	if pacer {
		out = append(out, Mark{"⚠P", "pacer-limited: the harness could not start ops on schedule, so latencies describe the harness as much as the target."})
	}
	if interrupted {
		out = append(out, Mark{"⚠I", "interrupted: a repetition is shorter than asked."})
	}
	if _, ok := CellBimodal(c); ok {
		out = append(out, Mark{BimodalMark, bimodalMeaning})
	}
	if cellOutlier(c) {
		out = append(out, Mark{OutlierMark, outlierMeaning})
	}
	if _, ok := cellModes(c); ok {
		out = append(out, modesMark)
	}
	if m, ok := intervalMark(c); ok {
		out = append(out, m)
	}
	if len(shortOfCores(c)) > 0 {
		out = append(out, Mark{"⚠C", "short of cores: a closed loop ran on fewer than 0.8 × GOMAXPROCS cores while its threads waited for a CPU, so another process held the cores; its throughput and CPU/op describe a smaller machine than the row says."})
	}
	return out
}

// percentile returns r's response-time percentile q (in percent), from the
// stored summary when it holds q, else from r's histogram, decoded once per
// result and kept for the report's lifetime. 0 when it cannot be read.
func (rb *reportBuilder) percentile(r *result.Result, q float64) int64 {
	if v, err := ResponsePercentile(r, q); err == nil && isStoredPercentile(q) {
		return v
	}
	if rb.hists == nil {
		rb.hists = map[*result.Result]*histogramCache{}
	}
	hc := rb.hists[r]
	if hc == nil {
		hc = &histogramCache{}
		hc.h, hc.err = result.DecodeHistogram(r.Histogram.Response)
		rb.hists[r] = hc
	}
	if hc.err != nil || hc.h.TotalCount() == 0 {
		return 0
	}
	return result.ValueAtQuantile(hc.h, q)
}

// isStoredPercentile reports whether a LatencySummary holds percentile q.
func isStoredPercentile(q float64) bool {
	switch q {
	case 50, 90, 99, 99.9, 99.99, 100:
		return true
	}
	return false
}
