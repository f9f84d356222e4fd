package cli

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/internal/workloads"
)

// shapeFlags are the flags that choose and shape the load beyond the basics:
// named workloads, open-loop arrival schedules, key skew and thresholds.
type shapeFlags struct {
	workload   string
	arrival    string
	shape      workloads.ArrivalParams
	zipf       float64
	thresholds []string
	// abort, abortDelay and junit are -threshold-abort, -threshold-abort-delay
	// and -junit (cli/thresholds.go).
	abort      bool
	abortDelay time.Duration
	junit      string
}

func (s *shapeFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&s.workload, "workload", "", "a built-in workload (see loadgen list) or a scenario file (.yaml)")
	fs.StringVar(&s.arrival, "arrival", "", "open-loop arrival schedule: "+strings.Join(workloads.ArrivalNames(), ", ")+" (see loadgen help arrivals)")
	fs.Float64Var(&s.shape.RampFrom, "ramp-from", 0, "ramp: starting rate in ops/s")
	fs.Float64Var(&s.shape.RampTo, "ramp-to", 0, "ramp: final rate in ops/s (default -rps)")
	fs.DurationVar(&s.shape.RampOver, "ramp-over", 0, "ramp: how long the ramp takes (default the run)")
	fs.StringVar(&s.shape.Stages, "stages", "", "step: stages of rate x duration, e.g. 1000x5s,2000x5s")
	fs.Float64Var(&s.shape.Amplitude, "amplitude", 0, "sine: swing around -rps in ops/s (default half of it)")
	fs.DurationVar(&s.shape.Period, "period", 0, "sine: period (default the run)")
	fs.DurationVar(&s.shape.BurstOn, "burst-on", 0, "burst: length of each burst at -rps")
	fs.DurationVar(&s.shape.BurstOff, "burst-off", 0, "burst: pause between bursts")
	fs.StringVar(&s.shape.ReplayFile, "replay", "", "replay: file of arrival offsets, one per line")
	fs.Float64Var(&s.zipf, "zipf", 0, "key skew: 0 uniform, > 1 Zipf exponent (with -keys)")
	fs.StringArrayVar(&s.thresholds, "threshold", nil, "pass/fail condition checked on every result, repeatable, ours or k6's (e.g. 'p99<2ms', 'p(95)<500ms', 'errors:rate<0.01', 'p99{kind:write}<1ms'; loadgen help thresholds); exit 3 when one fails")
	s.registerThresholdFlags(fs)
}

// shapeFlagNames are the flags that only mean something for a shaped open loop.
var shapeFlagNames = []string{"ramp-from", "ramp-to", "ramp-over", "stages", "amplitude", "period", "burst-on", "burst-off", "replay"}

// loadShape is the resolved shape of a run: the workload's settings merged under
// the explicit flags, the arrival schedule, and the thresholds.
type loadShape struct {
	workload   string // name stored in results
	arrival    string // "" for a closed loop
	params     workloads.ArrivalParams
	zipf       float64
	thresholds []metrics.Threshold
	abort      bool
	abortDelay time.Duration
	junit      string
}

