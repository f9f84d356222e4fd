package cli

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// resultNotes explains what the table cannot: the timings' meaning, then per
// run whatever a reader must know before trusting its row (pacer-limited,
// saturated, starved workers, scheduler time slices, sampled timing), the
// harness's own share, and the family's figures. A note shared word for word by
// several runs (the scheduler note of a sweep) is printed once.
func resultNotes(results []*result.Result) []string {
	notes := []string{"p50..max: response time (finished − intended; ≥ marks a lower bound: it includes the waits so far of ops unfinished at the end); " +
		"svc: service time (finished − started); lag: started − intended (- for closed loops, which have none)"}
	seen := map[string]bool{}
	add := func(n string) {
		if n != "" && !seen[n] {
			seen[n] = true
			notes = append(notes, n)
		}
	}
	if repeatedCells(results) == nil && len(results) > 0 {
		notes = append(notes, "one run per cell: no between-run uncertainty is known for any figure (-forks 6 or more gives each its between-fork interval)")
	}
	notes = append(notes, schedulerNotes(results)...)
	for _, r := range noteRuns(results) {
		if r.PacerLimited {
			why := r.PacerLimitedReason
			if why == "" {
				why = "lag p99 " + formatNs(r.Latency.LagOrZero().P99)
			}
			add(fmt.Sprintf("%s: pacer-limited: the harness could not start ops on schedule (%s); its latencies describe the harness as much as the target", r.Impl, why))
		}
		if r.IsSaturated() {
			add(fmt.Sprintf("%s: saturated: %d ops were still queued or in the target when the run ended; they are in no count and not in achieved/s, and its response percentiles are lower bounds (≥)",
				r.Impl, r.UnfinishedOps()))
		}
		if s := r.Starvation(); s != "" {
			add(r.Impl + ": " + s)
		}
		if s := r.CoresShortfall(); s != "" {
			add(r.Impl + ": " + s + "; its throughput and CPU/op describe a smaller machine")
		}
		if t := r.Timing; t != nil && t.Mode == "sampled" {
			add(fmt.Sprintf("%s: latencies from a random sample of %s ops (%s of all; every op counted)", r.Impl, formatCount(float64(t.Samples)), units.Percent(100*t.Fraction)))
		}
		add(harnessNote(r))
		for _, n := range familyNotes(r) {
			add(n)
		}
	}
	return notes
}

// noteRuns are the runs whose own notes the summary prints: every run when
// each cell ran once; otherwise each cell's median run, so six forks of a
// cell give one set of notes, not six (the cells table's marks flag what any
// fork did: saturated, pacer-limited, interrupted).
func noteRuns(results []*result.Result) []*result.Result {
	cells := repeatedCells(results)
	if cells == nil {
		return results
	}
	out := make([]*result.Result, 0, len(cells))
	for _, c := range cells {
		r := *c.MedianRun() // a copy: only its label changes
		if len(c.Runs) > 1 {
			r.Impl += " (median run)"
		}
		out = append(out, &r)
	}
	return out
}

// schedulerNotes gives one note per (workers, GOMAXPROCS) pair of the closed
// loops that ran more workers than Ps: their tails above p99.9 include
// scheduler time slices. The runtime's measured wait for a P is given as the
// median and range over those runs, so a sweep gets one line, not one per run.
func schedulerNotes(results []*result.Result) []string {
	type key struct{ workers, procs int }
	var order []key
	lat := map[key][]float64{}
	for _, r := range results {
		if reports.SchedulerNote(r) == "" {
			continue
		}
		procs := r.Params.GOMAXPROCS
		if procs == 0 {
			procs = r.Env.GOMAXPROCS
		}
		k := key{r.Params.Concurrency, procs}
		if _, seen := lat[k]; !seen {
			order = append(order, k)
			lat[k] = []float64{}
		}
		if v, ok := r.Extras[result.RuntimeExtrasKey]["sched_latency_p99_ns"].(float64); ok {
			lat[k] = append(lat[k], v)
		}
	}
	var notes []string
	for _, k := range order {
		n := fmt.Sprintf("%d workers on %d Ps: tails above p99.9 include scheduler time slices (a worker descheduled between its two clock reads)", k.workers, k.procs)
		if v := lat[k]; len(v) > 0 {
			sp := reports.SpreadOf(v)
			n += "; runnable goroutines waited for a P " + units.Duration(sp.Median) + " at p99"
			if sp.N > 1 && sp.Min != sp.Max {
				n += fmt.Sprintf(" (median of %d runs, %s–%s)", sp.N, units.Duration(sp.Min), units.Duration(sp.Max))
			}
		}
		notes = append(notes, n)
	}
	return notes
}

