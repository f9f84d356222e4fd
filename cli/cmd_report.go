package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/result"
	"golang.org/x/perf/benchfmt"
)

func init() {
	registerSubcommand(subcommand{name: "report", summary: "build report.md, report.html, plots, results.csv and bench.txt from result files", run: runReport})
}

const reportUsage = `usage: loadgen report DIR|FILE... [-out DIR] [-title TEXT] [-no-plots] [-percentiles 50,90,99,99.9]

Reads result files (directories are searched recursively for *.json) and writes
report.md, report.html (the same report in one self-contained file, its plots
inline as SVG), results.csv, bench.txt and plots/ into -out. With a single
directory argument -out defaults to that directory.`

// runReport implements `loadgen report`.
func runReport(ctx context.Context, args []string, std stdio) int {
	fs := pflag.NewFlagSet("report", pflag.ContinueOnError)
	out := fs.StringP("out", "o", "", "output directory (default: the single input directory)")
	title := fs.String("title", "", "title of report.md and report.html")
	noPlots := fs.Bool("no-plots", false, "write the tables only")
	pcts := fs.String("percentiles", "", "response percentiles the tables show, comma list (default 50,90,99,99.9)")
	paths, code, ok := parseVerbFlags(fs, "report", reportUsage, args, std)
	if !ok {
		return code
	}
	percentiles, err := reports.ParsePercentiles(*pcts)
	if err != nil {
		return badInput(std.stderr, "-percentiles: %v", err)
	}
	if len(paths) == 0 {
		return badInput(std.stderr, "report needs result files or directories (usage: loadgen report DIR|FILE... -out DIR)")
	}
	for _, path := range paths {
		// Said first: a missing input is not a missing -out.
		if _, err := os.Stat(path); err != nil {
			return badInput(std.stderr, "cannot read %s: %v (want result files or directories of them)", path, unwrapPathError(err))
		}
	}
	if *out == "" {
		if info, err := os.Stat(paths[0]); len(paths) == 1 && err == nil && info.IsDir() {
			*out = paths[0]
		} else {
			return badInput(std.stderr, "report needs -out DIR when its input is not a single directory")
		}
	}
	if info, err := os.Stat(*out); err == nil && !info.IsDir() {
		return badInput(std.stderr, "-out %q is a file; want a directory for report.md and plots/", *out)
	}
	results, err := reports.LoadResults(paths...)
	if err != nil {
		return badResults(std.stderr, err)
	}
	// An -out the report cannot own or write is bad input, as for run and merge.
	if err := checkPlotsDir(*out); err != nil {
		return badInput(std.stderr, "-out %q: %v", *out, err)
	}
	if err := checkWritableDir(*out); err != nil {
		return badInput(std.stderr, "-out %q is not a writable directory: %v", *out, err)
	}
	if ctx.Err() != nil { // interrupted while the results were read
		fmt.Fprintln(std.stderr, "loadgen: interrupted: no report written")
		return ExitInterrupted
	}
	opts := reports.ReportOptions{Context: ctx, Title: *title, NoPlots: *noPlots, Percentiles: percentiles, Command: "loadgen report " + strings.Join(args, " ")}
	if err := reports.WriteReport(*out, results, opts); err != nil {
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			fmt.Fprintln(std.stderr, "loadgen: interrupted: the report was not written (plots drawn before the interrupt are kept)")
			return ExitInterrupted
		}
		fmt.Fprintf(std.stderr, "loadgen: writing the report into %s: %v\n", *out, err)
		return ExitRunFailed
	}
	fmt.Fprintf(std.stdout, "wrote %s and %s (%d results)\n", filepath.Join(*out, reports.ReportFile), reports.HTMLFile, len(results))
	return ExitOK
}

// parseVerbFlags parses a verb's flags, accepting Go-style single-dash long flags,
// and returns the positional arguments. On -h/--help it prints usage and returns
// ok=false with exit 0; on a bad flag it prints one line and returns exit 2.
func parseVerbFlags(fs *pflag.FlagSet, verb, usage string, args []string, std stdio) (positional []string, code int, ok bool) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.SortFlags = false
	if err := parseFlagSet(fs, args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(std.stdout, "%s\n\nflags:\n%s", usage, fs.FlagUsages())
			return nil, ExitOK, false
		}
		return nil, badInput(std.stderr, "%s: %v (allowed flags: %s)", verb, err, flagNames(fs)), false
	}
	return fs.Args(), 0, true
}

// flagNames lists fs's flags as "-a, -b" for error messages.
func flagNames(fs *pflag.FlagSet) string {
	var names []string
	fs.VisitAll(func(f *pflag.Flag) { names = append(names, "-"+f.Name) })
	return strings.Join(names, ", ")
}

// badResults reports a result file or directory that cannot be used.
func badResults(stderr io.Writer, err error) int {
	if _, ok := errors.AsType[*benchfmt.SyntaxError](err); ok {
		return badInput(stderr, "%v (want go test -bench output, or result files)", err)
	}
	if _, ok := errors.AsType[*result.FormatError](err); ok {
		return badInput(stderr, "%v (want result files written by loadgen -out, schema %s)", err, result.Schema)
	}
	return badInput(stderr, "%v (want result files or directories of them)", err)
}