// resolveShape applies -workload (explicit flags win), checks the arrival
// schedule by building it once, and parses the thresholds. It updates f for the
// settings a named workload provides.
func resolveShape(fs *pflag.FlagSet, f *runFlags, s *shapeFlags) (*loadShape, error) {
	arrival, params := s.arrival, s.shape
	if s.workload != "" && !isScenarioFile(s.workload) {
		wl, ok := workloads.LookupWorkload(s.workload)
		if !ok {
			msg := fmt.Sprintf("-workload %q is not a built-in workload or a .yaml scenario file", s.workload)
			if close := workloads.SuggestWorkload(s.workload); close != "" {
				msg += "; did you mean " + close + "?"
			}
			return nil, fmt.Errorf("%s (see `loadgen list`)", msg)
		}
		presets{readRatio: wl.ReadRatio, mix: wl.Mix, keys: wl.Keys, zipf: wl.Zipf, work: wl.Work, hold: wl.Hold, think: wl.Think}.applyTo(fs, f)
		if wl.Arrival != "" && !fs.Changed("arrival") {
			arrival = wl.Arrival
			if wl.Rate != nil && !fs.Changed("rps") {
				f.rps = fmt.Sprint(*wl.Rate)
			}
		}
		params = wl.ApplyArrival(params, fs.Changed)
	}
	ls := &loadShape{workload: s.workload, arrival: arrival, params: params, zipf: s.zipf}
	for _, name := range shapeFlagNames {
		if fs.Changed(name) && (ls.arrival == "" || ls.arrival == workloads.ArrivalConstant) {
			return nil, fmt.Errorf("-%s shapes an arrival schedule: give -arrival too (one of %s)", name, strings.Join(workloads.ArrivalNames(), ", "))
		}
	}
	if ls.arrival != "" {
		rates, err := parseFloatList("rps", f.rps, func(v float64) bool { return v >= 0 }, "a rate >= 0 in ops/s")
		if err != nil {
			return nil, err
		}
		for _, rate := range rates {
			p := ls.params
			p.Rate, p.Seed, p.Duration = rate, f.seed, f.duration+f.warmup
			if _, err := workloads.ParseArrival(ls.arrival, p); err != nil {
				return nil, err
			}
		}
	}
	// Checked whatever -keys is: NaN passes every comparison and Inf never
	// ends math/rand's Zipf, so neither may reach a run.
	if !(ls.zipf == 0 || ls.zipf > 1 && !math.IsInf(ls.zipf, 1)) {
		return nil, fmt.Errorf("-zipf %v is not valid (allowed: 0 for uniform, or a finite exponent > 1)", ls.zipf)
	}
	var err error
	if ls.thresholds, err = metrics.ParseThresholds(s.thresholds); err != nil {
		return nil, err
	}
	ls.abort, ls.abortDelay, ls.junit = s.abort, s.abortDelay, s.junit
	return ls, nil
}

// presets are the op-mix and timing settings a built-in workload or a scenario
// file provides; a nil field is not set.
type presets struct {
	readRatio         *float64
	mix               *workloads.Mix
	keys              *int
	zipf              *float64
	work, hold, think *time.Duration
}

// applyTo fills in each preset whose flag was not given explicitly: the command
// line always wins over a workload or a file.
func (ps presets) applyTo(fs *pflag.FlagSet, f *runFlags) {
	unset := func(flag string) bool { return !fs.Changed(flag) }
	if ps.readRatio != nil && unset("read-ratio") {
		f.readRatio = *ps.readRatio
	}
	// A preset's mix yields to either flag: both say what the ops are.
	if ps.mix != nil && unset("mix") && unset("read-ratio") {
		f.mix = ps.mix.String()
	}
	if ps.keys != nil && unset("keys") {
		f.keys = *ps.keys
	}
	if ps.zipf != nil && unset("zipf") {
		f.shape.zipf = *ps.zipf
	}
	if ps.work != nil && unset("work") {
		f.work = *ps.work
	}
	if ps.hold != nil && unset("hold") {
		f.hold = *ps.hold
	}
	if ps.think != nil && unset("think") {
		f.think = *ps.think
	}
}

// apply sets the spec's open-loop schedule and key distribution for one cell.
// A shaped schedule makes the run an open loop whose nominal rate is the
// schedule's mean over the run.
func (ls *loadShape) apply(spec *workloads.Spec, seed int64) {
	if ls.zipf > 1 && spec.Keys > 1 {
		keys, s := spec.Keys, ls.zipf
		spec.NewKey = func(_ int, seed uint64) func() uint64 { return workloads.NewKeyChooser(keys, s, seed) }
	}
	if ls.arrival == "" {
		return
	}
	p := ls.params
	p.Rate, p.Seed, p.Duration = spec.Rate, seed, spec.Duration+spec.Warmup
	name := ls.arrival
	spec.Arrival = name
	spec.Arrivals = func() (workloads.Arrivals, error) { return workloads.ParseArrival(name, p) }
	if a, err := spec.Arrivals(); err == nil {
		if mean, ok := workloads.MeanRate(a, spec.Duration+spec.Warmup); ok && mean > 0 {
			spec.Rate = mean
		}
	}
	if spec.Rate <= 0 {
		spec.Rate = 1 // a shape with no mean (replay): any positive rate marks the open loop
	}
}

// helpArrivals is `loadgen help arrivals`.
func init() {
	helpTopics["arrivals"] = workloads.ArrivalHelp
}
