package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/syncbench/syncbench/internal/forks"
	"github.com/syncbench/syncbench/internal/hostmode"
	"github.com/syncbench/syncbench/internal/livemetrics"
	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/internal/workloads"
	"github.com/syncbench/syncbench/result"
)

// floorDuration is how long the harness floor is measured (twice in auto timing
// mode) before the runs. A variable only so that the package's tests, which run
// the command in-process dozens of times, can shorten it (TestMain).
var floorDuration = 200 * time.Millisecond

// machineProbeDuration is how long the machine's mode (package hostmode) is
// measured at the start of each process.
const machineProbeDuration = 5 * time.Millisecond

// runLoad is the run command: parse, validate, run every cell, write and print.
func runLoad(ctx context.Context, args []string, std stdio) int {
	p, code := parsePlan(args, std)
	if p == nil {
		return code
	}
	if p.flags.procs > 1 {
		return runProcs(ctx, p, std)
	}
	if p.forks > 1 {
		return runForks(ctx, p, std)
	}
	summaryOut := std.stdout
	if p.flags.stream == "-" {
		summaryOut = std.stderr // stdout carries nothing but the JSON lines
	}
	p.progress = newProgress(progressWriter(p, summaryOut, std), p.plannedRuns(), newSummaryOptions(nil, p.percentiles))
	// The metrics address is bound before anything else is reached: a port in
	// use is bad input, found before the fleet's Redis or any load.
	if p.flags.metricsAddr != "" {
		live, err := livemetrics.Listen(p.flags.metricsAddr)
		if err != nil {
			p.undoOut()
			return badInput(std.stderr, "-metrics-addr %q cannot be served: %v", p.flags.metricsAddr, err)
		}
		defer live.Close()
		p.live = live
	}
	member, closeFleet, err := p.joinFleet(ctx, std.stderr)
	if err != nil {
		p.undoOut()
		return badInput(std.stderr, "%v", err)
	}
	defer closeFleet()
	p.member = member
	// The stream is opened last, once every check has passed: an existing
	// file is not touched by a refused run (and is emptied only by the
	// first line, see stream).
	if p.flags.stream != "" {
		if p.stream, err = openStream(p.flags.stream, std.stdout); err != nil {
			p.undoOut()
			return badInput(std.stderr, "%v", err)
		}
	}
	if p.live != nil {
		p.live.Serve()
		fmt.Fprintf(std.stderr, "loadgen: serving live metrics at %s\n", p.live.URL())
	}
	// The machine's mode first, while nothing else of this process runs: the
	// probe keeps two threads spinning.
	probe := hostmode.PingPong(machineProbeDuration)
	p.machine = &result.MachineMode{CacheLineRoundTripNs: probe.RoundTripNs, Method: hostmode.Method}
	floor, err := workloads.MeasureFloorSample(ctx, floorDuration, p.sample)
	if err != nil {
		fmt.Fprintf(std.stderr, "loadgen: measuring the harness floor: %v\n", err)
		return ExitRunFailed
	}
	if p.member != nil {
		p.progress.floorLater(floor)
	} else {
		p.progress.floor(floor)
	}
	p.flags.profiles.place(p.flags.out)
	prof, err := startProfiles(p.flags.profiles)
	if err != nil {
		return badInput(std.stderr, "%v", err)
	}
	var results []*result.Result
	var searches []implSearch
	var runErr error
	if p.findMaxCond != nil {
		results, searches, runErr = p.findMax(ctx, floor, std)
	} else {
		results, runErr = p.execute(ctx, floor, std)
	}
	if err := prof.stop(); err != nil && runErr == nil {
		runErr = err
	}
	if isFleetFailure(runErr) && len(results) == 0 {
		// Found before anything was measured (a fleet that never
		// gathered): bad input, and like any bad input it leaves no file
		// and prints no summary.
		p.stream.discard()
		p.undoOut()
		return badInput(std.stderr, "%v", runErr)
	}
	// A failed stream (a closed pipe, a full disk) is reported, and every
	// other output still written.
	p.keepWriteError(p.stream.close())
	return p.finish(ctx, summaryOut, std, results, searches, runErr)
}

