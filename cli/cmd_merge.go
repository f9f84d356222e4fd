package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/result"
)

func init() {
	registerSubcommand(subcommand{name: "merge", summary: "merge results of one configuration from several processes or machines", run: runMerge})
}

const mergeUsage = `usage: loadgen merge A.json B.json ... -out merged.json [-force]

Merges results of the same configuration, taken at the same time in several
processes or on several machines, losslessly (histograms merge, counts add).
Refuses results of different configurations unless -force, and results of fleet
members (loadgen -fleet) that are not of one fleet window, or one member twice.`

// runMerge implements `loadgen merge`.
func runMerge(_ context.Context, args []string, std stdio) int {
	fs := pflag.NewFlagSet("merge", pflag.ContinueOnError)
	out := fs.StringP("out", "o", "", "file to write the merged result to (required)")
	force := fs.Bool("force", false, "merge even results of different configurations")
	paths, code, ok := parseVerbFlags(fs, "merge", mergeUsage, args, std)
	if !ok {
		return code
	}
	if *out == "" {
		return badInput(std.stderr, "merge needs -out FILE for the merged result")
	}
	if len(paths) == 0 {
		return badInput(std.stderr, "merge needs result files (usage: loadgen merge A.json B.json ... -out merged.json)")
	}
	if err := checkVerbOutputs(paths, verbOutput{"-out", *out}); err != nil {
		return badInput(std.stderr, "%v", err)
	}
	results, err := reports.LoadResults(paths...)
	if err != nil {
		return badResults(std.stderr, err)
	}
	if len(results) < 2 {
		return badInput(std.stderr, "merge needs at least two results (got %d)", len(results))
	}
	merged, err := reports.Merge(results, *force)
	if _, ok := errors.AsType[*reports.ConfigMismatchError](err); ok {
		return badInput(std.stderr, "%v; pass -force to merge anyway", err)
	}
	if err != nil {
		return badInput(std.stderr, "cannot merge: %v", err)
	}
	if err := result.WriteFile(*out, merged); err != nil {
		return writeFailed(std.stderr, *out, err)
	}
	fmt.Fprintf(std.stdout, "merged %d results into %s (%d ops)\n", len(results), *out, merged.Counts.Completed)
	return ExitOK
}
