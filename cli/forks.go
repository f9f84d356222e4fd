package cli

// Forks (-forks N): the command line's side. The orchestration (one process
// after another, each running every cell once in a rotated order, and reading
// back their results) is package forks; here the plan decides how many forks
// to run, builds their command lines, and prints what they measured.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/internal/forks"
	"github.com/syncbench/syncbench/result"
)

// defaultForks is the fork count of a run that does not choose one: the
// fewest with which a verdict can name a winner. The verdicts' test (a
// Wilcoxon signed-rank test on the forks' paired log ratios) cannot reach
// p < 0.05 with 5 pairs: its smallest two-sided p-value is 2^(1−n), 0.0625
// with 5 and 0.031 with 6. -duration is split among the forks, so the measured
// time per cell does not grow; each fork adds its warm-up, its harness floor
// (200 ms) and a process start. A variable so tests that run the command in
// their own process can default to one fork.
var defaultForks = 6

// forkFlags are the parent's flags a fork is not given: the parent owns the
// output, the printing, the checks and the fork count; -duration is replaced
// by each fork's share.
var forkFlags = map[string]bool{
	"forks": true, "fork": true, "out": true, "quiet": true, "format": true, "force": true,
	"threshold": true, "duration": true, "threshold-abort": true, "threshold-abort-delay": true, "junit": true,
	"metrics-addr": true,
}

// forkConflict returns why this plan runs in one process whatever -forks
// says, or "" when it can fork: a multi-process, fleet or max-rate run has
// its own process structure, a profile or a stream belongs to one process,
// and a scenario's phases or a shaped schedule are one timeline that a split
// duration would distort.
func (p *plan) forkConflict() string {
	f := &p.flags
	switch {
	case f.procs > 1:
		return "-procs runs its processes at once"
	case f.fleet != "":
		return "-fleet members measure one window together"
	case p.findMaxCond != nil:
		return "-find-max searches in one process"
	case p.shape.abort:
		return "-threshold-abort stops one process's run at a breach"
	case f.stream != "":
		return "-stream writes one process's intervals"
	case f.metricsAddr != "":
		return "-metrics-addr serves one process's intervals"
	case f.profiles.cpu != "" || f.profiles.mutex != "" || f.profiles.block != "" || f.profiles.trace != "":
		return "a profile or trace is of one process"
	case p.scenario != nil:
		return "a scenario's phases run in order in one process"
	case p.shape.arrival != "" && p.shape.arrival != "constant" && p.shape.arrival != "poisson":
		return "a shaped arrival schedule is one timeline over -duration"
	case followsBackendSchedule(p.chosen):
		return "the breakers' and adaptive limits' backend follows one schedule over -duration"
	}
	return ""
}

// resolveForks decides how many forks the plan runs and this process's role:
// a fork started by a parent (the hidden -fork K/N) runs its cells here as
// fork K of N; otherwise -forks, or defaultForks unless forkConflict says the
// run belongs in one process. With more than one fork the cells' duration is
// each fork's share of -duration.
func (p *plan) resolveForks() error {
	f := &p.flags
	p.role = forks.Single
	p.forks = 1
	if f.fork != "" {
		role, err := forks.ParseRole(f.fork)
		if err != nil {
			return err
		}
		p.role = role
		return nil
	}
	switch {
	case p.fs.Changed("forks"):
		if f.forks < 1 {
			return fmt.Errorf("-forks %d is not positive (allowed: 1 or more)", f.forks)
		}
		if why := p.forkConflict(); why != "" && f.forks > 1 {
			return fmt.Errorf("-forks %d does not combine with this run: %s (allowed: -forks 1)", f.forks, why)
		}
		p.forks = f.forks
	case p.forkConflict() == "":
		p.forks = defaultForks
	}
	if p.forks > 1 && f.duration > 0 { // a duration that is not positive is validate's to refuse
		p.totalDuration = f.duration
		f.duration = max(f.duration/time.Duration(p.forks), p.minForkDuration())
		if f.duration <= 0 {
			return fmt.Errorf("-duration %v split among %d forks leaves nothing to measure (allowed: at least 1ns per fork, or fewer -forks)", p.totalDuration, p.forks)
		}
	}
	return nil
}

