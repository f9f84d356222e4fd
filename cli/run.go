package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/metrics"
	"github.com/syncbench/syncbench/reports"
	"github.com/syncbench/syncbench/workloads"
)

// floorDuration is how long the harness floor is measured before the runs.
const floorDuration = 200 * time.Millisecond

// cell is one point of the run matrix.
type cell struct {
	impl        impls.Impl
	rate        float64
	concurrency int
	cpu         int // GOMAXPROCS; 0 = leave as is
	// phase is the scenario phase this cell runs, or -1 without a scenario.
	phase int
}

// plan is a validated run command: everything needed to run without further
// checks, so bad input is caught before any load is applied or file written.
type plan struct {
	flags   runFlags
	fs      *pflag.FlagSet
	cells   []cell
	weights []int64
	shape   *loadShape
	// findMaxCond is the -find-max condition, when a search was asked for.
	findMaxCond *metrics.Threshold
	// mix is the parsed -mix (or a workload's mix); the zero Mix leaves the
	// mix to -read-ratio.
	mix workloads.Mix
	// scenario is the -workload file, when one was given.
	scenario *workloads.Scenario
	// percentiles are the parsed -percentiles, for every table.
	percentiles []float64
	// progress prints each run's row as it finishes when no terminal shows the
	// status line; stream writes -stream's interval lines. Both may be nil.
	progress *progress
	stream   *stream
	command  string
	// swept lists the matrix dimensions with more than one value, for file names.
	swept map[string]bool
}

// runLoad is the run command: parse, validate, run every cell, write and print.
func runLoad(ctx context.Context, args []string, std stdio) int {
	p, code := parsePlan(args, std)
	if p == nil {
		return code
	}
	if p.flags.procs > 1 {
		return runProcs(ctx, p, std)
	}
	summaryOut := std.stdout
	if p.flags.stream != "" {
		s, err := openStream(p.flags.stream, std.stdout)
		if err != nil {
			return badInput(std.stderr, "%v", err)
		}
		p.stream = s
		if p.flags.stream == "-" {
			summaryOut = std.stderr // stdout carries nothing but the JSON lines
		}
	}
	p.progress = newProgress(progressWriter(p, summaryOut, std), len(p.cells)*p.flags.count, newSummaryOptions(nil, p.percentiles))
	floor, err := workloads.MeasureFloor(ctx, floorDuration)
	if err != nil {
		fmt.Fprintf(std.stderr, "loadgen: measuring the harness floor: %v\n", err)
		return ExitRunFailed
	}
	p.progress.floor(floor)
	p.flags.profiles.place(p.flags.out)
	prof, err := startProfiles(p.flags.profiles)
	if err != nil {
		return badInput(std.stderr, "%v", err)
	}
	var results []*metrics.Result
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
	if err := p.stream.close(); err != nil && runErr == nil {
		runErr = fmt.Errorf("-stream: %v", err)
	}
	if err := p.writeOutputs(results); err != nil {
		fmt.Fprintf(std.stderr, "loadgen: writing results: %v\n", err)
		return ExitRunFailed
	}
	if err := printSummary(summaryOut, p.flags.format, results, p.percentiles); err != nil {
		fmt.Fprintf(std.stderr, "loadgen: %v\n", err)
		return ExitRunFailed
	}
	if p.flags.format == "text" {
		writeMaxRateSearches(summaryOut, searches)
	}
	var cfgErr *workloads.ConfigError
	switch {
	case errors.As(runErr, &cfgErr):
		return badInput(std.stderr, "%v", runErr)
	case runErr != nil:
		fmt.Fprintf(std.stderr, "loadgen: %v\n", runErr)
		return ExitRunFailed
	case ctx.Err() != nil:
		fmt.Fprintln(std.stderr, "loadgen: interrupted; partial results are marked \"interrupted\"")
		return ExitInterrupted
	case !checkThresholds(p.shape.thresholds, results, std):
		return ExitCheckFailed
	}
	return ExitOK
}

