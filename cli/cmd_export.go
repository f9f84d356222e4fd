package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/result"
)

func init() {
	registerSubcommand(subcommand{name: "export", summary: "convert result files to benchfmt (benchstat), CSV, HdrHistogram .hlog/.hgrm or github-action-benchmark JSON", run: runExport})
}

const exportUsage = `usage: loadgen export -format FORMAT FILE|DIR... [-o FILE]

Writes the results in the chosen format to -o, or to stdout. Formats:
  benchfmt                 Go benchmark lines for benchstat (closed loops carry ns/op)
  csv                      one row per result
  cells-csv, cells-json    one row (object) per cell: each headline figure's median
                           across the cell's forks, with its range and fork count
  hlog                     HdrHistogram interval log, one interval per result
  hgrm                     HdrHistogram percentile distribution (values in ms) of
                           -histogram (response, service, or a split: read, write, ok, denied, ...)
  github-action-benchmark  the JSON list {name, unit, value} github-action-benchmark's
                           customSmallerIsBetter tool reads (latencies in ns); with
                           -better bigger, throughput for customBiggerIsBetter`

// exportFormats are the -format values, in the order help lists them.
var exportFormats = []string{"benchfmt", "csv", "cells-csv", "cells-json", "hlog", "hgrm", "github-action-benchmark"}

// exporter returns the writer of -format format with its options.
func exporter(format, histogram, better string) (func(io.Writer, []*result.Result) error, bool) {
	switch format {
	case "benchfmt":
		return reports.WriteBenchfmt, true
	case "csv":
		return reports.WriteCSV, true
	case "cells-csv":
		return reports.WriteCellsCSV, true
	case "cells-json":
		return reports.WriteCellsJSON, true
	case "hlog":
		return reports.WriteHlog, true
	case "hgrm":
		return func(w io.Writer, rs []*result.Result) error { return reports.WriteHgrm(w, rs, histogram) }, true
	case "github-action-benchmark":
		return func(w io.Writer, rs []*result.Result) error { return reports.WriteActionBenchmark(w, rs, better) }, true
	}
	return nil, false
}

// runExport implements `loadgen export`.
func runExport(_ context.Context, args []string, std stdio) int {
	fs := pflag.NewFlagSet("export", pflag.ContinueOnError)
	format := fs.String("format", "benchfmt", "output format: "+strings.Join(exportFormats, ", "))
	out := fs.StringP("out", "o", "", "output file (default: stdout)")
	histogram := fs.String("histogram", "response", "hgrm: which histogram (response, service, or a split group such as write or denied)")
	better := fs.String("better", reports.SmallerIsBetter, "github-action-benchmark: smaller (latencies, ns) or bigger (throughput, ops/s)")
	paths, code, ok := parseVerbFlags(fs, "export", exportUsage, args, std)
	if !ok {
		return code
	}
	write, known := exporter(*format, *histogram, *better)
	if !known {
		return badInput(std.stderr, "-format %q is not allowed%s (allowed: %s)", *format, didYouMean(*format, exportFormats, ""), strings.Join(exportFormats, ", "))
	}
	if *better != reports.SmallerIsBetter && *better != reports.BiggerIsBetter {
		return badInput(std.stderr, "-better %q is not allowed (allowed: %s, %s)", *better, reports.SmallerIsBetter, reports.BiggerIsBetter)
	}
	if len(paths) == 0 {
		return badInput(std.stderr, "export needs result files or directories (usage: %s)", "loadgen export -format benchfmt FILE...")
	}
	if err := checkVerbOutputs(paths, verbOutput{"-out", *out}); err != nil {
		return badInput(std.stderr, "%v", err)
	}
	results, err := reports.LoadResults(paths...)
	if err != nil {
		return badResults(std.stderr, err)
	}
	var buf bytes.Buffer
	if err := write(&buf, results); err != nil {
		if *format == "hgrm" { // a histogram name the results do not have
			return badInput(std.stderr, "export: %v", err)
		}
		fmt.Fprintf(std.stderr, "loadgen: export: %v\n", err)
		return ExitRunFailed
	}
	if *out == "" {
		if _, err := std.stdout.Write(buf.Bytes()); err != nil {
			return writeFailed(std.stderr, "the export to standard output", err)
		}
		return ExitOK
	}
	if err := result.WriteFileAtomic(*out, buf.Bytes()); err != nil {
		return writeFailed(std.stderr, *out, err)
	}
	return ExitOK
}
