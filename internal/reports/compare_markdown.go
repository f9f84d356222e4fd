package reports

import (
	"fmt"
	"io"
	"math"
	"strings"

	"golang.org/x/perf/benchmath"
)

// Verdict is a one-line summary fit for a commit status or a PR comment title.
// It is decided by the primary family alone and names the resolution the run
// reached, so that a pass says how small a change it rules out:
//
//	REGRESSION: 1 of 22 time/op metrics got worse by more than 5% (worst: mutex/read +12.3%).
//	No regression: no time/op change ≥ 7.8% in any of 22 benchmarks (coarsest: gcra/allow; threshold 5%).
//	INCONCLUSIVE: no regression seen, but 2 of 22 benchmarks cannot resolve a 10% change (worst: fifo/acquire, ≥ 23%); …
func (c *Comparison) Verdict() string {
	reg := c.Regressions()
	var prim []MetricComparison
	imp := 0
	for _, m := range c.Metrics {
		if m.Primary {
			prim = append(prim, m)
			if m.Improvement {
				imp++
			}
		}
	}
	th := pct(c.Options.Threshold)
	pkgs := packages(c.Metrics)
	unit := "" // the primary family's unit, when one family decides
	if len(prim) > 0 && c.Families[0].Split <= 1 {
		unit = displayUnit(prim[0].Key.Unit) + " "
	}
	improved := ""
	if imp > 0 {
		improved = fmt.Sprintf(" %d improved by more than %s.", imp, th)
	}
	switch {
	case len(prim) == 0:
		return "No common metrics to compare."
	case len(reg) > 0:
		worst := reg[0]
		for _, m := range reg {
			if math.Abs(m.Delta) > math.Abs(worst.Delta) {
				worst = m
			}
		}
		return fmt.Sprintf("REGRESSION: %d of %d %smetrics got significantly worse by more than %s (worst: %s %+.1f%%).%s",
			len(reg), len(prim), unit, th, displayName(worst.Key.Name, pkgs), 100*worst.Delta, improved)
	}
	un := c.Unresolved()
	coarsest, known := MetricComparison{}, 0
	for _, m := range prim {
		if m.Better == 0 || math.IsNaN(m.Resolution) {
			continue
		}
		if known == 0 || m.Resolution > coarsest.Resolution {
			coarsest = m
		}
		known++
	}
	if known == 0 {
		// Unpaired input: no resolution can be stated.
		return fmt.Sprintf("No regression: no significant %schange beyond %s in %d metrics (unpaired samples: resolution unknown).%s", unit, th, len(prim), improved)
	}
	if len(un) > 0 {
		worst := un[0]
		for _, m := range un {
			if !(m.Resolution <= worst.Resolution) {
				worst = m
			}
		}
		rest := ""
		if ok := len(prim) - len(un); ok > 0 {
			finest := 0.0
			for _, m := range prim {
				if m.Resolved(c.Options.Target) && m.Resolution > finest {
					finest = m.Resolution
				}
			}
			rest = fmt.Sprintf("; the other %d show no change ≥ %s", ok, pct(finest))
		}
		return fmt.Sprintf("INCONCLUSIVE: no regression seen, but %d of %d benchmarks cannot resolve a %s %schange (worst: %s, %s)%s.%s",
			len(un), len(prim), pct(c.Options.Target), unit, displayName(worst.Key.Name, pkgs), resolutionText(worst.Resolution), rest, improved)
	}
	return fmt.Sprintf("No regression: no %schange ≥ %s in any of %d benchmarks (coarsest: %s; threshold %s).%s",
		unit, pct(coarsest.Resolution), len(prim), displayName(coarsest.Key.Name, pkgs), th, improved)
}