// parsePlan parses and validates the run command's flags. On bad input it prints
// one line and returns a nil plan with the exit code.
func parsePlan(args []string, std stdio) (*plan, int) {
	p := &plan{command: "loadgen " + strings.Join(args, " "), swept: map[string]bool{}}
	f := &p.flags
	p.fs = newRunFlagSet(f)
	if err := parseFlags(p.fs, args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			printRunUsage(std.stdout, p.fs)
			return nil, ExitOK
		}
		return nil, badInput(std.stderr, "%v (see `loadgen help`)", err)
	}
	if p.fs.NArg() > 0 {
		return nil, badInput(std.stderr, "unexpected argument %q (flags only; verbs: %s)", p.fs.Arg(0), joinNames(subcommandNames()))
	}
	var err error
	if p.percentiles, err = reports.ParsePercentiles(f.percentiles); err != nil {
		return nil, badInput(std.stderr, "-percentiles: %v", err)
	}
	fail := func(format string, a ...any) (*plan, int) { return nil, badInput(std.stderr, format, a...) }

	if isScenarioFile(f.shape.workload) {
		sc, err := applyScenario(p.fs, f, f.shape.workload)
		if err != nil {
			return fail("%v", err)
		}
		p.scenario = sc
	}
	chosen, err := impls.Resolve(f.impl)
	if err != nil {
		return fail("-impl: %v", err)
	}
	if err := checkFamilyFlags(p.fs, chosen); err != nil {
		return fail("%v", err)
	}
	if p.shape, err = resolveShape(p.fs, f, &f.shape); err != nil {
		return fail("%v", err)
	}
	if p.fs.Changed("mix") && p.fs.Changed("read-ratio") {
		return fail("-mix and -read-ratio are both given (allowed: one of them; -read-ratio R is -mix load=R,store=1-R)")
	}
	if f.mix != "" {
		if p.mix, err = workloads.ParseMix(f.mix); err != nil {
			return fail("-%v", err)
		}
	}
	rates, err := parseFloatList("rps", f.rps, func(v float64) bool { return v >= 0 }, "0 for a closed loop, or a rate > 0 in ops/s")
	if err != nil {
		return fail("%v", err)
	}
	if p.fs.Changed("rps") {
		for _, r := range rates {
			if r == 0 && len(rates) > 1 {
				return fail("-rps %q mixes a closed loop (0) into a rate sweep (allowed: rates > 0)", f.rps)
			}
		}
	}
	concs, err := parseIntList("concurrency", f.concurrency)
	if err != nil {
		return fail("%v", err)
	}
	cpus := []int{0}
	if f.cpu != "" {
		if cpus, err = parseIntList("cpu", f.cpu); err != nil {
			return fail("%v", err)
		}
	}
	if p.weights, err = parseWeights(f.weights); err != nil {
		return fail("%v", err)
	}
	switch {
	case f.procs < 1:
		return fail("-procs %d is not positive (allowed: 1 or more)", f.procs)
	case f.count < 1:
		return fail("-count %d is not positive (allowed: 1 or more)", f.count)
	case f.duration <= 0:
		return fail("-duration %v is not positive (allowed: > 0, e.g. 10s)", f.duration)
	case f.warmup < 0:
		return fail("-warmup %v is negative (allowed: 0 or more)", f.warmup)
	case f.interval <= 0:
		return fail("-interval %v is not positive (allowed: > 0, e.g. 1s)", f.interval)
	case !(f.readRatio >= 0 && f.readRatio <= 1):
		return fail("-read-ratio %v is outside [0,1]", f.readRatio)
	case !(f.sharedRatio >= 0 && f.sharedRatio <= 1):
		return fail("-shared-ratio %v is outside [0,1]", f.sharedRatio)
	case f.work < 0 || f.think < 0 || f.hold < 0 || f.timeout < 0:
		return fail("-work, -think, -hold and -timeout must not be negative")
	case f.format != "text" && f.format != "json" && f.format != "md":
		return fail("-format %q is not known (allowed: text, json, md)", f.format)
	case f.capacity < 1:
		return fail("-capacity %d is not positive (allowed: 1 or more)", f.capacity)
	case !(f.limit > 0) || f.limit > 1e12:
		return fail("-limit %v is not a positive rate (allowed: > 0 events/s)", f.limit)
	case f.burst < 1:
		return fail("-burst %d is not positive (allowed: 1 or more)", f.burst)
	case f.window <= 0:
		return fail("-window %v is not positive (allowed: > 0, e.g. 1s)", f.window)
	case f.keys < 0:
		return fail("-keys %d is negative (allowed: 0 or more)", f.keys)
	case f.keyTTL < 0:
		return fail("-key-ttl %v is negative (allowed: 0 or more)", f.keyTTL)
	}
	if _, err := workloads.ParsePacer(f.pacer); err != nil {
		return fail("-%v", err)
	}
	if f.mode != "" {
		if err := checkMode(f.mode, chosen); err != nil {
			return fail("%v", err)
		}
	}
	if f.findMax != "" {
		cond, err := metrics.ParseThreshold(f.findMax)
		if err != nil {
			return fail("-find-max: %v", err)
		}
		if p.scenario != nil || len(rates) > 1 || f.count > 1 {
			return fail("-find-max searches the rate itself: it does not combine with a scenario file, an -rps list or -count")
		}
		p.findMaxCond = &cond
		p.swept["rps"] = true
	}
	if f.out != "" {
		if err := checkWritableDir(f.out); err != nil {
			return fail("-out %q is not a writable directory: %v", f.out, err)
		}
	}

	p.swept["rps"] = len(rates) > 1
	p.swept["concurrency"] = len(concs) > 1
	p.swept["cpu"] = len(cpus) > 1
	p.swept["count"] = f.count > 1
	if p.scenario != nil {
		// The file's phases replace the rate sweep: each phase is a cell.
		p.swept["rps"] = false
		p.swept["phase"] = len(p.scenario.Phases) > 1
		p.shape.thresholds = append(p.shape.thresholds, p.scenario.Thresholds...)
		rates = []float64{0}
	}
	for _, impl := range chosen {
		for _, cpu := range cpus {
			for _, c := range concs {
				for _, r := range rates {
					if p.scenario == nil {
						p.cells = append(p.cells, cell{impl: impl, rate: r, concurrency: c, cpu: cpu, phase: -1})
						continue
					}
					for i, ph := range p.scenario.Phases {
						conc := c
						if ph.Concurrency > 0 {
							conc = ph.Concurrency
						}
						p.cells = append(p.cells, cell{impl: impl, rate: ph.Rate, concurrency: conc, cpu: cpu, phase: i})
					}
				}
			}
		}
	}
	// Construct every implementation once before any load, so a configuration an
	// implementation refuses is bad input reported up front, not after other runs
	// have written their results.
	for _, impl := range chosen {
		target, err := impl.New(p.config(impl, concs[0]))
		if err != nil {
			return fail("%s: %v", impl.Name, err)
		}
		target.Close()
	}
	return p, ExitOK
}