// finish writes the outputs and prints the summary of a run's results,
// wherever they were measured (here or in forks), and returns the exit code.
func (p *plan) finish(ctx context.Context, summaryOut io.Writer, std stdio, results []*result.Result, searches []implSearch, runErr error) int {
	// Every result holds its verdicts before anything shows them: judged
	// where it was made, or here (a search's probe).
	for _, r := range results {
		if len(r.Thresholds) == 0 {
			p.judge(r)
		}
	}
	// A failed write (a full disk) must not cost the results: every file that
	// can be written is, the summary is printed whatever happened, and the
	// first write error is reported with its path.
	p.keepWriteError(p.writeOutputs(results))
	if len(results) > 0 {
		p.keepWriteError(p.writeJUnit(results))
	}
	if err := printSummary(summaryOut, p.flags.format, results, p.percentiles); err != nil {
		fmt.Fprintf(std.stderr, "loadgen: printing the summary: %v\n", describeWriteError(err))
		return ExitRunFailed
	}
	writeVerdicts(summaryOut, p.flags.format, results)
	if p.flags.format == "text" {
		writeMaxRateSearches(summaryOut, searches)
	}
	switch {
	case isFleetFailure(runErr):
		return badInput(std.stderr, "%v", runErr)
	case runErr != nil:
		fmt.Fprintf(std.stderr, "loadgen: %v\n", runErr)
		return ExitRunFailed
	case p.writeErr != nil:
		fmt.Fprintf(std.stderr, "loadgen: writing results: %v (the summary above has every result)\n", p.writeErr)
		return ExitRunFailed
	case ctx.Err() != nil:
		planned := p.plannedRuns()
		if p.findMaxCond != nil {
			planned = len(results) // a search's probes are not known in advance
		}
		fmt.Fprintf(std.stderr, "loadgen: %s\n", interruptNote(results, planned))
		return ExitInterrupted
	}
	if msg := noneSucceeded(results); msg != "" {
		fmt.Fprintf(std.stderr, "loadgen: %s\n", msg)
		return ExitRunFailed
	}
	if !p.checkThresholds(results, std) {
		return ExitCheckFailed
	}
	return ExitOK
}

// keepWriteError records the first error writing an output file; later ones
// (usually the same full disk) would hide which file failed first.
func (p *plan) keepWriteError(err error) {
	if err != nil && p.writeErr == nil {
		p.writeErr = err
	}
}

// describeWriteError says what a failed write to a pipe means: its reader
// closed it (loadgen ... | head -1). Other errors are returned as they are.
func describeWriteError(err error) error {
	if errors.Is(err, syscall.EPIPE) {
		return errors.New("the reader closed standard output (broken pipe)")
	}
	return err
}

// interruptNote says what an interrupt stopped: a run in progress (its result,
// and those of the runs not started, are partial or missing) or nothing but the
// end of the command, when every run had already finished.
func interruptNote(results []*result.Result, planned int) string {
	partial := 0
	for _, r := range results {
		if r.Interrupted {
			partial++
		}
	}
	if partial == 0 && len(results) == planned {
		return fmt.Sprintf("interrupted after every run had finished: all %d results are complete", len(results))
	}
	return fmt.Sprintf("interrupted: %d of %d runs complete, %d cut short (marked \"interrupted\"), %d not started",
		len(results)-partial, planned, partial, planned-len(results))
}

// noneSucceeded returns why a run must fail when one of its results has no
// successful op at all: every op it finished was an error or a timeout. A
// measurement of nothing but failures is not a benchmark result, whatever the
// thresholds say; -threshold error_rate<X sets finer budgets. Denials count as
// success here: a limiter that denies is working. An empty string means none.
func noneSucceeded(results []*result.Result) string {
	for _, r := range results {
		c := r.Counts
		if c.Completed > 0 && c.OK == 0 && c.Denied == 0 {
			return fmt.Sprintf("%s: no op succeeded (%d errors, %d timeouts of %d completed ops); exit 1 (see `loadgen help` for exit codes)",
				r.Impl, c.Error, c.Timeout, c.Completed)
		}
	}
	return ""
}

