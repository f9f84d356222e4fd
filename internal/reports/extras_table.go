package reports

import (
	"fmt"
	"sort"
	"strings"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// column is how a table shows one Extras or ImplStats key: a heading a reader
// understands, with its unit, and the formatter for its values.
type column struct {
	key, label string
	format     func(float64) string
}

// knownColumns are the keys whose tables show chosen columns, in this order,
// under readable headings. Keys of a known group that are not listed are
// bookkeeping (bin widths, raw totals the per-op figures already divide) and
// stay in the JSON only; unknown groups show every numeric or text key.
var knownColumns = map[string][]column{
	result.RuntimeExtrasKey: {
		{"cpu_ns_per_op", "CPU/op", units.Duration},
		{"allocs_per_op", "allocs/op", units.Number},
		{"alloc_bytes_per_op", "heap/op", units.Bytes},
		{"gc_cycles", "GC cycles", units.Number},
		{"gc_pause_total_ns", "GC pauses (total)", units.Duration},
		{"heap_inuse_bytes", "heap in use (end)", units.Bytes},
		{"sched_latency_p99_ns", "wait for a P (p99)", units.Duration},
		{"mutex_wait_total_ns", "mutex wait (total)", units.Duration},
	},
	result.LimiterExtrasKey: {
		{"admitted_rate", "admitted/s", units.Rate},
		{"limit", "limit/s", units.Rate},
		{"steady_rate", "steady/s", units.Rate},
		{"rate_error_pct", "rate error", units.SignedPercent},
		{"max_in_window", "max in a window", units.Count},
		{"envelope", "its bound", units.Number},
		{"excess_over_envelope", "over the bound", units.Count},
		{"max_in_aligned_window", "max in an aligned window", units.Count},
		{"keys_active", "keys", units.Count},
		{"keys_over_envelope", "keys over", units.Count},
		{"dropped", "outside the window", units.Count},
	},
}

// textColumns are text keys of known groups shown after the numbers.
var textColumns = map[string][]column{
	result.LimiterExtrasKey: {{key: "bound", label: "bound"}, {key: "rate_basis", label: "rate measured over"}},
}

// groupGetters read a known group's values for its table when they are more than
// Result.Extras[group] (the resilience families add their callers' p99).
var groupGetters = map[string]func(*result.Result) map[string]any{}

// groupTitles are the headings of known Extras groups.
var groupTitles = map[string]string{
	result.LimiterExtrasKey: "Limiter accuracy",
	result.RuntimeExtrasKey: "Go runtime during the run (whole process)",
}

// extrasTables writes one table per Extras group (limiter accuracy first) and
// one for ImplStats, when any cell has them; values are medians across
// repetitions. Cells without a key show "-".
func (rb *reportBuilder) extrasTables(cells []*Cell) {
	withConfig := distinctConfigs(cells) > 1
	groups := map[string]bool{}
	for _, c := range cells {
		for _, r := range c.Runs {
			for g := range r.Extras {
				groups[g] = true
			}
		}
	}
	var names []string
	for g := range groups {
		names = append(names, g)
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == result.LimiterExtrasKey) != (names[j] == result.LimiterExtrasKey) {
			return names[i] == result.LimiterExtrasKey
		}
		return names[i] < names[j]
	})
	for _, g := range names {
		title := groupTitles[g]
		if title == "" {
			title = humanize(g)
		}
		get := func(r *result.Result) map[string]any { return r.Extras[g] }
		if getter, ok := groupGetters[g]; ok {
			get = getter
		}
		cols, known := knownColumns[g]
		if !known {
			cols = discoverColumns(cells, get)
		}
		rb.valueTable(title, cells, withConfig, get, cols, textColumns[g])
	}
	stats := func(r *result.Result) map[string]any {
		m := make(map[string]any, len(r.ImplStats))
		for k, v := range r.ImplStats {
			m[k] = v
		}
		return m
	}
	rb.valueTable("Implementation statistics (reported by the target)", cells, withConfig, stats, discoverColumns(cells, stats), nil)
	rb.valueTable("The harness's own share (not the target's)", cells, withConfig, harnessFigures, harnessColumns, []column{{key: "pacer", label: "pacer"}})
	if line := fairnessLine(cells); line != "" {
		rb.printf("%s\n\n", line)
	}
}

// harnessColumns are the harness's figures a report shows: how late it was,
// what it cost, and how much of the workers' time the target took.
var harnessColumns = []column{
	{"lag_p99_ns", "its lateness p99", units.Duration},
	{"cpu_cores", "harness CPU (cores)", units.Number},
	{"pacer_cores", "pacer CPU (cores)", units.Number},
	{"per_op_cpu_ns", "bookkeeping/op", units.Duration},
	{"handoff_wait_ns", "hand-off waits", units.Duration},
	{"target_busy_pct", "target busy", units.Percent},
}