// checkMode validates -mode against the chosen families.
func checkMode(mode string, chosen []impls.Impl) error {
	allowed := map[string][]string{
		impls.FamilySemaphores: {"acquire", "try"},
		impls.FamilyLimiters:   {"allow", "wait"},
		impls.FamilyRedis:      {"allow", "wait"},
	}
	for _, impl := range chosen {
		modes, ok := allowed[impl.Family]
		if !ok {
			continue
		}
		valid := false
		for _, m := range modes {
			valid = valid || m == mode
		}
		if !valid {
			return fmt.Errorf("-mode %q does not apply to %s (allowed for %s: %s)", mode, impl.Name, impl.Family, strings.Join(modes, ", "))
		}
	}
	return nil
}

// parseWeights parses the -weights list.
func parseWeights(s string) ([]int64, error) {
	var out []int64
	for _, part := range strings.Split(s, ",") {
		w, err := strconv.ParseInt(strings.TrimSpace(part), 10, 64)
		if err != nil || w < 1 {
			return nil, fmt.Errorf("-weights %q is not valid (allowed: positive integers, comma separated, e.g. 1,1,8)", s)
		}
		out = append(out, w)
	}
	return out, nil
}

// checkWritableDir creates dir if needed and proves a file can be created in it.
func checkWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return unwrapPathError(err)
	}
	probe, err := os.CreateTemp(dir, ".loadgen-probe-*")
	if err != nil {
		return unwrapPathError(err)
	}
	probe.Close()
	return os.Remove(probe.Name())
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// config builds the implementation config from the flags.
func (p *plan) config(impl impls.Impl, concurrency int) impls.Config {
	f := &p.flags
	return impls.Config{
		Workers:     concurrency,
		Keys:        f.keys,
		Seed:        f.seed,
		Capacity:    f.capacity,
		Timeout:     f.timeout,
		Mode:        f.mode,
		Limit:       f.limit,
		Burst:       f.burst,
		Window:      f.window,
		KeyTTL:      f.keyTTL,
		LockFile:    f.lockfile,
		SharedRatio: f.sharedRatio,
		RedisAddr:   f.redis,
	}
}

