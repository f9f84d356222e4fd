package cli

// Multi-process runs (-procs N): the command line's side. The orchestration (the
// children, the merge, the exclusion check across processes, and what the merged
// figures mean) is package multiproc; here the plan becomes the children's
// command lines and the outcome is printed.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/multiproc"
	"github.com/syncbench/syncbench/result"
)

// selfExecutable is the binary the children run. Tests running the command
// in-process point it at a built loadgen, since their own executable is the test
// binary.
var selfExecutable = os.Executable

// runProcs runs p in p.flags.procs processes (package multiproc) and prints the
// merged outcome.
func runProcs(ctx context.Context, p *plan, std stdio) int {
	exe, err := selfExecutable()
	if err != nil {
		fmt.Fprintf(std.stderr, "loadgen: finding the loadgen binary to start: %v\n", err)
		return ExitRunFailed
	}
	implList := p.implOrder()
	mp := multiproc.Plan{
		Exe:      exe,
		Procs:    p.flags.procs,
		Impls:    implList,
		LockFile: p.flags.lockfile,
		Args: func(impl impls.Impl, child int, dir, lockFile string) []string {
			return childArgs(p.fs, impl, dir, lockFile, p.flags.seed+int64(child))
		},
		Files:   p.resultFiles,
		Env:     childEnv(p.fs),
		Command: p.command,
		Out:     p.flags.out,
		Stamp:   p.judge,
	}
	if !p.flags.quiet && isTerminal(std.stderr) {
		mp.OnImpl = func(i int, impl impls.Impl) {
			fmt.Fprintf(std.stderr, "[%d/%d] %s in %d processes ...\n", i+1, len(implList), impl.Name, p.flags.procs)
		}
	}
	out, err := multiproc.Run(ctx, mp)
	var refused *multiproc.ChildInputError
	switch {
	case errors.As(err, &refused):
		fmt.Fprintln(std.stderr, refused.Msg)
		return ExitBadInput
	case err != nil:
		fmt.Fprintf(std.stderr, "loadgen: %v\n", err)
		return ExitRunFailed
	}
	return finishProcs(p, out, std)
}

// implOrder returns the plan's implementations in order, each once.
func (p *plan) implOrder() []impls.Impl {
	var out []impls.Impl
	seen := map[string]bool{}
	for _, c := range p.cells {
		if !seen[c.impl.Name] {
			seen[c.impl.Name] = true
			out = append(out, c.impl)
		}
	}
	return out
}

// resultFiles lists the result files a child running impl alone writes: one per
// cell of impl and repetition, in the order the child runs them.
func (p *plan) resultFiles(impl impls.Impl) []multiproc.File {
	var files []multiproc.File
	for rep := 1; rep <= p.flags.count; rep++ {
		for _, c := range p.cells {
			if c.impl.Name != impl.Name {
				continue
			}
			f := multiproc.File{Name: p.fileName(c, rep)}
			if p.flags.count > 1 {
				f.Repetition = rep
			}
			files = append(files, f)
		}
	}
	return files
}

// childArgs returns the flags of one child: the flags set on the parent's command
// line that apply to impl, without -procs, with -impl narrowed to impl, the seed
// offset by the child's index (so the processes do not draw identical op
// sequences; results ignore the seed when matching configurations), and the
// forced -out DIR -quiet -format json -forks 1, plus -lockfile when lockFile
// is set.
func childArgs(fs *pflag.FlagSet, impl impls.Impl, dir, lockFile string, seed int64) []string {
	var args []string
	fs.Visit(func(fl *pflag.Flag) {
		switch fl.Name {
		case "procs", "impl", "out", "quiet", "format", "lockfile", "seed", "forks",
			"threshold", "threshold-abort", "threshold-abort-delay", "junit": // the parent judges the merge
			return
		}
		if families, ok := familyFlags[fl.Name]; ok && !slices.Contains(families, impl.Family) {
			return // bad input for this impl: it applied to another one of the list
		}
		args = append(args, "--"+fl.Name+"="+childFlagValue(fl))
	})
	// Each child measures in its own one process: the processes run at once.
	args = append(args, "--impl="+impl.Name, "--seed="+strconv.FormatInt(seed, 10),
		"--out="+dir, "--quiet", "--format=json", "--forks=1")
	if lockFile != "" {
		args = append(args, "--lockfile="+lockFile)
	}
	return args
}

