package cli

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/result"
)

func init() {
	registerSubcommand(subcommand{name: "compare", summary: "compare two result sets or go test -bench outputs; exit 3 on a regression", run: runCompare})
}

const compareUsage = `usage: loadgen compare BASE NEW [-threshold 5%] [-target 10%] [-alpha 0.05] [-out FILE]

BASE and NEW are each a result directory, a result file, or go test -bench output.
Output with "round: N" lines (scripts/regress.sh) is compared round by round, as
pairs. Prints a markdown table per unit and a verdict that states the smallest
change each benchmark could have shown; exits 3 when a metric of the primary
family (CPU time/op, else time/op) got significantly worse by more than the
threshold, 0 otherwise.`

// runCompare implements `loadgen compare`.
func runCompare(_ context.Context, args []string, std stdio) int {
	fs := pflag.NewFlagSet("compare", pflag.ContinueOnError)
	threshold := fs.String("threshold", "5%", "smallest change that counts as a regression (5% or 0.05)")
	target := fs.String("target", "", "resolution each primary benchmark must reach, the slowdown it must be able to show (default twice -threshold)")
	alpha := fs.Float64("alpha", 0.05, "significance level after correction (Holm for the primary family, Benjamini-Hochberg for the others), in (0, 1)")
	primary := fs.String("primary", "", "unit of the primary family, the one that decides the verdict, e.g. sec/op (default cpu-sec/op if both sides have it, else sec/op)")
	unresolved := fs.String("unresolved", "", "write the benchmarks coarser than -target to FILE, one Go benchmark name a line")
	primaryOnly := fs.Bool("primary-only", false, "compare the primary family alone (faster: all -unresolved and the exit status need)")
	confidence := fs.Float64("confidence", 0.95, "confidence level of the reported intervals, in (0, 1)")
	out := fs.StringP("out", "o", "", "also write the markdown to FILE")
	paths, code, ok := parseVerbFlags(fs, "compare", compareUsage, args, std)
	if !ok {
		return code
	}
	if len(paths) != 2 {
		return badInput(std.stderr, "compare takes exactly two inputs, BASE and NEW (got %d)", len(paths))
	}
	th, err := parseThreshold(*threshold)
	if err != nil {
		return badInput(std.stderr, "-threshold %q: %v", *threshold, err)
	}
	tg := 0.0
	if *target != "" {
		if tg, err = parseThreshold(*target); err != nil || tg == 0 {
			if err == nil {
				err = fmt.Errorf("want a change above 0%%")
			}
			return badInput(std.stderr, "-target %q: %v", *target, err)
		}
	}
	if !(*alpha > 0 && *alpha < 1) {
		return badInput(std.stderr, "-alpha %v is not allowed: want a probability in (0, 1), e.g. 0.05", *alpha)
	}
	if !(*confidence > 0 && *confidence < 1) {
		return badInput(std.stderr, "-confidence %v is not allowed: want a probability in (0, 1), e.g. 0.95", *confidence)
	}
	if sameFile(paths[0], paths[1]) {
		return badInput(std.stderr, "compare %s %s: BASE and NEW are the same input, which cannot tell a change (allowed: two different result sets or benchmark outputs)", paths[0], paths[1])
	}
	if err := checkVerbOutputs(paths, verbOutput{"-out", *out}, verbOutput{"-unresolved", *unresolved}); err != nil {
		return badInput(std.stderr, "%v", err)
	}
	base, err := reports.LoadSamples(paths[0])
	if err != nil {
		return badResults(std.stderr, err)
	}
	head, err := reports.LoadSamples(paths[1])
	if err != nil {
		return badResults(std.stderr, err)
	}
	cmp := reports.Compare(base, head, reports.CompareOptions{Threshold: th, Target: tg, Alpha: *alpha, Confidence: *confidence, Primary: *primary, PrimaryOnly: *primaryOnly})
	if *primary != "" && len(cmp.Families) > 0 && !cmp.Families[0].Primary {
		return badInput(std.stderr, "-primary %q: neither input has that unit in common (the units are %s)", *primary, familyUnits(cmp))
	}
	if len(cmp.Metrics) == 0 {
		// Bad input, so nothing is written or printed: a verdict line on
		// stdout ("No common metrics") beside exit 2 would contradict it.
		return badInput(std.stderr, "%s and %s have no metric in common (different benchmarks or configurations?)", paths[0], paths[1])
	}
	var md bytes.Buffer
	if err := cmp.WriteMarkdown(&md); err != nil {
		fmt.Fprintf(std.stderr, "loadgen: %v\n", err)
		return ExitRunFailed
	}
	if *out != "" {
		if err := result.WriteFileAtomic(*out, md.Bytes()); err != nil {
			return writeFailed(std.stderr, *out, err)
		}
	}
	if *unresolved != "" {
		var list bytes.Buffer
		for _, name := range cmp.UnresolvedBenchmarks() {
			list.WriteString(name + "\n")
		}
		if err := result.WriteFileAtomic(*unresolved, list.Bytes()); err != nil {
			return writeFailed(std.stderr, *unresolved, err)
		}
	}
	if _, err := std.stdout.Write(md.Bytes()); err != nil {
		return writeFailed(std.stderr, "the comparison to standard output", err)
	}
	if len(cmp.Regressions()) > 0 {
		return ExitCheckFailed
	}
	return ExitOK
}

// familyUnits lists the compared units, for an error message.
func familyUnits(c *reports.Comparison) string {
	var u []string
	for _, f := range c.Families {
		u = append(u, f.Unit)
	}
	return strings.Join(u, ", ")
}

// parseThreshold accepts a percentage ("5%", "2.5%") or a fraction ("0.05").
func parseThreshold(s string) (float64, error) {
	t := strings.TrimSpace(s)
	pct := strings.HasSuffix(t, "%")
	v, err := strconv.ParseFloat(strings.TrimSuffix(t, "%"), 64)
	if err != nil {
		return 0, fmt.Errorf("not a number; write a percentage like 5%% or a fraction like 0.05")
	}
	if pct {
		v /= 100
	} else if v >= 1 {
		return 0, fmt.Errorf("a bare number must be a fraction below 1; for percent write %s%%", t)
	}
	if !(v >= 0 && v < 1) {
		return 0, fmt.Errorf("want a change between 0%% and 100%%")
	}
	return v, nil
}
