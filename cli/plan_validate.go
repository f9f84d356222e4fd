package cli

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/livemetrics"
	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/internal/workloads"
)

// maxCPU bounds -cpu (GOMAXPROCS): each P runs on its own OS thread, and a
// value near the runtime's thread limit (maxThreads, debug.SetMaxThreads)
// ends the process with a fatal error and a stack trace per thread. 1024 is
// more cores than any machine this harness measures.
const maxCPU = 1024

// maxThreads is the Go runtime's default thread limit.
const maxThreads = 10000

// validate checks a parsed plan and returns every problem, most basic first;
// the caller prints the first. Each rule lives with what it protects: the
// workload's values with workloads.Spec.Validate, the implementations' with
// impls.Config.Validate and, beyond that, with each family's constructor
// (checkTargets). Only the rules about the command line itself are here: how
// flags combine, the output, and the family values a result records.
func (p *plan) validate() []error {
	f := &p.flags
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }

	if p.fs.Changed("rps") && len(p.rates) > 1 {
		if slices.Contains(p.rates, 0) {
			bad("-rps %q mixes a closed loop (0) into a rate sweep (allowed: rates > 0)", f.rps)
		}
	}
	if p.fs.Changed("mix") && p.fs.Changed("read-ratio") {
		bad("-mix and -read-ratio are both given (allowed: one of them; -read-ratio R is -mix load=R,store=1-R)")
	}
	for _, cpu := range p.cpus {
		if cpu > maxCPU {
			bad("-cpu %d is too large (allowed: 1 to %d; each P needs an OS thread, and Go stops the process at %d threads)", cpu, maxCPU, maxThreads)
			break
		}
	}
	if f.maxLag > 0 && p.fs.Changed("pacer") {
		bad("-max-lag %v chooses the pacer, and -pacer %s is given too (allowed: one of them)", f.maxLag, f.pacer)
	}
	if f.procs < 1 {
		bad("-procs %d is not positive (allowed: 1 or more)", f.procs)
	}
	if most := maxProcs(); f.procs > most {
		bad("-procs %d is too many (allowed: 1 to %d, %d per CPU on this machine's %d)", f.procs, most, procsPerCPU, runtime.NumCPU())
	}
	if most := maxKeys(); f.keys > most {
		bad("-keys %d is more than this machine's memory holds (allowed: 0 to %d, %d bytes a key in half of %s)", f.keys, most, bytesPerKey, fmt.Sprintf("%.1f GiB", float64(machineMemory())/(1<<30)))
	}
	if f.procs > 1 && len(p.gcs) > 1 {
		bad("-procs %d runs one GC setting in every process: it does not combine with a -gogc or -memlimit sweep (allowed: one value each)", f.procs)
	}
	if f.metricsAddr != "" {
		if err := livemetrics.CheckAddr(f.metricsAddr); err != nil {
			bad("-metrics-addr %q: %v (allowed: HOST:PORT, e.g. 127.0.0.1:9464, or :9464 for every interface)", f.metricsAddr, err)
		} else if f.procs > 1 {
			bad("-metrics-addr serves one process's intervals: it does not combine with -procs %d (allowed: -procs 1)", f.procs)
		}
	}
	errs = append(errs, p.fleetErrors()...)
	if f.count < 1 {
		bad("-count %d is not positive (allowed: 1 or more)", f.count)
	}
	// Zero means "the family's default" to a constructor, but the flag's value is
	// what a result records as the configuration: a zero would record one value
	// and run another. Checked before impls.Config.Validate, whose messages
	// offer that zero (right for a Config, refused here).
	if f.capacity < 1 {
		bad("-capacity %d is not positive (allowed: 1 or more)", f.capacity)
	}
	if !(f.limit > 0) {
		bad("-limit %v is not a positive rate (allowed: > 0 events/s)", f.limit)
	}
	if f.burst < 1 {
		bad("-burst %d is not positive (allowed: 1 or more)", f.burst)
	}
	if f.window <= 0 {
		bad("-window %v is not positive (allowed: > 0, e.g. 1s)", f.window)
	}
	// The implementations' values first: a file lock's -shared-ratio becomes
	// the workload's read share, and is reported under its own name.
	errs = append(errs, flagErrors(p.config(impls.Impl{}, 1).Validate())...)
	// The workload's values, as every cell will run them.
	for _, c := range p.cells {
		spec := p.spec(c)
		errs = append(errs, flagErrors(spec.Validate())...)
		// A scenario phase's schedule (its replay file, say) is built here
		// once, as -arrival's is, so a bad one is bad input before any run.
		if spec.Arrivals != nil {
			if _, err := spec.Arrivals(); err != nil {
				errs = append(errs, err)
			}
		}
	}
	errs = append(errs, p.rateErrors()...)
	if f.format != "text" && f.format != "json" && f.format != "md" {
		bad("-format %q is not known (allowed: text, json, md)", f.format)
	}
	if f.mode != "" {
		if err := checkMode(f.mode, p.chosen); err != nil {
			errs = append(errs, err)
		}
	}
	if p.findMaxCond != nil && (p.scenario != nil || len(p.rates) > 1 || f.count > 1) {
		bad("-find-max searches the rate itself: it does not combine with a scenario file, an -rps list or -count")
	}
	if p.findMaxCond != nil && f.procs > 1 {
		bad("-find-max runs its probes in this process: it does not combine with -procs %d (allowed: -procs 1)", f.procs)
	}
	errs = append(errs, p.thresholdErrors()...)
	errs = append(errs, p.thresholdFlagErrors()...)
	errs = append(errs, p.weightErrors()...)
	return dedupe(errs)
}

