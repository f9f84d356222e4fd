package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/internal/trend"
	"github.com/syncbench/syncbench/result"
)

func init() {
	registerSubcommand(subcommand{name: "trend", summary: "find change points in a stored benchmark history; exit 3 when the newest is a regression", run: runTrend})
}

const trendUsage = `usage: loadgen trend HISTORY [-order names|time|git|FILE] [-threshold 5%] [-alpha 0.01] [-out DIR] [-json FILE]

HISTORY is github-action-benchmark's stored data file (data.js or its JSON), or
a directory with one entry per commit: a directory of loadgen result files, or
a go test -bench output file (NAME.txt). -order says how a directory's entries
are ordered: by name (the default), by when they were measured, by the commit
time of the commit each name starts with (git, in the current repository), or
as a file lists them, oldest first.

For every benchmark and metric it finds change points by E-divisive means with
a permutation test and prints each with its commit, its size and a 95%
interval, as markdown; -json writes the same as JSON, -out also draws each
changed series (DIR/trend.md and DIR/plots/). Exit 3 when the newest change
point of a series is a regression beyond -threshold, 0 otherwise, 2 for bad
input. Confirm a change with paired rounds: scripts/confirm.sh PREVIOUS COMMIT.`

// runTrend implements `loadgen trend`.
func runTrend(_ context.Context, args []string, std stdio) int {
	fs := pflag.NewFlagSet("trend", pflag.ContinueOnError)
	order := fs.String("order", trend.OrderNames, "order of a directory's entries: names, time, git, or a file listing them oldest first")
	threshold := fs.String("threshold", "5%", "smallest change that counts as a regression (5% or 0.05)")
	alpha := fs.Float64("alpha", trend.DefaultConfig().Alpha, "largest permutation p-value of a change point, in (0, 0.5]")
	perms := fs.Int("permutations", trend.DefaultConfig().Permutations, "permutations per significance test, 19 to 9999")
	minSeg := fs.Int("min-segment", trend.DefaultConfig().MinSegment, "fewest commits on each side of a change point, at least 2")
	seed := fs.Uint64("seed", 1, "seed of the permutations and bootstrap intervals")
	out := fs.String("out", "", "directory for trend.md and the plots of changed series")
	jsonOut := fs.String("json", "", "write the findings as JSON to this file (- for stdout)")
	paths, code, ok := parseVerbFlags(fs, "trend", trendUsage, args, std)
	if !ok {
		return code
	}
	th, err := parseThreshold(*threshold)
	if err != nil {
		return badInput(std.stderr, "-threshold %q: %v", *threshold, err)
	}
	switch {
	case len(paths) != 1:
		return badInput(std.stderr, "trend needs one history, a data file or a directory (usage: %s)", "loadgen trend HISTORY")
	case !(*alpha > 0 && *alpha <= 0.5):
		return badInput(std.stderr, "-alpha %v is not allowed (allowed: above 0, at most 0.5)", *alpha)
	case *perms < 19 || *perms > 9999:
		return badInput(std.stderr, "-permutations %d is not allowed (allowed: 19 to 9999)", *perms)
	case *minSeg < 2:
		return badInput(std.stderr, "-min-segment %d is not allowed (allowed: at least 2)", *minSeg)
	case *out != "" && *jsonOut != "" && filepath.Clean(*jsonOut) == filepath.Join(*out, "trend.md"):
		return badInput(std.stderr, "-json %q is the trend.md -out writes", *jsonOut)
	}
	cfg := trend.Config{Alpha: *alpha, Permutations: *perms, MinSegment: *minSeg}
	commits, err := trend.ReadHistory(paths[0], *order)
	if err != nil {
		var he *trend.HistoryError
		var fe *result.FormatError
		if errors.As(err, &he) || errors.As(err, &fe) {
			return badInput(std.stderr, "trend: %v", err)
		}
		fmt.Fprintf(std.stderr, "loadgen: trend: %v\n", err)
		return ExitRunFailed
	}
	findings := trend.Analyze(trend.SeriesOf(commits), cfg, th, *seed)
	rep := trend.NewReport(findings, cfg, th, len(commits))
	if *out != "" {
		if err := os.MkdirAll(filepath.Join(*out, "plots"), 0o755); err != nil {
			return badInput(std.stderr, "-out %q cannot be created: %v", *out, err)
		}
		for i, f := range findings {
			if len(f.Points) == 0 {
				continue
			}
			name := fmt.Sprintf("trend-%02d.png", i)
			if err := trend.Plot(f, filepath.Join(*out, "plots", name)); err != nil {
				fmt.Fprintf(std.stderr, "loadgen: trend: plot of %s: %v\n", f.Series.Name, err)
				return ExitRunFailed
			}
			rep.Series[i].Plot = "plots/" + name
		}
	}
	var md bytes.Buffer
	if err := rep.WriteMarkdown(&md); err != nil {
		fmt.Fprintf(std.stderr, "loadgen: trend: %v\n", err)
		return ExitRunFailed
	}
	if *out != "" {
		if err := result.WriteFileAtomic(filepath.Join(*out, "trend.md"), md.Bytes()); err != nil {
			fmt.Fprintf(std.stderr, "loadgen: trend: %v\n", err)
			return ExitRunFailed
		}
	}
	if *jsonOut != "" {
		var js bytes.Buffer
		if err := rep.WriteJSON(&js); err != nil {
			fmt.Fprintf(std.stderr, "loadgen: trend: %v\n", err)
			return ExitRunFailed
		}
		if *jsonOut == "-" {
			std.stdout.Write(js.Bytes())
		} else if err := result.WriteFileAtomic(*jsonOut, js.Bytes()); err != nil {
			fmt.Fprintf(std.stderr, "loadgen: trend: %v\n", err)
			return ExitRunFailed
		}
	}
	if *jsonOut != "-" {
		std.stdout.Write(md.Bytes())
	}
	if len(rep.Regressions) > 0 {
		fmt.Fprintf(std.stderr, "loadgen: trend: regression at the newest change point of %s\n", strings.Join(rep.Regressions, ", "))
		return ExitCheckFailed
	}
	return ExitOK
}