// procsRows returns the rows of the summary: each group's processes, labelled
// impl[p1] ..., followed by its merged row, impl[merged]. The labels are for
// display only; the files keep the implementation's name.
func procsRows(p *plan, out *multiproc.Outcome) []*result.Result {
	var rows []*result.Result
	label := func(res *result.Result, tag string) *result.Result {
		c := *res
		c.Impl = res.Impl + "[" + tag + "]"
		c.Command = p.command // summary.md shows the first row's command
		return &c
	}
	for _, g := range out.Groups {
		for i, res := range g.Procs {
			if res != nil {
				rows = append(rows, label(res, fmt.Sprintf("p%d", i+1)))
			}
		}
		rows = append(rows, label(g.Merged, "merged"))
	}
	return rows
}

// finishProcs writes summary.md, prints the summary and the exclusion verdicts, and
// returns the exit code. JSON on stdout holds the merged results only, under
// their real names, so it has the shape of a single-process run's output; the
// per-process results are in -out/procs.
func finishProcs(p *plan, out *multiproc.Outcome, std stdio) int {
	rows := procsRows(p, out)
	if p.flags.out != "" && len(rows) > 0 {
		var md strings.Builder
		if err := writeMarkdownSummary(&md, rows, p.percentiles); err != nil {
			fmt.Fprintf(std.stderr, "loadgen: %v\n", err)
			return ExitRunFailed
		}
		for _, v := range out.Verdicts {
			fmt.Fprintf(&md, "- %s\n", v)
		}
		// A failed write (a full disk) must not cost the summary: reported
		// after it.
		p.keepWriteError(result.WriteFileAtomic(filepath.Join(p.flags.out, "summary.md"), []byte(md.String())))
	}
	var err error
	switch p.flags.format {
	case "json":
		merged := make([]*result.Result, 0, len(out.Groups))
		for _, g := range out.Groups {
			merged = append(merged, g.Merged)
		}
		err = printSummary(std.stdout, "json", merged, nil)
	case "md":
		err = printSummary(std.stdout, "md", rows, p.percentiles)
		for _, v := range out.Verdicts {
			fmt.Fprintf(std.stdout, "- %s\n", v)
		}
	default:
		err = printSummary(std.stdout, "text", rows, p.percentiles)
		for _, v := range out.Verdicts {
			fmt.Fprintln(std.stdout, v)
		}
	}
	if err != nil {
		fmt.Fprintf(std.stderr, "loadgen: printing the summary: %v\n", describeWriteError(err))
		return ExitRunFailed
	}
	merged := make([]*result.Result, 0, len(out.Groups))
	for _, g := range out.Groups {
		merged = append(merged, g.Merged)
	}
	p.keepWriteError(p.writeJUnit(merged))
	if p.writeErr != nil {
		fmt.Fprintf(std.stderr, "loadgen: writing results: %v (the summary above has every result)\n", p.writeErr)
		return ExitRunFailed
	}
	if len(out.Failures) > 0 {
		for _, f := range out.Failures {
			fmt.Fprintf(std.stderr, "loadgen: %s\n", f)
		}
		return ExitRunFailed
	}
	if out.Interrupted {
		fmt.Fprintf(std.stderr, "loadgen: %s\n", interruptNote(merged, len(p.chosen)))
		return ExitInterrupted
	}
	if !p.checkThresholds(merged, std) {
		return ExitCheckFailed
	}
	return ExitOK
}