// rateErrors refuses an -rps so low that a run would offer less than one op
// in its window: the schedule's first op, due at the window's start, would
// then be all it measured, and the offered rate reported would be that one op
// over the window (-rps 1e-9 for 300ms read "offered/s 3.33"). -find-max
// probes its own rates, and a scenario's phases are checked where they are
// parsed.
func (p *plan) rateErrors() []error {
	if p.findMaxCond != nil {
		return nil
	}
	switch p.shape.arrival {
	case "", workloads.ArrivalConstant, workloads.ArrivalPoisson, workloads.ArrivalBurst, workloads.ArrivalSine:
	default:
		return nil // the rate comes from the shape (ramp, stages, a replay file)
	}
	d := p.flags.duration // a fork's share, with -forks
	for _, c := range p.cells {
		if c.phase < 0 && c.rate > 0 && c.rate*d.Seconds() < 1 {
			least := units.Rate(ceilSig(1/d.Seconds(), 3))
			per := "-duration " + d.String()
			if p.forks > 1 {
				per = fmt.Sprintf("%v, each fork's share of -duration %v", d.Round(time.Millisecond), p.totalDuration)
			}
			return []error{fmt.Errorf("-rps %g offers less than one op in a run of %s (allowed: at least %s ops/s, or a longer -duration)", c.rate, per, least)}
		}
	}
	return nil
}

// ceilSig rounds v > 0 up to digits significant digits, so that a bound
// printed as "allowed: at least X" is itself allowed.
func ceilSig(v float64, digits int) float64 {
	unit := math.Pow(10, math.Floor(math.Log10(v))-float64(digits-1))
	return math.Ceil(v/unit-1e-9) * unit
}

// thresholdErrors refuses a threshold no run of the plan could ever check: a
// limiter-only metric on another family, a lag_ metric on a closed loop. Found
// after the run, they would fail every result (exit 3) for a typo.
func (p *plan) thresholdErrors() []error {
	all := p.shape.thresholds
	if p.findMaxCond != nil {
		all = append(slices.Clip(all), *p.findMaxCond)
	}
	var errs []error
	for _, t := range all {
		flag := "-threshold"
		if p.findMaxCond != nil && t == *p.findMaxCond {
			flag = "-find-max"
		}
		if t.LimitersOnly() {
			for _, impl := range p.chosen {
				if !impl.IsRateLimiter() {
					errs = append(errs, fmt.Errorf("%s %s applies only to rate limiters, not to %s (%s) (allowed: a latency, error or rate metric; see `loadgen help`)", flag, t, impl.Name, impl.Family))
					break
				}
			}
		}
		if t.OpenLoopOnly() && p.findMaxCond == nil {
			for _, c := range p.cells {
				if !p.spec(c).Open() {
					errs = append(errs, fmt.Errorf("%s %s needs an open loop, and a closed loop has no lag (allowed: -rps > 0, or a response_/service_ metric)", flag, t))
					break
				}
			}
		}
	}
	return errs
}

// weightErrors refuses a semaphore op weight above the capacity: such an op can
// never be acquired, so every op of that weight would time out or fail.
func (p *plan) weightErrors() []error {
	var most int64
	for _, w := range p.weights {
		most = max(most, w)
	}
	for _, impl := range p.chosen {
		if impl.Family == impls.FamilySemaphores && most > p.flags.capacity && p.flags.capacity > 0 {
			return []error{fmt.Errorf("-weights %s holds %d, above -capacity %d: such an op can never be acquired (allowed: weights up to the capacity)", p.flags.weights, most, p.flags.capacity)}
		}
	}
	return nil
}

// dedupe drops repeated messages: a value checked by two owners (-keys is both
// the workload's and the implementations') is reported once.
func dedupe(errs []error) []error {
	seen := map[string]bool{}
	out := errs[:0]
	for _, err := range errs {
		if !seen[err.Error()] {
			seen[err.Error()] = true
			out = append(out, err)
		}
	}
	return out
}

// flagErrors unpacks the joined *impls.FieldError values a Validate method
// returns into errors naming the flag: "-duration 0s is not positive ...".
func flagErrors(err error) []error {
	if err == nil {
		return nil
	}
	var list []error
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		list = joined.Unwrap()
	} else {
		list = []error{err}
	}
	out := make([]error, 0, len(list))
	for _, e := range list {
		if fe, ok := errors.AsType[*impls.FieldError](e); ok {
			out = append(out, fmt.Errorf("-%s %s", fe.Field, fe.Msg))
			continue
		}
		out = append(out, e)
	}
	return out
}