// execute runs every cell count times, interleaved (all cells of repetition 1,
// then all of repetition 2, ...) so slow drift of the machine affects every cell
// alike. It stops at the first interrupt or failure and returns what ran.
func (p *plan) execute(ctx context.Context, floor result.Floor, std stdio) ([]*result.Result, error) {
	var results []*result.Result
	status := newStatusLine(std.stderr, !p.flags.quiet && isTerminal(std.stderr))
	defaultProcs := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(defaultProcs)
	total := len(p.cells) * p.flags.count
	cells := forks.Rotate(p.cells, p.role)
	for rep := 1; rep <= p.flags.count; rep++ {
		for i, c := range cells {
			if ctx.Err() != nil {
				return results, nil
			}
			label := c.impl.Name
			if total > 1 {
				done := (rep-1)*len(p.cells) + i
				eta := time.Duration(total-done) * (p.flags.duration + p.flags.warmup)
				label = fmt.Sprintf("[%d/%d, ETA %v] %s", done+1, total, eta.Round(time.Second), p.cellLabel(c, rep))
			}
			res, err := p.runCell(ctx, c, rep, floor, chainIntervals(status.hook(label), p.stream.hook(p.streamLine(c, rep))))
			status.clear()
			if res != nil {
				results = append(results, res)
				p.progress.result(res)
			}
			if err != nil {
				return results, err
			}
			if p.aborted != "" {
				return results, nil // -threshold-abort stops the whole plan, as k6 stops its test
			}
		}
	}
	return results, nil
}

// runCell runs one repetition of one cell and writes its result (and .hlog)
// into -out. A result is returned whenever the run produced one, with the run's
// error (a violated invariant) beside it.
func (p *plan) runCell(ctx context.Context, c cell, rep int, floor result.Floor, onInterval func(result.Interval)) (*result.Result, error) {
	if c.cpu > 0 {
		runtime.GOMAXPROCS(c.cpu)
	}
	repetition := 0
	if p.flags.count > 1 {
		repetition = rep
	}
	job := workloads.Job{
		Impl:         c.impl,
		Config:       p.config(c.impl, c.concurrency),
		Spec:         p.spec(c),
		Workload:     p.workloadName(c),
		FamilyParams: p.flags.familyParams(p.fs, c.impl),
		Command:      p.command,
		Floor:        floor,
		Repetition:   repetition,
		Hooks:        workloads.Hooks{OnInterval: onInterval},
		GC:           c.gc,
	}
	window, err := p.gather(ctx, c, rep, &job)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil // interrupted while waiting for the fleet: nothing ran
		}
		return nil, err
	}
	// The live metrics' series of this run, fed by the same interval points
	// as the result's series and -stream.
	live := p.liveRun(c, rep)
	job.Hooks.OnInterval = chainIntervals(job.Hooks.OnInterval, p.live.Start(live))
	defer p.live.End(live)
	var hlog *hlogFile
	if p.flags.out != "" {
		path := filepath.Join(p.flags.out, p.cellLabel(c, rep)+".hlog")
		var err error
		if hlog, err = newHlogFile(path); err != nil {
			// The run goes on without its .hlog: the result matters more.
			p.keepWriteError(fmt.Errorf("writing %s: %v", path, unwrapPathError(err)))
			hlog = nil
		} else {
			job.Hooks.OnSample = hlog.sample
		}
	}
	runCtx, watch := p.watchThresholds(ctx, &job)
	res, err := workloads.Execute(runCtx, job)
	if reason := watch.finish(res); reason != "" {
		p.aborted = reason
	}
	if res == nil {
		if hlog != nil {
			hlog.abandon()
		}
		if _, ok := errors.AsType[*workloads.ConfigError](err); ok {
			// checkTargets built this implementation with this configuration
			// before any run: refused now, it is the environment that
			// changed (a Redis server gone), a failed run (exit 1).
			return nil, fmt.Errorf("%s could not start: %w", p.cellLabel(c, rep), err)
		}
		return nil, err
	}
	if window != nil {
		window.Stamp(res)
	}
	p.stampFork(res)
	p.judge(res)
	if p.flags.out != "" {
		// Each file is tried whatever happened to the one before: on a full
		// disk the small result file may fit where the .hlog did not.
		p.keepWriteError(result.WriteFile(filepath.Join(p.flags.out, p.fileName(c, rep)), res))
		if hlog != nil {
			p.keepWriteError(hlog.commit(res.Timing, res.Counts.Completed))
		}
		p.keepWriteError(writeHgrmFiles(p.flags.out, p.cellLabel(c, rep), res))
	}
	return res, err
}

