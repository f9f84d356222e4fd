package cli

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/cleanup"
	"github.com/syncbench/syncbench/internal/fleet"
	"github.com/syncbench/syncbench/internal/forks"
	"github.com/syncbench/syncbench/internal/livemetrics"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/internal/reports"
	"github.com/syncbench/syncbench/internal/workloads"
	"github.com/syncbench/syncbench/result"
)

// cell is one point of the run matrix.
type cell struct {
	impl        impls.Impl
	rate        float64
	concurrency int
	cpu         int // GOMAXPROCS; 0 = leave as is
	gc          workloads.GC
	// phase is the scenario phase this cell runs, or -1 without a scenario.
	phase int
}

// plan is a validated run command: everything needed to run without further
// checks, so bad input is caught before any load is applied or file written.
type plan struct {
	flags runFlags
	fs    *pflag.FlagSet
	// chosen are the -impl implementations, in order.
	chosen []impls.Impl
	// rates, concs and cpus are the parsed -rps, -concurrency and -cpu lists.
	rates       []float64
	concs, cpus []int
	// gcs are the -gogc × -memlimit settings the cells sweep.
	gcs []workloads.GC
	// size is the parsed -size (Config.Size).
	size    int
	cells   []cell
	weights []int64
	shape   *loadShape
	// findMaxCond is the -find-max condition, when a search was asked for.
	findMaxCond *metrics.Threshold
	// mix is the parsed -mix (or a workload's mix); the zero Mix leaves the
	// mix to -read-ratio.
	mix workloads.Mix
	// sample is the parsed -sample (Spec.Sample).
	sample float64
	// scenario is the -workload file, when one was given.
	scenario *workloads.Scenario
	// fromFile maps each flag whose value came from the scenario file to the
	// file's key for it ("limit" → "params.limit"), so an error about that
	// value points into the file (plan.blame).
	fromFile map[string]string
	// percentiles are the parsed -percentiles, for every table.
	percentiles []float64
	// progress prints each run's row as it finishes when no terminal shows the
	// status line; stream writes -stream's interval lines. Both may be nil.
	progress *progress
	stream   *stream
	// live serves -metrics-addr's metrics, nil without it.
	live    *livemetrics.Server
	command string
	// member is this process's fleet member (-fleet), nil otherwise.
	member *fleet.Member
	// swept lists the matrix dimensions with more than one value, for file names.
	swept map[string]bool
	// writeErr is the first error writing an output file (see keepWriteError).
	writeErr error
	// createdOut is set when planning created the -out directory (undoOut).
	createdOut bool
	// backend is the scheduled backend's spec from the -backend flags
	// (impls.Config.Backend); "" leaves each family its default.
	backend string
	// forks is the number of processes this command runs the cells in, one
	// after another (1: in this one); role is this process's place among a
	// parent's forks (forks.Single when it has no parent). See resolveForks.
	forks int
	role  forks.Role
	// totalDuration is -duration as given, when forks split it (each fork's
	// share is flags.duration).
	totalDuration time.Duration
	// machine is the machine's mode this process measured at its start.
	machine *result.MachineMode
	// aborted is why -threshold-abort stopped the plan, "" while it runs on.
	aborted string
}

// parsePlan turns the run command's arguments into a plan in four steps: parse
// the flags (parseFlags), build the run matrix (buildCells), check every rule
// (validate), and construct each implementation once (checkTargets). On bad input
// it prints one line and returns a nil plan with the exit code; -h prints the
// usage and returns ExitOK.
func parsePlan(args []string, std stdio) (*plan, int) {
	p, err := parseFlags(args)
	if errors.Is(err, pflag.ErrHelp) {
		printRunUsage(std.stdout, p.fs)
		return nil, ExitOK
	}
	if err != nil {
		return nil, badInput(std.stderr, "%v", p.blame(err))
	}
	p.buildCells()
	if errs := p.validate(); len(errs) > 0 {
		return nil, badInput(std.stderr, "%v", p.blame(errs[0]))
	}
	if err := p.checkTargets(); err != nil {
		return nil, badInput(std.stderr, "%v", err)
	}
	// The only checks that touch the file system come last, so that bad input
	// found anywhere else leaves nothing behind.
	if err := p.checkFiles(); err != nil {
		return nil, badInput(std.stderr, "%v", err)
	}
	return p, ExitOK
}