// WriteMarkdown writes the comparison as markdown fit for a pull-request comment:
// the verdict, warnings, the primary family's table, then one table per
// secondary family. Each row shows base and head medians with their confidence
// intervals, the change with its interval ("~" when not significant), the
// corrected p-value, the pairs, and the resolution ("detects ≥").
func (c *Comparison) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	mark := "✅"
	switch {
	case len(c.Regressions()) > 0:
		mark = "❌"
	case len(c.Unresolved()) > 0 && c.hasResolution():
		mark = "⚠️"
	}
	fmt.Fprintf(&b, "### %s %s\n\n", mark, c.Verdict())
	for _, warn := range c.Warnings {
		fmt.Fprintf(&b, "> ⚠ %s\n", warn)
	}
	if sec := c.SecondaryRegressions(); len(sec) > 0 {
		var names []string
		for _, m := range sec {
			names = append(names, fmt.Sprintf("%s %s %+.1f%%", displayName(m.Key.Name, packages(c.Metrics)), displayUnit(m.Key.Unit), 100*m.Delta))
		}
		fmt.Fprintf(&b, "> Secondary metrics that got worse (reported, not failing the check): %s\n", strings.Join(names, ", "))
	}
	if len(c.Warnings) > 0 || len(c.SecondaryRegressions()) > 0 {
		b.WriteString("\n")
	}
	pkgs := packages(c.Metrics)
	for _, f := range c.Families {
		c.writeFamily(&b, f, pkgs)
	}
	pkgNote := ""
	if len(pkgs) == 1 && pkgs[0] != "" {
		pkgNote = "Package " + pkgs[0] + ". "
	}
	fmt.Fprintf(&b, "_%sMedians ± their %.0f%% confidence interval. %s Practical threshold %s, alpha %g. \"~\" means no significant difference._\n",
		pkgNote, 100*c.Options.Confidence, c.methodNote(), pct(c.Options.Threshold), c.Options.Alpha)
	_, err := io.WriteString(w, b.String())
	return err
}

// hasResolution reports whether any primary metric has a stated resolution.
func (c *Comparison) hasResolution() bool {
	for _, m := range c.Metrics {
		if m.Primary && !math.IsNaN(m.Resolution) {
			return true
		}
	}
	return false
}

// writeFamily writes one family's table and its geomean row.
func (c *Comparison) writeFamily(b *strings.Builder, f Family, pkgs []string) {
	var rows []MetricComparison
	for _, m := range c.Metrics {
		if m.Key.Unit == f.Unit {
			rows = append(rows, m)
		}
	}
	u := f.Unit
	dir := map[int]string{+1: " (higher is better)", -1: " (lower is better)"}[rows[0].Better]
	role := "secondary, reported only"
	switch {
	case f.Primary && f.Split > 1:
		role = fmt.Sprintf("decides the verdict with the other %d units, alpha split %d ways", f.Split-1, f.Split)
	case f.Primary:
		role = "primary: decides the verdict"
	}
	pName := "p (Holm)"
	if !f.Primary {
		pName = "q (BH)"
	}
	fmt.Fprintf(b, "**%s%s** — %s, %s over %d\n\n", displayUnit(u), dir, role, f.Correction, f.Size)
	fmt.Fprintf(b, "| benchmark | base | head | change (%.0f%% CI) | %s | n | detects ≥ |\n|---|--:|--:|--:|--:|--:|--:|\n", 100*c.Options.Confidence, pName)
	for _, m := range rows {
		delta := "~"
		if m.Significant && !math.IsNaN(m.Delta) {
			delta = fmt.Sprintf("%+.2f%%", 100*m.Delta)
			if m.Regression {
				delta = "**" + delta + "**"
				if f.Primary {
					delta += " ❌"
				}
			} else if m.Improvement {
				delta += " ✅"
			}
		}
		if !math.IsNaN(m.DeltaLo) {
			delta += " (" + ciText(m.DeltaLo, m.DeltaHi) + ")"
		} else if !m.Significant && !math.IsNaN(m.Delta) {
			delta += fmt.Sprintf(" (%+.1f%%)", 100*m.Delta)
		}
		n := fmt.Sprintf("%d pairs", m.Pairs)
		if m.Pairs == 0 {
			n = fmt.Sprintf("%d+%d", m.NOld, m.NNew)
		}
		res := resolutionText(m.Resolution)
		if f.Primary && m.Better != 0 && !math.IsNaN(m.Resolution) && !m.Resolved(c.Options.Target) {
			res += " ⚠"
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", mdCell(displayName(m.Key.Name, pkgs)),
			summaryText(u, m.Old), summaryText(u, m.New), delta, formatP(m.PAdj), n, res)
	}
	for _, g := range c.Geomeans {
		if g.Unit == u && g.N > 1 {
			fmt.Fprintf(b, "| **geomean** | %s | %s | %+.2f%% | | | |\n", formatUnitValue(u, g.Old), formatUnitValue(u, g.New), 100*g.Delta)
		}
	}
	b.WriteString("\n")
}