// harnessFigures returns r.Harness as table values (nil when not measured).
func harnessFigures(r *result.Result) map[string]any {
	h := r.Harness
	if h == nil {
		return nil
	}
	// Zero fields were not measured (result.Harness): leave them out, so the
	// table shows "-" rather than a figure nobody took.
	m := map[string]any{}
	for key, v := range map[string]float64{"cpu_cores": h.CPUCores, "per_op_cpu_ns": h.PerOpCPUNs, "target_busy_pct": 100 * h.TargetBusyShare} {
		if v > 0 {
			m[key] = v
		}
	}
	if h.Pacer != "" {
		m["pacer"] = h.Pacer
	}
	if h.Lag != nil && h.Lag.Count > 0 {
		m["lag_p99_ns"] = float64(h.Lag.P99)
	}
	if h.PacerCores > 0 {
		m["pacer_cores"] = h.PacerCores
	}
	if h.HandoffWaitNs > 0 {
		m["handoff_wait_ns"] = float64(h.HandoffWaitNs)
	}
	return m
}

// distinctConfigs counts the configurations among cells.
func distinctConfigs(cells []*Cell) int {
	seen := map[string]bool{}
	for _, c := range cells {
		seen[c.config] = true
	}
	return len(seen)
}

// discoverColumns lists the numeric keys some run has, sorted, with headings and
// formatters read from the key's unit suffix. Lists (such as admission bins)
// never become columns.
func discoverColumns(cells []*Cell, get func(*result.Result) map[string]any) []column {
	keys := map[string]bool{}
	for _, c := range cells {
		for _, r := range c.Runs {
			for k, v := range get(r) {
				if _, num := toNumber(v); num {
					keys[k] = true
				}
			}
		}
	}
	var cols []column
	for k := range keys {
		cols = append(cols, column{key: k, label: humanize(k), format: formatterFor(k)})
	}
	sort.Slice(cols, func(i, j int) bool { return cols[i].key < cols[j].key })
	return cols
}

// humanize turns a snake_case key into a heading, with its unit suffix read
// out: "longest_wait_ns" → "longest wait", "rate_error_pct" → "rate error (%)".
func humanize(key string) string {
	k := key
	for _, suf := range []string{"_ns", "_bytes"} {
		k = strings.TrimSuffix(k, suf)
	}
	unit := ""
	if t, ok := strings.CutSuffix(k, "_pct"); ok {
		k, unit = t, " (%)"
	}
	return strings.ReplaceAll(k, "_", " ") + unit
}

// formatterFor picks a formatter from a key's unit suffix: durations ("_ns"),
// byte sizes ("bytes"), percentages ("_pct"), else three significant digits.
func formatterFor(key string) func(float64) string {
	switch {
	case strings.HasSuffix(key, "_ns"):
		return units.Duration
	case strings.HasSuffix(key, "bytes"):
		return units.Bytes
	case strings.HasSuffix(key, "_pct"):
		return units.Number
	}
	return units.Number
}

// valueTable writes a table of cols (numbers, medians across repetitions, with
// their range) and texts (the first run's value) for each cell; it writes nothing
// when no cell has any of them.
func (rb *reportBuilder) valueTable(title string, cells []*Cell, withConfig bool, get func(*result.Result) map[string]any, cols, texts []column) {
	present := func(list []column) []column {
		var out []column
		for _, col := range list {
			for _, c := range cells {
				if _, ok := get(c.Runs[0])[col.key]; ok {
					out = append(out, col)
					break
				}
			}
		}
		return out
	}
	cols, texts = present(cols), present(texts)
	if len(cols)+len(texts) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n\n| impl |", title)
	if withConfig {
		b.WriteString(" config |")
	}
	for _, col := range cols {
		fmt.Fprintf(&b, " %s |", mdCell(col.label))
	}
	for _, col := range texts {
		fmt.Fprintf(&b, " %s |", mdCell(col.label))
	}
	b.WriteString("\n|---|")
	if withConfig {
		b.WriteString("---|")
	}
	b.WriteString(strings.Repeat("--:|", len(cols)) + strings.Repeat("---|", len(texts)) + "\n")
	for _, c := range cells {
		fmt.Fprintf(&b, "| `%s` |", c.Impl)
		if withConfig {
			fmt.Fprintf(&b, " %s |", mdCell(configLabel(c.Workload, c.Params)))
		}
		for _, col := range cols {
			var nums []float64
			for _, r := range c.Runs {
				if f, ok := toNumber(get(r)[col.key]); ok {
					nums = append(nums, f)
				}
			}
			text := units.Missing
			if len(nums) > 0 {
				text = SpreadOf(nums).Format(col.format)
			}
			fmt.Fprintf(&b, " %s |", mdCell(text))
		}
		for _, col := range texts {
			text := units.Missing
			if v, ok := get(c.Runs[0])[col.key]; ok {
				text = fmt.Sprint(v)
			}
			fmt.Fprintf(&b, " %s |", mdCell(text))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
	rb.printf("%s", b.String())
}
