// Package forks runs a load's repetitions as forks, as JMH runs its forks:
// separate loadgen processes, one after another, each running every cell of
// the plan once, in an order rotated by one cell per fork.
//
// Why processes: on a shared or virtual machine the variation between runs
// dominates the variation within one. A process settles in a state (where its
// threads sit, what the host gives a contended cache line, how its heap grew)
// that holds for its whole life, so repetitions inside one process (-count)
// share it and agree with each other more than two invocations agree (here a
// median 2.2× smaller coefficient of variation, up to 7.9×). Only figures
// taken across processes carry the variation a second invocation would see,
// so only they can say whether one implementation beats another.
//
// Why rotated: every fork runs every cell, so the cells of one fork are
// paired (they shared that process's state) and a report can compare them fork
// by fork; rotating the order moves each cell through every position, so no
// implementation always runs first (cold) or last (after the others' garbage).
//
// Run starts the forks one after another, never two at once (they would
// measure each other). Each fork writes its result files into a directory of
// its own; Run reads them, stores the parent's command line in each, and,
// with Plan.Out, moves them with their side files (.hlog, .hgrm) into Out.
// Nothing is left running: the children are run by multiproc.RunChild.
package forks

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/syncbench/syncbench/internal/cleanup"
	"github.com/syncbench/syncbench/internal/exitcode"
	"github.com/syncbench/syncbench/internal/multiproc"
	"github.com/syncbench/syncbench/result"
)

// Plan is a forked run, validated by the caller.
type Plan struct {
	// Exe is the loadgen binary every fork runs.
	Exe string
	// Forks is the number of forks, 2 or more.
	Forks int
	// Args returns the command line (without the program name) of fork number
	// fork (1-based): it must run every cell once in that fork's order, as
	// fork fork of Forks, and write its result files into dir.
	Args func(fork int, dir string) []string
	// Env holds extra environment entries ("KEY=value") for every fork, as
	// multiproc.Plan.Env: where a secret goes instead of argv.
	Env []string
	// Command is the parent's command line, stored in every result.
	Command string
	// Out is the directory the results and their side files are moved to as
	// each fork ends; "" keeps no file (the results are returned).
	Out string
	// OnFork, when not nil, is called before fork number fork starts.
	OnFork func(fork int)
	// Stamp, when not nil, is called on each fork's result, after Command is
	// stored in it and before it is written into Out: the parent records what
	// only it knows (the thresholds' verdicts).
	Stamp func(*result.Result)
	// OnResult, when not nil, is called with each result as its fork ends.
	OnResult func(*result.Result)
}

// Outcome is what a forked run collected.
type Outcome struct {
	// Results are every fork's results, fork by fork, each fork's in the order
	// it ran them.
	Results []*result.Result
	// Failures explain why the run failed (a fork's failed run, a fork killed
	// by a signal); empty when it did not. Run stops after the first.
	Failures []string
	// Interrupted is set when ctx was cancelled or a fork was interrupted.
	Interrupted bool
}

// InputError reports that a fork refused its command line (exit 2): the
// parent checked the flags, so this is the fork's own message to pass on.
type InputError struct {
	Msg string // the fork's last stderr line
}

func (e *InputError) Error() string { return e.Msg }

// workDir is the directory, inside Plan.Out, the forks write into before
// their files are moved: on Out's file system, so a move is a rename.
const workDir = ".forks"

// Run runs p's forks one after another and collects their results. Like a
// single-process run it stops at the first failure or interrupt and returns
// what ran. An error means a fork could not be started or its files not read
// or moved; an *InputError means a fork refused its flags. The Outcome is
// never nil.
func Run(ctx context.Context, p Plan) (*Outcome, error) {
	out := &Outcome{}
	var tmp string
	var err error
	if p.Out != "" {
		tmp = filepath.Join(p.Out, workDir)
		err = os.MkdirAll(tmp, 0o755)
	} else {
		tmp, err = os.MkdirTemp("", "loadgen-forks-")
	}
	if err != nil {
		return out, err
	}
	defer os.RemoveAll(tmp)
	defer cleanup.Track(tmp)() // the hard exit (a second interrupt) skips the defer
	for fork := 1; fork <= p.Forks; fork++ {
		if ctx.Err() != nil {
			out.Interrupted = true
			break
		}
		if p.OnFork != nil {
			p.OnFork(fork)
		}
		dir := filepath.Join(tmp, fmt.Sprintf("f%d", fork))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return out, err
		}
		code, stderr, err := multiproc.RunChild(ctx, p.Exe, p.Args(fork, dir), p.Env)
		if err != nil {
			if ctx.Err() != nil {
				out.Interrupted = true
				break
			}
			return out, fmt.Errorf("starting fork %d: %w", fork, err)
		}
		if code == exitcode.BadInput {
			return out, &InputError{Msg: lastLine(stderr)}
		}
		results, err := collect(dir, p)
		if err != nil {
			return out, fmt.Errorf("fork %d: %w", fork, err)
		}
		out.Results = append(out.Results, results...)
		switch code {
		case exitcode.OK:
		case exitcode.Interrupted:
			out.Interrupted = true
		case -1:
			if ctx.Err() == nil {
				out.Failures = append(out.Failures, fmt.Sprintf("fork %d of %d: the process was killed by a signal", fork, p.Forks))
			}
		default:
			out.Failures = append(out.Failures, fmt.Sprintf("fork %d of %d: exit %d: %s", fork, p.Forks, code, lastLine(stderr)))
		}
		if len(out.Failures) > 0 || out.Interrupted {
			break
		}
	}
	if ctx.Err() != nil {
		out.Interrupted = true
	}
	return out, nil
}

// collect reads the result files a fork wrote into dir, in the order it ran
// them, stores the parent's command in each, and moves them and their side
// files into p.Out.
func collect(dir string, p Plan) ([]*result.Result, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var results []*result.Result
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".json") {
			continue
		}
		r, err := result.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		r.Command = p.Command
		if p.Stamp != nil {
			p.Stamp(r)
		}
		if p.Out != "" {
			if err := result.WriteFile(filepath.Join(p.Out, name), r); err != nil {
				return nil, err
			}
		}
		results = append(results, r)
	}
	if p.Out != "" {
		for _, e := range entries {
			if name := e.Name(); !e.IsDir() && !strings.HasSuffix(name, ".json") {
				if err := os.Rename(filepath.Join(dir, name), filepath.Join(p.Out, name)); err != nil {
					return nil, err
				}
			}
		}
	}
	sort.SliceStable(results, func(i, j int) bool { return results[i].Start.Before(results[j].Start) })
	if p.OnResult != nil {
		for _, r := range results {
			p.OnResult(r)
		}
	}
	return results, os.RemoveAll(dir)
}

// lastLine returns the last non-empty line of a fork's stderr, where loadgen
// puts the one line that explains a failure, without its "loadgen: " prefix
// (the parent adds its own).
func lastLine(stderr string) string {
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if l := strings.TrimSpace(lines[len(lines)-1]); l != "" {
		return strings.TrimPrefix(l, "loadgen: ")
	}
	return "no message"
}
