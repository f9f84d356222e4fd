package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/metrics"
	"github.com/syncbench/syncbench/reports"
)

func init() {
	registerSubcommand(subcommand{name: "export", summary: "convert result files to benchfmt (benchstat), CSV or HdrHistogram logs", run: runExport})
}

const exportUsage = `usage: loadgen export -format benchfmt|csv|hlog FILE|DIR... [-o FILE]

Writes the results in the chosen format to -o, or to stdout.`

// exporters maps -format values to their writers.
var exporters = map[string]func(io.Writer, []*metrics.Result) error{
	"benchfmt": reports.WriteBenchfmt,
	"csv":      reports.WriteCSV,
	"hlog":     reports.WriteHlog,
}

// runExport implements `loadgen export`.
func runExport(_ context.Context, args []string, std stdio) int {
	fs := pflag.NewFlagSet("export", pflag.ContinueOnError)
	format := fs.String("format", "benchfmt", "output format: benchfmt, csv or hlog")
	out := fs.StringP("out", "o", "", "output file (default: stdout)")
	paths, code, ok := parseVerbFlags(fs, "export", exportUsage, args, std)
	if !ok {
		return code
	}
	write, known := exporters[*format]
	if !known {
		return badInput(std.stderr, "-format %q is not allowed (allowed: benchfmt, csv, hlog)", *format)
	}
	if len(paths) == 0 {
		return badInput(std.stderr, "export needs result files or directories (usage: %s)", "loadgen export -format benchfmt FILE...")
	}
	results, err := reports.LoadResults(paths...)
	if err != nil {
		return badResults(std.stderr, err)
	}
	var buf bytes.Buffer
	if err := write(&buf, results); err != nil {
		fmt.Fprintf(std.stderr, "loadgen: export: %v\n", err)
		return ExitRunFailed
	}
	if *out == "" {
		std.stdout.Write(buf.Bytes())
		return ExitOK
	}
	if err := metrics.WriteFileAtomic(*out, buf.Bytes()); err != nil {
		return badInput(std.stderr, "-o %q cannot be written: %v", *out, err)
	}
	return ExitOK
}
