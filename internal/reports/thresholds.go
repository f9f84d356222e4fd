package reports

import (
	"fmt"
	"io"
	"strings"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// RunName names one result among others in the thresholds' tables and JUnit
// suites: the implementation, its configuration (workload, model, rate,
// concurrency, family parameters), and its repetition (r2) and fork (f3)
// when it is one of several, e.g. "mutex custom closed conc=8 gomaxprocs=2 f3".
func RunName(r *result.Result) string {
	name := r.Impl
	if cfg := configLabel(r.Workload, r.Params); cfg != "" {
		name += " " + cfg
	}
	if r.Repetition > 0 {
		name += fmt.Sprintf(" r%d", r.Repetition)
	}
	if r.Fork > 0 && r.Params.Forks > 1 {
		name += fmt.Sprintf(" f%d", r.Fork)
	}
	return name
}

// ThresholdValue writes a verdict's measured value in its unit: "1.2ms",
// "0.5%" (a ratio or percentage), "1000" (ops), "4900/s"; "not measured" when
// the result could not provide it.
func ThresholdValue(v result.ThresholdVerdict) string {
	if v.Value == nil {
		return "not measured"
	}
	x := *v.Value
	switch v.Unit {
	case "ns":
		return units.Duration(x)
	case "ratio":
		return units.Percent(100 * x)
	case "percent":
		return units.Percent(x)
	case "ops/s":
		return units.Number(x) + "/s"
	}
	return units.Plain(x)
}

// ThresholdCounts returns how many threshold verdicts results hold and how
// many of them failed.
func ThresholdCounts(results []*result.Result) (total, failed int) {
	for _, r := range results {
		for _, v := range r.Thresholds {
			total++
			if !v.Pass {
				failed++
			}
		}
	}
	return total, failed
}

// WriteThresholds writes the thresholds' verdicts of results as a markdown
// section: a "## Thresholds" heading, how many passed, a table of run,
// threshold, measured value and verdict (a failure with its message), and a
// line for each run -threshold-abort stopped early. It writes nothing when no
// result holds a verdict.
func WriteThresholds(w io.Writer, results []*result.Result) error {
	total, failed := ThresholdCounts(results)
	if total == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("## Thresholds\n\n")
	if failed == 0 {
		fmt.Fprintf(&b, "All %d threshold checks passed.\n\n", total)
	} else {
		fmt.Fprintf(&b, "**%d of %d threshold checks failed** (exit 3).\n\n", failed, total)
	}
	b.WriteString("| run | threshold | measured | verdict |\n|---|---|---:|---|\n")
	for _, r := range results {
		for _, v := range r.Thresholds {
			verdict := "pass"
			if !v.Pass {
				verdict = "**fail**: " + mdCell(v.Message)
			}
			fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", mdCell(RunName(r)), strings.ReplaceAll(v.Expression, "|", `\|`), ThresholdValue(v), verdict)
		}
	}
	b.WriteString("\n")
	for _, r := range results {
		if r.Aborted != "" {
			fmt.Fprintf(&b, "- %s was stopped early by -threshold-abort: %s; its figures cover what ran.\n", mdCell(RunName(r)), mdCell(r.Aborted))
		}
	}
	if strings.HasSuffix(b.String(), ".\n") {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
