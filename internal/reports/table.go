package reports

import (
	"fmt"
	"strconv"
	"strings"

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
	pcts := rb.opts.Percentiles
	if len(pcts) == 0 {
		pcts = DefaultPercentiles
	}
	family := cells[0].Family
	// Only the split columns some cell has: an all-read run shows no write p99.
	var splits []SplitColumn
	for _, sc := range SplitColumns(family) {
		for _, c := range cells {
			if hasSplit(c, sc.Name) {
				splits = append(splits, sc)
				break
			}
		}
	}
	open, keyed := false, false
	for _, c := range cells {
		open = open || isOpenLoop(c.Runs[0])
		keyed = keyed || c.Params.Keys > 0
	}
	head := []string{"impl"}
	align := []string{"---"}
	if withConfig {
		head, align = append(head, "config"), append(align, "---")
	}
	// How many keys a map or keyed limiter spread its ops over changes what it
	// measured (one hot entry or a whole map), so the table says it even when
	// every row shares it.
	if keyed {
		head, align = append(head, "keys"), append(align, "--:")
	}
	head = append(head, "runs", "ops/s", "unfinished")
	for _, q := range pcts {
		head = append(head, "p"+units.Plain(q))
	}
	head = append(head, "max", "service p99")
	if open {
		head = append(head, "lag p99")
	}
	for _, sc := range splits {
		head = append(head, sc.Label)
	}
	head = append(head, "ok", "denied", "timeout", "error")
	for len(align) < len(head) {
		align = append(align, "--:")
	}
	head, align = append(head, "notes"), append(align, "---")

	var b strings.Builder
	fmt.Fprintf(&b, "| %s |\n|%s|\n", strings.Join(head, " | "), strings.Join(align, "|"))
	var legend []string
	marksUsed := map[string]bool{}
	for _, c := range cells {
		row := []string{"`" + c.Impl + "`"}
		if withConfig {
			row = append(row, mdCell(configLabel(c.Workload, c.Params)))
		}
		if keyed {
			keys := units.Missing // an unkeyed target beside keyed ones
			if c.Params.Keys > 0 {
				keys = strconv.Itoa(c.Params.Keys)
			}
			row = append(row, keys)
		}
		var unfinished, ok, denied, timeout, errs float64
		for _, r := range c.Runs {
			unfinished += float64(UnfinishedOps(r))
			ok += float64(r.Counts.OK)
			denied += float64(r.Counts.Denied)
			timeout += float64(r.Counts.Timeout)
			errs += float64(r.Counts.Error)
		}
		respLB := false
		for _, r := range c.Runs {
			respLB = respLB || LowerBound(r.Latency.Response)
		}
		lat := func(f func(*result.Result) float64, lb bool) string {
			return units.AtLeast(withSpread(c.Spread(f), formatNs), lb)
		}
		row = append(row, fmt.Sprint(len(c.Runs)), withSpread(c.Spread(achieved), formatRate), formatCount(unfinished))
		for _, q := range pcts {
			row = append(row, lat(func(r *result.Result) float64 { return float64(rb.percentile(r, q)) }, respLB))
		}
		row = append(row, lat(func(r *result.Result) float64 { return float64(r.Latency.Response.Max) }, respLB),
			lat(func(r *result.Result) float64 { return float64(r.Latency.Service.P99) }, false))
		if open {
			if _, has := LagOf(c.Runs[0]); has {
				row = append(row, lat(func(r *result.Result) float64 {
					l, _ := LagOf(r)
					return float64(l.P99)
				}, false))
			} else {
				row = append(row, units.Missing) // a closed loop has no lag
			}
		}
		for _, sc := range splits {
			if !hasSplit(c, sc.Name) {
				row = append(row, units.Missing)
				continue
			}
			lb := false
			for _, r := range c.Runs {
				s, _ := SplitLatency(r, sc.Name)
				lb = lb || LowerBound(s.Response)
			}
			row = append(row, lat(func(r *result.Result) float64 {
				s, _ := SplitLatency(r, sc.Name)
				return float64(s.Response.P99)
			}, lb))
		}
		row = append(row, formatCount(ok), formatCount(denied), formatCount(timeout), formatCount(errs))
		var notes []string
		for _, m := range cellMarks(c) {
			notes = append(notes, m.mark)
			if !marksUsed[m.mark] {
				marksUsed[m.mark] = true
				legend = append(legend, m.mark+": "+m.meaning)
			}
		}
		if s := BimodalNote(c); s != "" {
			notes = append(notes, s)
		}
		if s := Starvation(c.MedianRun()); s != "" {
			notes = append(notes, s)
		}
		if t := c.MedianRun().Timing; t != nil && t.Mode == "sampled" {
			notes = append(notes, fmt.Sprintf("latencies timed on a %s sample (%s ops)", units.Percent(100*t.Fraction), formatCount(float64(t.Samples))))
		}
		row = append(row, mdCell(strings.Join(notes, "; ")))
		fmt.Fprintf(&b, "| %s |\n", strings.Join(row, " | "))
	}
	b.WriteString("\nMedians across repetitions, (min–max) when they differ. Percentiles and max are response time, " +
		"which counts from the intended start; service time is finished − started")
	if open {
		b.WriteString("; lag is started − intended (`-` for closed loops, which have none)")
	}
	b.WriteString(". Outcome counts are summed over repetitions; `unfinished` ops were cut off when the run ended and are in no other count.")
	if len(legend) > 0 {
		b.WriteString(" " + strings.Join(legend, " "))
	}
	b.WriteString("\n\n")
	rb.printf("%s", b.String())
}

// mark is a flag on a table row and what it means.
type mark struct{ mark, meaning string }

// cellMarks flags cells whose numbers need caution.
func cellMarks(c *Cell) []mark {
	var interrupted, pacer, sat bool
	for _, r := range c.Runs {
		interrupted = interrupted || r.Interrupted
		pacer = pacer || r.PacerLimited
		sat = sat || Saturated(r)
	}
	var out []mark
	if sat {
		out = append(out, mark{"⚠S", "saturated: ops were still unfinished when the run ended, so percentiles that include their waits so far are lower bounds (≥)."})
	}
	if pacer {
		out = append(out, mark{"⚠P", "pacer-limited: the harness could not start ops on schedule, so latencies describe the harness as much as the target."})
	}
	if interrupted {
		out = append(out, mark{"⚠I", "interrupted: a repetition is shorter than asked."})
	}
	if _, ok := CellBimodal(c); ok {
		out = append(out, mark{BimodalMark, bimodalMeaning})
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
	return hc.h.ValueAtQuantile(q)
}

// isStoredPercentile reports whether a LatencySummary holds percentile q.
func isStoredPercentile(q float64) bool {
	switch q {
	case 50, 90, 99, 99.9, 99.99, 100:
		return true
	}
	return false
}
