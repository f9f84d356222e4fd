// Package table renders tables whose columns are declared once: each Column
// holds its heading, its alignment and the function that renders its cell, so
// a column cannot be added to the heading without its cells, or the other way
// round. It renders markdown (report.md, summary.md) and aligned text (the
// terminal); it knows nothing of what the rows are.
package table

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Column is one column of a table of rows of type T.
type Column[T any] struct {
	// Head is the column's heading.
	Head string
	// Left aligns the column's cells to the left (names, notes); numbers are
	// right-aligned.
	Left bool
	// Cell renders the column's cell of one row. It must not return a line
	// break; markdown pipes are escaped by Markdown.
	Cell func(T) string
}

// Heads returns the columns' headings, in order.
func Heads[T any](cols []Column[T]) []string {
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = c.Head
	}
	return h
}

// Row returns the cells of row, one per column, in order.
func Row[T any](cols []Column[T], row T) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Cell(row)
	}
	return out
}

// Markdown writes a markdown table of rows: the heading, the alignment line
// ("---" left, "--:" right) and one line per row. Cells go through
// MarkdownCell, so none can split its row.
func Markdown[T any](w io.Writer, cols []Column[T], rows []T) error {
	align := make([]string, len(cols))
	for i, c := range cols {
		align[i] = "--:"
		if c.Left {
			align[i] = "---"
		}
	}
	if _, err := fmt.Fprintf(w, "| %s |\n|%s|\n", strings.Join(escaped(Heads(cols)), " | "), strings.Join(align, "|")); err != nil {
		return err
	}
	for _, r := range rows {
		if _, err := fmt.Fprintf(w, "| %s |\n", strings.Join(escaped(Row(cols, r)), " | ")); err != nil {
			return err
		}
	}
	return nil
}

// Text writes rows as aligned plain text for a terminal: columns separated by
// two spaces, every column right-aligned (tabwriter's AlignRight applies to
// the whole table, and the numbers are what a reader compares down a column).
func Text[T any](w io.Writer, cols []Column[T], rows []T) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(Heads(cols), "\t")+"\t")
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(Row(cols, r), "\t")+"\t")
	}
	return tw.Flush()
}

// escaped returns cells with "|" escaped and line breaks made spaces, so
// each stays one markdown cell.
func escaped(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = MarkdownCell(c)
	}
	return out
}

// MarkdownCell returns s fit for one markdown table cell: "|" escaped, line
// breaks made spaces.
func MarkdownCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}