// spec builds the workload spec of one cell.
func (p *plan) spec(c cell) workloads.Spec {
	f := &p.flags
	spec := workloads.DefaultSpec()
	spec.Rate = c.rate
	spec.Concurrency = c.concurrency
	spec.Duration, spec.Warmup, spec.Interval = f.duration, f.warmup, f.interval
	spec.ReadRatio = f.readRatio
	if c.impl.Family == impls.FamilyFileLocks && p.fs.Changed("shared-ratio") {
		spec.ReadRatio = f.sharedRatio
	}
	spec.Mix = p.mix
	spec.Work, spec.Think, spec.Hold = f.work, f.think, f.hold
	spec.Weights = p.weights
	spec.Keys = f.keys
	spec.Seed = f.seed
	spec.Pacer = f.pacer
	p.shape.apply(&spec, f.seed)
	if c.phase >= 0 {
		phaseSpec(&spec, p.scenario.Phases[c.phase], c.phase, f.seed)
	}
	return spec
}

// execute runs every cell count times, interleaved (all cells of repetition 1,
// then all of repetition 2, ...) so slow drift of the machine affects every cell
// alike. It stops at the first interrupt or failure and returns what ran.
func (p *plan) execute(ctx context.Context, floor metrics.Floor, std stdio) ([]*metrics.Result, error) {
	var results []*metrics.Result
	status := newStatusLine(std.stderr, !p.flags.quiet && isTerminal(std.stderr))
	defaultProcs := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(defaultProcs)
	total := len(p.cells) * p.flags.count
	for rep := 1; rep <= p.flags.count; rep++ {
		for i, c := range p.cells {
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
		}
	}
	return results, nil
}

// runCell runs one repetition of one cell and writes its result (and .hlog)
// into -out. A result is returned whenever the run produced one, with the run's
// error (a violated invariant) beside it.
func (p *plan) runCell(ctx context.Context, c cell, rep int, floor metrics.Floor, onInterval func(metrics.Interval)) (*metrics.Result, error) {
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
	}
	var hlog *hlogFile
	if p.flags.out != "" {
		var err error
		if hlog, err = newHlogFile(filepath.Join(p.flags.out, p.cellLabel(c, rep)+".hlog")); err != nil {
			return nil, err
		}
		job.Hooks.OnSample = hlog.sample
	}
	res, err := workloads.Execute(ctx, job)
	if res == nil {
		if hlog != nil {
			hlog.abandon()
		}
		return nil, err
	}
	if p.flags.out != "" {
		if werr := metrics.WriteFile(filepath.Join(p.flags.out, p.fileName(c, rep)), res); werr != nil {
			hlog.abandon()
			return res, werr
		}
		if werr := hlog.commit(); werr != nil {
			return res, werr
		}
		if werr := writeHgrmFiles(p.flags.out, p.cellLabel(c, rep), res); werr != nil {
			return res, werr
		}
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
	if p.swept["phase"] {
		parts = append(parts, "phase-"+fileSafe(p.scenario.Phases[c.phase].Name))
	}
	if p.swept["count"] {
		parts = append(parts, fmt.Sprintf("r%d", rep))
	}
	return strings.Join(parts, "-")
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

// writeOutputs writes summary.md beside the per-run results.
func (p *plan) writeOutputs(results []*metrics.Result) error {
	if p.flags.out == "" || len(results) == 0 {
		return nil
	}
	var md strings.Builder
	if err := writeMarkdownSummary(&md, results, p.percentiles); err != nil {
		return err
	}
	if err := metrics.WriteFileAtomic(filepath.Join(p.flags.out, "summary.md"), []byte(md.String())); err != nil {
		return err
	}
	return reports.WriteReport(p.flags.out, results, reports.ReportOptions{Command: p.command, Percentiles: p.percentiles})
}

// printSummary writes the results to stdout in the chosen format; the tables
// show percentiles (nil for the default).
func printSummary(w io.Writer, format string, results []*metrics.Result, percentiles []float64) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(results)
	case "md":
		return writeMarkdownSummary(w, results, percentiles)
	default:
		return writeTextSummary(w, results, percentiles)
	}
}
