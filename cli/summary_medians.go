package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/internal/table"
	"github.com/syncbench/syncbench/result"
)

// The cells table: one row per cell (same impl and parameters), each headline
// figure its median across the cell's forks with the between-run range
// (min–max over the forks), so a figure never appears without what a second
// invocation might give instead. A cell that ran in one process is marked:
// its range is over in-process repetitions, a lower bound.

// mediansHeading introduces the cells table.
const mediansHeading = "medians across forks (min–max over the forks; each fork's figure is the median of its runs)"

// cellColumns declares the cells table's columns, each once: admitted/s only
// when some cell is a limiter's.
func cellColumns(cells []*reports.Cell) []table.Column[*reports.Cell] {
	type col = table.Column[*reports.Cell]
	fig := func(head, name string) col {
		h := reports.HeadlineFigure(name)
		return col{Head: head, Cell: func(c *reports.Cell) string { return reports.FigureByMode(c, h.Get, h.Format) }}
	}
	cols := []col{
		{Head: "cell", Left: true, Cell: cellName},
		{Head: "forks", Cell: func(c *reports.Cell) string {
			return fmt.Sprint(c.Figure(reports.HeadlineFigure("achieved_rate").Get).N)
		}},
		{Head: "runs", Cell: func(c *reports.Cell) string { return fmt.Sprint(len(c.Runs)) }},
		fig("ops/s", "achieved_rate"),
	}
	for _, c := range cells {
		if c.Family == "limiters" || c.Family == "redis" {
			cols = append(cols, fig("admitted/s", "admitted_rate"))
			break
		}
	}
	return append(cols,
		fig("p50", "response_p50_ns"),
		fig("p99", "response_p99_ns"),
		fig("p99.9", "response_p999_ns"),
		fig("svc p99", "service_p99_ns"),
		fig("CPU/op", "cpu_ns_per_op"),
		col{Head: "marks", Left: true, Cell: func(c *reports.Cell) string {
			var m []string
			for _, k := range reports.CellMarks(c) {
				m = append(m, k.Symbol)
			}
			return strings.Join(m, " ")
		}},
	)
}

// repeatedCells groups results into cells and returns them when some cell
// ran more than once; nil when none did (the per-run table then says it all).
func repeatedCells(results []*result.Result) []*reports.Cell {
	cells := reports.GroupCells(results)
	for _, c := range cells {
		if len(c.Runs) > 1 {
			return cells
		}
	}
	return nil
}

// cellNotes returns one line per marked cell with what its marks stand for
// in it ("⚠B rwmutex conc=8 cpu=2: bimodal across forks: ..."), then one
// legend line per mark used.
func cellNotes(cells []*reports.Cell) []string {
	var lines, legend []string
	seen := map[string]bool{}
	for _, c := range cells {
		marks := reports.CellMarks(c)
		if len(marks) == 0 {
			continue
		}
		var syms []string
		for _, m := range marks {
			syms = append(syms, m.Symbol)
			if !seen[m.Symbol] {
				seen[m.Symbol] = true
				legend = append(legend, m.Symbol+": "+m.Meaning)
			}
		}
		if n := reports.CellNotes(c); n != "" {
			lines = append(lines, strings.Join(syms, " ")+" "+cellName(c)+": "+n)
		}
	}
	return append(lines, legend...)
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

// writeTextMedians prints the cells table and its notes after the per-run
// table (or instead of it: see writeTextSummary).
func writeTextMedians(w io.Writer, results []*result.Result) error {
	cells := repeatedCells(results)
	if cells == nil {
		return nil
	}
	fmt.Fprintf(w, "\n%s:\n", mediansHeading)
	if err := table.Text(w, cellColumns(cells), cells); err != nil {
		return err
	}
	for _, n := range cellNotes(cells) {
		if _, err := fmt.Fprintln(w, n); err != nil {
			return err
		}
	}
	return nil
}

// writeMarkdownMedians writes the same table in markdown.
func writeMarkdownMedians(w io.Writer, results []*result.Result) {
	cells := repeatedCells(results)
	if cells == nil {
		return
	}
	fmt.Fprintf(w, "\n## %s%s\n\n", strings.ToUpper(mediansHeading[:1]), mediansHeading[1:])
	table.Markdown(w, cellColumns(cells), cells)
	if notes := cellNotes(cells); len(notes) > 0 {
		fmt.Fprintln(w)
		for _, n := range notes {
			fmt.Fprintf(w, "- %s\n", n)
		}
	}
}

// verdictLines are the verdicts of results (reports.Verdicts), for the
// summaries; in text, without markdown's code marks.
func verdictLines(results []*result.Result, markdown bool) []string {
	v := reports.Verdicts(results)
	if !markdown {
		for i := range v {
			v[i] = strings.ReplaceAll(v[i], "`", "")
		}
	}
	return v
}