// cellLabel names a cell for status and file names: the impl plus every swept
// dimension.
func (p *plan) cellLabel(c cell, rep int) string {
	parts := []string{c.impl.Name}
	if p.swept["concurrency"] {
		parts = append(parts, fmt.Sprintf("c%d", c.concurrency))
	}
	if p.swept["rps"] {
		parts = append(parts, "rps"+strconv.FormatFloat(c.rate, 'f', -1, 64))
	}
	if p.swept["cpu"] {
		parts = append(parts, fmt.Sprintf("cpu%d", c.cpu))
	}
	if p.swept["gogc"] {
		parts = append(parts, "gogc"+c.gc.PercentText())
	}
	if p.swept["memlimit"] {
		parts = append(parts, "memlimit"+c.gc.MemoryLimitText())
	}
	if p.swept["phase"] {
		parts = append(parts, "phase-"+fileSafe(p.scenario.Phases[c.phase].Name))
	}
	if p.swept["count"] {
		parts = append(parts, fmt.Sprintf("r%d", rep))
	}
	return strings.Join(parts, "-") + p.forkSuffix()
}

// workloadName is the name stored in a cell's result: the built-in workload,
// or the scenario file's base name with the phase.
func (p *plan) workloadName(c cell) string {
	if c.phase < 0 {
		return p.shape.workload
	}
	name := filepath.Base(p.scenario.Name)
	if len(p.scenario.Phases) > 1 {
		name += "#" + p.scenario.Phases[c.phase].Name
	}
	return name
}

// fileSafe replaces characters that do not belong in a file name.
func fileSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == ' ' || r == '\\' || r == ':' {
			return '_'
		}
		return r
	}, s)
}

// fileName is the result file of one cell's repetition: <impl>.json for a single
// run, with swept dimensions appended otherwise.
func (p *plan) fileName(c cell, rep int) string {
	return p.cellLabel(c, rep) + ".json"
}

// writeOutputs writes summary.md, report.md and report.html beside the per-run results;
// a fork leaves them to its parent, which has every fork's results.
func (p *plan) writeOutputs(results []*result.Result) error {
	if p.flags.out == "" || len(results) == 0 || p.role.Of > 1 {
		return nil
	}
	var md strings.Builder
	if err := writeMarkdownSummary(&md, results, p.percentiles); err != nil {
		return err
	}
	writeVerdicts(&md, "md", results)
	// Both are tried: a full disk may take the report after refusing the summary.
	sumErr := result.WriteFileAtomic(filepath.Join(p.flags.out, "summary.md"), []byte(md.String()))
	repErr := reports.WriteReport(p.flags.out, results, reports.ReportOptions{Command: p.command, Percentiles: p.percentiles})
	if sumErr != nil {
		return sumErr
	}
	return repErr
}

// printSummary writes the results to stdout in the chosen format; the tables
// show percentiles (nil for the default).
func printSummary(w io.Writer, format string, results []*result.Result, percentiles []float64) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(results)
	case "md":
		return writeMarkdownSummary(w, results, percentiles)
	default:
		if err := writeTextSummary(w, results, percentiles); err != nil {
			return err
		}
		writeTextThresholds(w, results)
		return nil
	}
}