// methodNote says how the table was computed, in one or two sentences.
func (c *Comparison) methodNote() string {
	paired, unpaired := false, false
	for _, m := range c.Metrics {
		if m.Pairs > 0 {
			paired = true
		} else {
			unpaired = true
		}
	}
	var s []string
	if paired {
		s = append(s, fmt.Sprintf("Base and head paired by round: change is the Hodges-Lehmann estimate of the per-round ratio head/base − 1 with its confidence interval, p from the Wilcoxon signed-rank test on the log ratios; \"detects ≥\" is the smallest worsening this run would flag in %.0f%% of replays of its own paired noise (⚠: coarser than the %s target).",
			100*ResolutionPower, pct(c.Options.Target)))
	}
	if unpaired {
		s = append(s, "Unpaired metrics: change of the medians, Mann-Whitney U test.")
	}
	if len(c.Families) > 0 && c.Families[0].Split > 1 {
		s = append(s, "No time/op in the inputs, so every unit decides: each is Holm-corrected with alpha split between them (together they bound the chance of any false failure).")
	} else {
		s = append(s, "The primary family is Holm-corrected (it bounds the chance of any false failure); each secondary family is Benjamini-Hochberg-corrected on its own and does not fail the check.")
	}
	return strings.Join(s, " ")
}

// ciText prints a relative-change interval: "−1.2% … +3.4%".
func ciText(lo, hi float64) string {
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return "± ∞"
	}
	return fmt.Sprintf("%+.1f%% … %+.1f%%", 100*lo, 100*hi)
}

// resolutionText prints a resolution: "6.1%", "none" when no change is
// detectable with so few rounds, "-" when unknown.
func resolutionText(r float64) string {
	switch {
	case math.IsNaN(r):
		return "-"
	case math.IsInf(r, 1):
		return "none (too few rounds)"
	}
	return pct(r)
}

// pct prints a fraction as a percentage with up to two significant decimals.
func pct(f float64) string {
	v := 100 * f
	switch {
	case v >= 10:
		return fmt.Sprintf("%.0f%%", v)
	case v >= 1:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.1f", v), "0"), ".") + "%"
	}
	return fmt.Sprintf("%.2g%%", v)
}

// summaryText prints a median and its confidence interval as ±%, like benchstat.
func summaryText(unit string, s benchmath.Summary) string {
	v := formatUnitValue(unit, s.Center)
	if math.IsInf(s.Lo, 0) || math.IsInf(s.Hi, 0) || math.IsNaN(s.Lo) {
		return v + " ± ∞"
	}
	return v + " ± " + s.PctRangeString()
}

// formatUnitValue prints v in unit: seconds as ns/µs/ms/s, others with an SI
// prefix.
func formatUnitValue(unit string, v float64) string {
	if strings.Contains(unit, "sec") {
		return formatNs(v * 1e9)
	}
	return formatRate(v)
}

// displayUnit names a tidy unit for a table header ("sec/op" is shown as time/op).
func displayUnit(u string) string {
	return strings.ReplaceAll(u, "sec", "time")
}

func formatP(p float64) string {
	if p < 0.001 {
		return "<0.001"
	}
	return fmt.Sprintf("%.3f", p)
}

// packages returns the distinct packages metric names carry ("<pkg> <name>").
func packages(ms []MetricComparison) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range ms {
		pkg, _, ok := strings.Cut(m.Key.Name, " ")
		if !ok {
			pkg = ""
		}
		if !seen[pkg] {
			seen[pkg] = true
			out = append(out, pkg)
		}
	}
	return out
}

// displayName drops the package from a metric name when every metric shares it
// (the footnote names it), as benchstat does.
func displayName(name string, pkgs []string) string {
	if pkg, rest, ok := strings.Cut(name, " "); ok {
		if len(pkgs) == 1 {
			return rest
		}
		return pkg + "." + rest
	}
	return name
}