// parseFlags parses the flags, applies a scenario file or a named workload under
// them, and parses the values that are lists or names (-impl, -rps,
// -concurrency, -cpu, -weights, -find-max). It checks syntax only; validate checks
// the values. The plan is returned with its flag set also with an error.
func parseFlags(args []string) (*plan, error) {
	p := &plan{command: "loadgen " + strings.Join(redactArgs(args), " "), swept: map[string]bool{}}
	f := &p.flags
	p.fs = newRunFlagSet(f)
	if err := parseFlagSet(p.fs, args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return p, err
		}
		return p, fmt.Errorf("%v (see `loadgen help`)", err)
	}
	if p.fs.NArg() > 0 {
		return p, fmt.Errorf("unexpected argument %q (flags only; verbs: %s)", p.fs.Arg(0), strings.Join(subcommandNames(), ", "))
	}
	var err error
	if p.percentiles, err = reports.ParsePercentiles(f.percentiles); err != nil {
		return p, fmt.Errorf("-percentiles: %v", err)
	}
	if isScenarioFile(f.shape.workload) {
		if p.scenario, p.fromFile, err = applyScenario(p.fs, f, f.shape.workload); err != nil {
			return p, err
		}
	}
	if p.backend, err = f.backend.spec(p.fs); err != nil {
		return p, err
	}
	if p.chosen, err = impls.Resolve(f.impl); err != nil {
		return p, p.blame(fmt.Errorf("-impl: %v", err))
	}
	if err := checkFamilyFlags(p.fs, p.chosen); err != nil {
		return p, err
	}
	if err := p.checkFileParams(); err != nil {
		return p, err
	}
	if p.shape, err = resolveShape(p.fs, f, &f.shape); err != nil {
		return p, err
	}
	if p.sample, err = workloads.ParseSample(f.sample); err != nil {
		return p, fmt.Errorf("-%v", err)
	}
	if f.mix != "" {
		if p.mix, err = workloads.ParseMix(f.mix); err != nil {
			return p, fmt.Errorf("-%v", err)
		}
	}
	if p.rates, err = parseFloatList("rps", f.rps, func(v float64) bool { return v >= 0 }, "0 for a closed loop, or a rate > 0 in ops/s"); err != nil {
		return p, err
	}
	concFlag := "concurrency"
	if p.fs.Changed("producers") {
		// A queue's workers are its producers: one setting, two names.
		if p.fs.Changed("concurrency") {
			return p, fmt.Errorf("-producers %s and -concurrency %s are one setting (a queue's workers are its producers): give one of them", f.producers, f.concurrency)
		}
		concFlag, f.concurrency = "producers", f.producers
	}
	if p.concs, err = parseIntList(concFlag, f.concurrency); err != nil {
		return p, err
	}
	p.cpus = []int{0}
	if f.cpu != "" {
		if p.cpus, err = parseIntList("cpu", f.cpu); err != nil {
			return p, err
		}
	}
	if p.weights, err = parseWeights(f.weights); err != nil {
		return p, err
	}
	if err := p.parseGCAndSize(); err != nil {
		return p, err
	}
	if f.findMax != "" {
		cond, err := metrics.ParseThreshold(f.findMax)
		if err != nil {
			return p, fmt.Errorf("-find-max: %v", err)
		}
		p.findMaxCond = &cond
	}
	if p.scenario != nil {
		p.shape.thresholds = append(p.shape.thresholds, p.scenario.Thresholds...)
	}
	if err := p.resolveForks(); err != nil {
		return p, err
	}
	return p, nil
}

// buildCells lays out the run matrix: implementations × GOMAXPROCS values ×
// GC settings × concurrencies × rates, or × the scenario's phases, which replace the rate
// sweep. It records which dimensions are swept, for labels and file names.
func (p *plan) buildCells() {
	rates := p.rates
	p.swept["rps"] = len(rates) > 1 || p.findMaxCond != nil
	p.swept["concurrency"] = len(p.concs) > 1
	p.swept["cpu"] = len(p.cpus) > 1
	p.swept["count"] = p.flags.count > 1
	p.swept["gogc"] = p.fs.Changed("gogc") && len(strings.Split(p.flags.gogc, ",")) > 1
	p.swept["memlimit"] = p.fs.Changed("memlimit") && len(strings.Split(p.flags.memlimit, ",")) > 1
	if p.scenario != nil {
		p.swept["rps"] = false
		p.swept["phase"] = len(p.scenario.Phases) > 1
		rates = []float64{0}
	}
	gcs := p.gcs
	if len(gcs) == 0 {
		gcs = []workloads.GC{{}}
	}
	for _, impl := range p.chosen {
		for _, cpu := range p.cpus {
			for _, gc := range gcs {
				for _, c := range p.concs {
					for _, r := range rates {
						if p.scenario == nil {
							p.cells = append(p.cells, cell{impl: impl, rate: r, concurrency: c, cpu: cpu, gc: gc, phase: -1})
							continue
						}
						for i, ph := range p.scenario.Phases {
							conc := c
							if ph.Concurrency > 0 {
								conc = ph.Concurrency
							}
							p.cells = append(p.cells, cell{impl: impl, rate: ph.Rate, concurrency: conc, cpu: cpu, gc: gc, phase: i})
						}
					}
				}
			}
		}
	}
}