// minForkDuration is the shortest run a fork of this plan may measure: two
// accuracy windows (-window) when a rate limiter is among the
// implementations, since a limiter's rate error is read over whole windows
// after the first (a shorter run has no steady span, and its "error" is its
// start-up); 0 otherwise. A -duration whose share per fork is shorter is
// stretched to it, so the cell then measures forks × this.
func (p *plan) minForkDuration() time.Duration {
	for _, impl := range p.chosen {
		if impl.IsRateLimiter() {
			return 2 * p.flags.window
		}
	}
	return 0
}

// forkArgs returns fork fork's command line: the flags set on the parent's
// command line but forkFlags, each fork's share of -duration, its role, and
// the forced -out DIR -quiet -format json.
func forkArgs(fs *pflag.FlagSet, role forks.Role, duration time.Duration, dir string) []string {
	var args []string
	fs.Visit(func(fl *pflag.Flag) {
		if forkFlags[fl.Name] {
			return
		}
		if sv, ok := fl.Value.(pflag.SliceValue); ok { // repeatable flags, one value each
			for _, v := range sv.GetSlice() {
				args = append(args, "--"+fl.Name+"="+v)
			}
			return
		}
		args = append(args, "--"+fl.Name+"="+childFlagValue(fl))
	})
	return append(args, "--duration="+duration.String(), "--fork="+role.String(),
		"--out="+dir, "--quiet", "--format=json")
}

// runForks runs p in p.forks processes, one after another (package forks),
// and finishes like a single-process run with every fork's results.
func runForks(ctx context.Context, p *plan, std stdio) int {
	exe, err := selfExecutable()
	if err != nil {
		fmt.Fprintf(std.stderr, "loadgen: finding the loadgen binary to start: %v\n", err)
		return ExitRunFailed
	}
	summaryOut := std.stdout
	p.progress = newProgress(progressWriter(p, summaryOut, std), p.plannedRuns(), newSummaryOptions(nil, p.percentiles))
	fp := forks.Plan{
		Exe:   exe,
		Forks: p.forks,
		Args: func(fork int, dir string) []string {
			return forkArgs(p.fs, forks.Role{Fork: fork, Of: p.forks}, p.flags.duration, dir)
		},
		Env:      childEnv(p.fs),
		Command:  p.command,
		Out:      p.flags.out,
		Stamp:    p.judge,
		OnResult: p.progress.result,
	}
	if !p.flags.quiet && isTerminal(std.stderr) {
		per := time.Duration(len(p.cells)*p.flags.count) * (p.flags.duration + p.flags.warmup)
		fp.OnFork = func(fork int) {
			eta := time.Duration(p.forks-fork+1) * per
			fmt.Fprintf(std.stderr, "[fork %d/%d, ETA %v] %d runs of %v in a process of their own ...\n",
				fork, p.forks, eta.Round(time.Second), len(p.cells)*p.flags.count, p.flags.duration)
		}
	}
	out, err := forks.Run(ctx, fp)
	var refused *forks.InputError
	switch {
	case errors.As(err, &refused):
		return badInput(std.stderr, "%s", refused.Msg)
	case err != nil:
		fmt.Fprintf(std.stderr, "loadgen: %v\n", err)
		return ExitRunFailed
	}
	var runErr error
	if len(out.Failures) > 0 {
		runErr = errors.New(strings.Join(out.Failures, "; "))
	}
	return p.finish(ctx, summaryOut, std, out.Results, nil, runErr)
}

// plannedRuns is the number of results the plan will produce when every run
// completes: each cell -count times in each fork.
func (p *plan) plannedRuns() int {
	return len(p.cells) * p.flags.count * p.forks
}

// forkSuffix is appended to the file names of a fork's results ("-f3"), so the
// forks' files of one cell sit side by side in -out; "" in one process.
func (p *plan) forkSuffix() string {
	if p.role.Of <= 1 {
		return ""
	}
	return fmt.Sprintf("-f%d", p.role.Fork)
}

// stampFork records the run's forks in res: its fork count, which fork it
// ran in, and the machine mode this process measured at its start.
func (p *plan) stampFork(res *result.Result) {
	res.Params.Forks = p.role.Of
	res.Fork = p.role.Fork
	if p.machine != nil {
		m := *p.machine
		res.Env.Machine = &m
	}
}
