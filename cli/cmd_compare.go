package cli

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/metrics"
	"github.com/syncbench/syncbench/reports"
)

func init() {
	registerSubcommand(subcommand{name: "compare", summary: "compare two result sets or go test -bench outputs; exit 3 on a regression", run: runCompare})
}

const compareUsage = `usage: loadgen compare BASE NEW [-threshold 5%] [-alpha 0.05] [-out FILE]

BASE and NEW are each a result directory, a result file, or go test -bench output.
Prints a markdown table (benchstat-like) and a verdict; exits 3 when a metric got
significantly worse by more than the threshold, 0 otherwise.`

// runCompare implements `loadgen compare`.
func runCompare(_ context.Context, args []string, std stdio) int {
	fs := pflag.NewFlagSet("compare", pflag.ContinueOnError)
	threshold := fs.String("threshold", "5%", "smallest change that counts as a regression (5% or 0.05)")
	alpha := fs.Float64("alpha", 0.05, "significance level after Holm-Bonferroni correction, in (0, 1)")
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
	if !(*alpha > 0 && *alpha < 1) {
		return badInput(std.stderr, "-alpha %v is not allowed: want a probability in (0, 1), e.g. 0.05", *alpha)
	}
	if !(*confidence > 0 && *confidence < 1) {
		return badInput(std.stderr, "-confidence %v is not allowed: want a probability in (0, 1), e.g. 0.95", *confidence)
	}
	base, err := reports.LoadSamples(paths[0])
	if err != nil {
		return badResults(std.stderr, err)
	}
	head, err := reports.LoadSamples(paths[1])
	if err != nil {
		return badResults(std.stderr, err)
	}
	cmp := reports.Compare(base, head, reports.CompareOptions{Threshold: th, Alpha: *alpha, Confidence: *confidence})
	var md bytes.Buffer
	if err := cmp.WriteMarkdown(&md); err != nil {
		fmt.Fprintf(std.stderr, "loadgen: %v\n", err)
		return ExitRunFailed
	}
	if *out != "" {
		if err := metrics.WriteFileAtomic(*out, md.Bytes()); err != nil {
			return badInput(std.stderr, "-out %q cannot be written: %v", *out, err)
		}
	}
	std.stdout.Write(md.Bytes())
	if len(cmp.Metrics) == 0 {
		return badInput(std.stderr, "%s and %s have no metric in common (different benchmarks or configurations?)", paths[0], paths[1])
	}
	if len(cmp.Regressions()) > 0 {
		return ExitCheckFailed
	}
	return ExitOK
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