// checkTargets constructs every implementation once before any load, so a
// configuration an implementation refuses is bad input reported up front, not
// after other runs have written their results.
//
// Every configuration a cell will build is built here (each implementation at
// each concurrency), so a constructor that fails during the runs has met a
// changed environment, not bad input (runCell).
func (p *plan) checkTargets() error {
	type built struct {
		impl        string
		concurrency int
	}
	seen := map[built]bool{}
	for _, c := range p.cells {
		key := built{c.impl.Name, c.concurrency}
		if seen[key] {
			continue
		}
		seen[key] = true
		target, err := c.impl.New(p.config(c.impl, c.concurrency))
		if err != nil {
			return implError(c.impl.Name, err)
		}
		target.Close()
	}
	return nil
}

// implError names the implementation in a constructor's error once: most
// constructors already start their errors with their name.
func implError(name string, err error) error {
	if strings.HasPrefix(err.Error(), name+": ") {
		return err
	}
	return fmt.Errorf("%s: %w", name, err)
}

// parseGCAndSize parses -gogc, -memlimit (the GC settings the cells sweep)
// and -size.
func (p *plan) parseGCAndSize() error {
	f := &p.flags
	var percents []*int
	var limits []int64
	var err error
	if p.fs.Changed("gogc") {
		if percents, err = parseGOGCList(f.gogc); err != nil {
			return err
		}
	}
	if p.fs.Changed("memlimit") {
		if limits, err = parseMemoryLimitList(f.memlimit); err != nil {
			return err
		}
	}
	if len(percents)+len(limits) > 0 {
		p.gcs = gcCells(percents, limits)
	}
	n, err := parseSize(f.size)
	if err != nil || n < 1 || n > math.MaxInt32 {
		return fmt.Errorf("-size %q is not valid (allowed: bytes, or a whole number of KiB or MiB, e.g. 256, 4KiB, 1MiB)", f.size)
	}
	p.size = int(n)
	return nil
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
	for part := range strings.SplitSeq(s, ",") {
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
	if err := cleanup.MkdirAll(dir, 0o755); err != nil {
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
	if pe, ok := errors.AsType[*os.PathError](err); ok {
		return pe.Err
	}
	return err
}

// config builds the implementation config from the flags.
func (p *plan) config(impl impls.Impl, concurrency int) impls.Config {
	f := &p.flags
	capacity := f.capacity
	if impl.Family == impls.FamilyQueues && !p.fs.Changed("capacity") {
		capacity = 0 // the queue's own default, not the semaphores' the flag shows
	}
	return impls.Config{
		Workers:     concurrency,
		Keys:        keysFor(impl, f.keys),
		Seed:        f.seed,
		Capacity:    capacity,
		Timeout:     f.timeout,
		Mode:        impls.Mode(f.mode),
		Limit:       f.limit,
		Burst:       f.burst,
		Window:      f.window,
		KeyTTL:      f.keyTTL,
		LockFile:    f.lockfile,
		SharedRatio: f.sharedRatio,
		RedisAddr:   f.redis,
		Backend:     p.backend,
		Consumers:   f.consumers,
		Size:        p.size,
		CancelRatio: f.cancelRatio,
	}
}

// keysFor is the key count a cell of impl runs with: -keys (or the workload's)
// when set, else the implementation's default (the maps' 1000 filled keys).
func keysFor(impl impls.Impl, keys int) int {
	if keys == 0 {
		return impl.DefaultKeys
	}
	return keys
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
	spec.Keys = keysFor(c.impl, f.keys)
	spec.Seed = f.seed
	spec.Pacer = f.pacer
	spec.PacerBatch = f.pacerBatch
	if spec.MaxLag = f.maxLag; spec.MaxLag > 0 {
		spec.Pacer = "" // ChoosePacer's (validate refuses -pacer with it)
	}
	spec.Sample = p.sample
	p.shape.apply(&spec, f.seed)
	if c.phase >= 0 {
		phaseSpec(&spec, p.scenario.Phases[c.phase], c.phase, f.seed)
	}
	return spec
}