// harnessNote states the harness's own share of the run, apart from the
// target's figures: the pacer and its lateness (an open loop), the harness's
// CPU, hand-off waits, and how busy the target kept the workers. "" when the
// result does not carry it.
func harnessNote(r *result.Result) string {
	h := r.Harness
	if h == nil {
		return ""
	}
	var parts []string
	if h.Pacer != "" {
		name := "pacer " + h.Pacer
		if h.PacerBatchNs > 0 {
			name += " (a wake-up every " + formatNs(h.PacerBatchNs) + " at most)"
		}
		if h.PacerChoice != "" {
			name += ", chosen for -max-lag " + formatNs(h.MaxLagNs) + ": " + h.PacerChoice
		} else if h.MaxLagNs > 0 {
			name += ", judged against -max-lag " + formatNs(h.MaxLagNs)
		}
		parts = append(parts, name)
	}
	if h.Lag != nil && h.Lag.Count > 0 {
		parts = append(parts, fmt.Sprintf("its own lateness p99 %s (a free worker starting a due op)", formatNs(h.Lag.P99)))
	}
	if h.PacerWakeLate != nil && h.PacerWakeLate.Count > 0 {
		parts = append(parts, fmt.Sprintf("wake-ups %s late at p99", formatNs(h.PacerWakeLate.P99)))
	}
	if h.CPUCores > 0 {
		c := fmt.Sprintf("harness CPU %s cores", units.Number(h.CPUCores))
		if h.PacerCores > 0 {
			c += fmt.Sprintf(" (pacer %s)", units.Number(h.PacerCores))
		}
		if h.PerOpCPUNs > 0 {
			c += fmt.Sprintf(", %s/op of bookkeeping", units.Duration(h.PerOpCPUNs))
		}
		parts = append(parts, c)
	}
	if h.AllocBytes > 0 {
		parts = append(parts, fmt.Sprintf("its own allocations %s objects, %s (not in the target's allocs/op)", units.Number(float64(h.Allocs)), units.Bytes(float64(h.AllocBytes))))
	}
	if h.HandoffWaitNs > 0 {
		parts = append(parts, "hand-off waits "+formatNs(h.HandoffWaitNs)+" (not the target's)")
	}
	if h.TargetBusyShare > 0 {
		parts = append(parts, fmt.Sprintf("the target was busy %s of worker time", units.Percent(100*h.TargetBusyShare)))
	}
	if len(parts) == 0 {
		return ""
	}
	return r.Impl + " harness: " + strings.Join(parts, ", ")
}

