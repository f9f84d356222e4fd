package cli

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/syncbench/syncbench/internal/table"
	"github.com/syncbench/syncbench/result"
)

// progress prints, when no terminal shows the live status line (a CI log, a
// pipe), the harness floor before the first run and each run's summary row as
// it finishes, so a long sweep is never silent until its end. The rows are the
// summary's own cells, as "column value" pairs on one line. Safe for use by one
// goroutine at a time.
type progress struct {
	mu      sync.Mutex
	w       io.Writer // nil: disabled
	opts    summaryOptions
	done    int
	total   int
	floorOK bool
	// later is a floor line held back until the first row (floorLater).
	later *result.Floor
}

// newProgress returns a progress printer writing to w, or a disabled one when w
// is nil.
func newProgress(w io.Writer, total int, opts summaryOptions) *progress {
	return &progress{w: w, total: total, opts: opts}
}

// floor prints the harness floor line, once.
func (p *progress) floor(f result.Floor) {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.floorOK {
		fmt.Fprintln(p.w, floorText(f))
		p.floorOK = true
	}
}

// floorLater holds the floor line back until the first run's row: a fleet
// member learns only while gathering whether the fleet will run at all, and
// one that never gathered is bad input, which prints nothing to stdout.
func (p *progress) floorLater(f result.Floor) {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.later = &f
}

// result prints one finished run's row: "[3/22] mutex: model closed, conc 8, ...".
func (p *progress) result(r *result.Result) {
	if p == nil || p.w == nil || r == nil {
		return
	}
	if p.later != nil {
		f := *p.later
		p.later = nil
		p.floor(f)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	o := newSummaryOptions([]*result.Result{r}, p.opts.percentiles)
	cols := o.columns()
	heads, row := table.Heads(cols), table.Row(cols, r)
	var pairs []string
	for i := 1; i < len(row); i++ {
		pairs = append(pairs, heads[i]+" "+row[i])
	}
	fmt.Fprintf(p.w, "[%d/%d] %s: %s\n", p.done, p.total, row[0], strings.Join(pairs, ", "))
}

// progressWriter picks where progress rows go: with the text summary on
// summaryOut when that is not a terminal (a CI log: the rows appear as runs
// finish), else on stderr when that is not a terminal either and -quiet is off;
// nil (no rows) when a terminal shows the live status line instead.
func progressWriter(p *plan, summaryOut io.Writer, std stdio) io.Writer {
	switch {
	case p.flags.format == "text" && !isTerminal(summaryOut):
		return summaryOut
	case !p.flags.quiet && !isTerminal(std.stderr) && summaryOut != std.stderr:
		return std.stderr
	}
	return nil
}