// limiterNote states a limiter's accuracy the way its own algorithm defines it:
// offered, admitted and denied rates, the steady rate and its error with the
// admissions it counts (rate_basis), the worst window against the limiter's own
// bound, and the start-up behaviour when it explains a gap between admitted
// and steady. Keyed limiters are judged per key; a shared (multi-process) limit
// by its total.
func limiterNote(r *result.Result, acc map[string]any) string {
	num := func(key string) float64 { return result.ExtraFloat(acc[key]) }
	str := func(key string) string { s, _ := acc[key].(string); return s }
	secs := float64(r.DurationNs) / 1e9
	denied := 0.0
	if secs > 0 {
		denied = float64(r.Counts.Denied) / secs
	}
	// Limiter rates keep one decimal below 100k/s: a 0.15% error must be
	// visible in the rates it is computed from.
	rate := func(v float64) string {
		if math.Abs(v) < 1e5 {
			return strconv.FormatFloat(v, 'f', 1, 64) + "/s"
		}
		return units.Rate(v) + "/s"
	}
	limit := units.Plain(num("limit")) + "/s"
	errPct := units.SignedPercent(num("rate_error_pct"))
	if global, _ := acc["global"].(bool); global {
		return fmt.Sprintf("%s: all processes together were admitted %s of the shared limit %s (rate error %s), denied %s",
			r.Impl, rate(num("admitted_rate")), limit, errPct, rate(denied))
	}
	bound := str("bound")
	if bound == "" {
		bound = "burst + limit·window" // files written before limiters stated their own bounds
	}
	steady := num("steady_rate")
	if steady == 0 {
		steady = num("admitted_rate")
	}
	within := "within the bound"
	if x := num("excess_over_envelope"); x > 0 {
		within = fmt.Sprintf("%s over the bound", units.Number(x))
	}
	window := formatNs(int64(num("window_ns")))
	var b strings.Builder
	if perKey, _ := acc["per_key"].(bool); perKey {
		fmt.Fprintf(&b, "%s (keyed): %s keys admitted %s in all; per key (%s): steady %s of limit %s (rate error %s)",
			r.Impl, units.Number(num("keys_active")), rate(num("admitted_rate")), bound, rate(steady), limit, errPct)
		if basis := str("rate_basis"); basis != "" {
			b.WriteString(": " + basis)
		}
		fmt.Fprintf(&b, "; worst key %s: %s in a %s window vs %s: %s (%s keys over)", units.Number(num("worst_key")), units.Number(num("max_in_window")),
			window, units.Number(num("envelope")), within, units.Number(num("keys_over_envelope")))
		if num("key_rate_max") > 0 {
			fmt.Fprintf(&b, "; per-key rates %s / %s / %s/s (min/median/max)", units.Number(num("key_rate_min")), units.Number(num("key_rate_median")), units.Number(num("key_rate_max")))
		}
		if num("keys_allowance") > 0 {
			fmt.Fprintf(&b, "; %s admitted of the keys' allowance %s (%s)", units.Number(num("admitted")), units.Number(num("keys_allowance")), units.Percent(num("allowance_used_pct")))
		}
		if u := num("keys_untracked_admitted"); u > 0 {
			fmt.Fprintf(&b, "; %s admissions of keys beyond those followed", units.Number(u))
		}
		return b.String()
	}
	fmt.Fprintf(&b, "%s: offered %s, admitted %s of limit %s, denied %s; steady %s (rate error %s)",
		r.Impl, rate(r.Rates.Offered), rate(num("admitted_rate")), limit, rate(denied), rate(steady), errPct)
	if basis := str("rate_basis"); basis != "" {
		b.WriteString(": " + basis)
	}
	fmt.Fprintf(&b, "; max in any %s window %s vs %s (%s): %s", window, units.Number(num("max_in_window")), units.Number(num("envelope")), bound, within)
	if aligned := num("aligned_envelope"); aligned > 0 {
		fmt.Fprintf(&b, "; max in an aligned window %s vs %s", units.Number(num("max_in_aligned_window")), units.Number(aligned))
	}
	if d := num("dropped"); d > 0 {
		fmt.Fprintf(&b, " (%s admitted outside the window, not counted)", units.Number(d))
	}
	if t := str("transient"); t != "" && math.Abs(num("admitted_rate")-steady) > 0.01*num("limit") {
		b.WriteString("\n    start-up: " + t)
	}
	return b.String()
}
