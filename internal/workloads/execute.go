package workloads

import (
	"context"
	"strings"

	"errors"
	"fmt"
	"math"
	"runtime"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
)

// Job is one run of one implementation: what to build, how to drive it, and what to
// write into its result besides the measurements.
type Job struct {
	Impl   impls.Impl
	Config impls.Config // Workers is set from Spec.Concurrency
	Spec   Spec
	// Workload names the load in the result ("custom" when empty).
	Workload string
	// FamilyParams are stored as Result.Params.Family.
	FamilyParams map[string]string
	Command      string
	Floor        result.Floor
	Repetition   int
	Hooks        Hooks
	// GC is the collector's settings for this run (zero: the process's).
	GC GC
}

// ConfigError reports that an implementation's constructor failed: it refused
// its configuration (a flag that does not apply to it, an impossible value) or
// could not reach what it needs (a Redis server). Whether that is bad input is
// the caller's to say: a configuration refused before any run is; one that was
// built once already and fails now met a changed environment, a failed run.
type ConfigError struct {
	Impl string
	Err  error
}

// Error names the implementation once: most constructors already start their
// errors with their name ("redislock: cannot reach Redis ...").
func (e *ConfigError) Error() string {
	if msg := e.Err.Error(); strings.HasPrefix(msg, e.Impl+": ") {
		return msg
	}
	return e.Impl + ": " + e.Err.Error()
}
func (e *ConfigError) Unwrap() error { return e.Err }

// Execute builds the target, drives it, verifies its invariant and assembles the
// result. A violated invariant returns the complete result together with the
// *impls.InvariantError, so the caller can still write what was measured; a
// constructor error is a *ConfigError and no result.
func Execute(ctx context.Context, job Job) (*result.Result, error) {
	defer job.GC.apply()()
	cfg := job.Config
	cfg.Workers = job.Spec.Concurrency
	if job.Spec.Keys == 0 && cfg.Keys == 0 {
		// The implementation's default key count (the maps' filled keys), set on
		// the spec so the ops are spread over the keys the target holds and the
		// result records how many.
		job.Spec.Keys = job.Impl.DefaultKeys
	}
	if cfg.Keys == 0 {
		cfg.Keys = job.Spec.Keys
	}
	if cfg.Seed == 0 {
		cfg.Seed = job.Spec.Seed
	}
	if job.Spec.Family == "" {
		job.Spec.Family = job.Impl.Family
		if job.Impl.IsRateLimiter() {
			job.Spec.Family = impls.FamilyLimiters
		}
	}
	target, err := job.Impl.New(cfg)
	if err != nil {
		return nil, &ConfigError{Impl: job.Impl.Name, Err: err}
	}
	hooks := job.Hooks
	var admissions *metrics.AdmissionTracker
	var bound impls.AdmissionBound
	if job.Impl.IsRateLimiter() {
		bound = admissionBound(target, cfg)
		admissions = metrics.NewAdmissionTracker(job.Spec.Duration)
		if bound.PerKey {
			admissions.TrackKeys(accuracyWindow(cfg))
		}
		hooks.OnAdmit = chainAdmit(admissions.Admit, hooks.OnAdmit)
	}
	// Runtime telemetry covers the measured window (and the open loop's drain),
	// not the warm-up; Drive's collector starts it when the window opens.
	var telemetry *metrics.Telemetry
	// A target that follows the run's clock (a scheduled backend, the
	// breakers and limits in front of it) learns when the window opens and
	// closes, so its schedule and scores cover the window, not the warm-up.
	windowed, _ := target.(impls.WindowObserver)
	var opened time.Time
	onStart, onEnd := hooks.OnMeasureStart, hooks.OnMeasureEnd
	hooks.OnMeasureStart = func() {
		telemetry = metrics.StartTelemetry()
		if windowed != nil {
			opened = time.Now()
			windowed.WindowOpened(opened)
		}
		if onStart != nil {
			onStart()
		}
	}
	hooks.OnMeasureEnd = func() {
		if onEnd != nil {
			onEnd()
		}
		if telemetry != nil {
			telemetry.End()
		}
	}
	run, err := Drive(ctx, target, job.Spec, hooks)
	if err != nil {
		target.Close()
		return nil, err
	}
	if windowed != nil && !opened.IsZero() {
		windowed.WindowClosed(opened.Add(run.Measured))
	}
	verifyErr := target.Verify()
	var stats map[string]float64
	if sr, ok := target.(impls.StatsReporter); ok {
		stats = sr.Stats()
	}
	var extras map[string]any
	if er, ok := target.(impls.ExtrasReporter); ok {
		extras = er.Extras()
	}
	closeErr := target.Close()

	res, err := buildResult(job, run)
	if err != nil {
		return nil, err
	}
	res.ImplStats = stats
	res.Extras = map[string]map[string]any{}
	for group, v := range extras {
		res.Extras[group] = result.ExtrasMap(v)
	}
	if telemetry != nil {
		stats := telemetry.Stop(res.Counts.Completed)
		separateHarness(res, run, &stats, backgroundOf(target))
		res.Extras[result.RuntimeExtrasKey] = stats.Map()
	}
	if admissions != nil {
		// Each limiter is judged against the bound it states for itself, and its
		// rate over the steady part of the window (see metrics.Accuracy).
		acc := admissions.Accuracy(metrics.AccuracyConfig{
			Limit:           cfg.Limit,
			Burst:           cfg.Burst,
			Window:          accuracyWindow(cfg),
			DurationNs:      res.DurationNs,
			Envelope:        envelopeOf(bound),
			StartsFull:      job.Spec.Warmup == 0,
			AlignedOriginNs: int64(bound.Origin.Sub(run.Start)),
			PacerLimited:    res.PacerLimited,
			InFlight:        int64(job.Spec.Concurrency) * maxWeight(job.Spec.Weights),
		})
		acc.Mode = string(modeOf(target, cfg))
		res.Extras[result.LimiterExtrasKey] = acc.Map()
	}
	if verifyErr != nil {
		if inv, ok := errors.AsType[*impls.InvariantError](verifyErr); !ok {
			verifyErr = &impls.InvariantError{Impl: job.Impl.Name, Detail: verifyErr.Error()}
		} else if inv.Impl == "" {
			inv.Impl = job.Impl.Name // a public adapter (limiters.NewTarget, ...) does not know the name
		}
		return res, verifyErr
	}
	if closeErr != nil {
		return res, fmt.Errorf("closing %s: %w", job.Impl.Name, closeErr)
	}
	return res, nil
}

// modeOf is the mode a limiter target ran in: what it reports
// (impls.ModeReporter), else the configured Mode ("" when neither says).
func modeOf(target impls.Target, cfg impls.Config) impls.Mode {
	if m, ok := target.(impls.ModeReporter); ok {
		if mode := m.Mode(); mode != "" {
			return mode
		}
	}
	return cfg.Mode
}

// chainAdmit calls first and then, if set, second.
func chainAdmit(first, second func(offsetNs int64, key uint64, n int64)) func(offsetNs int64, key uint64, n int64) {
	if second == nil {
		return first
	}
	return func(offsetNs int64, key uint64, n int64) { first(offsetNs, key, n); second(offsetNs, key, n) }
}

// accuracyWindow is the length of the windows a limiter's admissions are judged
// over: its configured window, one second by default.
func accuracyWindow(cfg impls.Config) time.Duration {
	if cfg.Window > 0 {
		return cfg.Window
	}
	return time.Second
}

// admissionBound is the bound the target states (impls.Bounded), or, for a
// limiter that states none, b + r·w from its configuration, per key when keyed.
func admissionBound(target impls.Target, cfg impls.Config) impls.AdmissionBound {
	if b, ok := target.(impls.Bounded); ok {
		if bound := b.AdmissionBound(); bound.Stated() {
			return bound
		}
	}
	return impls.AdmissionBound{Algorithm: "configured", Rule: "b + r·w", Shape: impls.BoundRate,
		Rate: cfg.Limit, Burst: float64(cfg.Burst), PerKey: cfg.Keys > 1}
}

// maxWeight is the largest op weight the spec draws (1 when it sets none).
func maxWeight(weights []int64) int64 {
	m := int64(1)
	for _, w := range weights {
		m = max(m, w)
	}
	return m
}

// envelopeOf hands a limiter's bound to the accuracy metrics, which know nothing
// of the algorithms: Max is the bound's own formula.
func envelopeOf(b impls.AdmissionBound) metrics.Envelope {
	env := metrics.Envelope{Algorithm: b.Algorithm, Rule: b.Rule, Max: b.Max, Rate: b.Rate, Burst: b.Burst,
		PerKey: b.PerKey, Transient: b.Transient}
	if l, ok := b.AlignedMax(); ok {
		env.AlignedWindow, env.AlignedMax = b.Window, l
	}
	return env
}

// buildResult assembles the result document of a finished run.
func buildResult(job Job, run *Run) (*result.Result, error) {
	spec := job.Spec
	workload := job.Workload
	if workload == "" {
		workload = "custom"
	}
	arrival := ""
	if spec.Open() {
		arrival = spec.Arrival
		if arrival == "" {
			arrival = "constant"
		}
	}
	res := &result.Result{
		Schema:   result.Schema,
		Impl:     job.Impl.Name,
		Family:   job.Impl.Family,
		Workload: workload,
		Command:  job.Command,
		Params: result.Params{
			Model:       spec.Model(),
			Arrival:     arrival,
			Rate:        spec.Rate,
			Concurrency: spec.Concurrency,
			GOMAXPROCS:  runtime.GOMAXPROCS(0),
			DurationNs:  int64(spec.Duration),
			WarmupNs:    int64(spec.Warmup),
			ReadRatio:   spec.ReadShare(),
			Mix:         spec.Mix.String(),
			WorkNs:      int64(spec.Work),
			ThinkNs:     int64(spec.Think),
			Keys:        spec.Keys,
			Seed:        spec.Seed,
			Family:      job.FamilyParams,
			GOGC:        job.GC.PercentText(),
			MemoryLimit: job.GC.MemoryLimitText(),
		},
		Env:                result.CurrentEnvironment(),
		Start:              run.Start,
		DurationNs:         int64(run.Measured),
		Interrupted:        run.Interrupted,
		PacerLimited:       run.PacerLimited,
		PacerLimitedReason: run.PacerLimitedReason,
		Repetition:         job.Repetition,
		Series:             run.Series,
		Floor:              job.Floor,
	}
	t := run.Totals
	res.Counts = result.Counts{
		Offered:    run.Offered,
		Completed:  t.Completed(),
		OK:         t.Counts[impls.OK],
		Denied:     t.Counts[impls.Denied],
		Timeout:    t.Counts[impls.Timeout],
		Error:      t.Counts[impls.Error],
		Unfinished: t.Unfinished,
	}
	// Saturated: some op was cut off, or a closed-loop worker waited through the
	// whole window (it may have got through in the grace after it).
	res.Saturated = t.Unfinished > 0 || run.Starved > 0
	timing := run.Timing
	res.Timing = &timing
	if spec.Open() {
		res.Harness = &result.Harness{Lag: run.HarnessLag, TargetBusyShare: run.TargetBusyShare, MaxLagNs: int64(spec.MaxLag)}
		if p := run.Pacer; p != nil {
			h := res.Harness
			h.Pacer, h.PacerCPUNs, h.PacerCores = p.Mode, float64(p.CPUNs), p.Cores
			h.PacerSpinNs, h.PacerSleepNs, h.PacerWakeups, h.PacerStretchNs = p.SpinNs, p.SleepNs, p.Wakes, p.StretchNs
			h.PacerBatchNs, h.PacerChoice = p.BatchNs, p.Choice
			if p.Wakes > 0 {
				wl := p.WakeLate
				h.PacerWakeLate = &wl
			}
		}
	}
	if secs := run.Measured.Seconds(); secs > 0 {
		res.Rates = result.Rates{
			Offered:  float64(res.Counts.Offered) / secs,
			Achieved: float64(res.Counts.Completed) / secs,
			Admitted: float64(res.Counts.OK) / secs,
		}
	}
	var err error
	if res.Latency, res.Histogram, err = latenciesOf(t.Response, t.Service, t.Lag); err != nil {
		return nil, err
	}
	for _, g := range t.Groups {
		sp := result.Split{Kind: g.Kind, Outcome: g.Outcome, Count: g.Count}
		if sp.Latency, sp.Histogram, err = latenciesOf(g.Response, g.Service, nil); err != nil {
			return nil, err
		}
		res.Split = append(res.Split, sp)
	}
	return res, nil
}

// latenciesOf summarises and encodes one set of histograms. The response
// summary is a lower bound when it holds censored waits (the caller's
// response histogram includes unfinished ops exactly when service has fewer
// values). A nil or empty lag is absent.
func latenciesOf(response, service, lag *hdr.Histogram) (result.Latencies, result.Histograms, error) {
	l := result.Latencies{Response: result.Summarize(response), Service: result.Summarize(service), Lag: result.SummarizePtr(lag)}
	l.Response.LowerBound = response.TotalCount() > service.TotalCount()
	var h result.Histograms
	var err error
	if h.Response, err = result.EncodeHistogram(response); err != nil {
		return l, h, err
	}
	if h.Service, err = result.EncodeHistogram(service); err != nil {
		return l, h, err
	}
	if l.Lag != nil {
		if h.Lag, err = result.EncodeHistogram(lag); err != nil {
			return l, h, err
		}
	}
	return l, h, nil
}

// cpuTrim is the share of the CPU sample's highest values left out of the
// target's CPU/op: a sampled op that the scheduler preempts, or that a GC
// assist lands in, charges the runtime's rescheduling of a locked thread
// (microseconds to a millisecond) to that op, and one such op among a few
// thousand moves the mean by more than a cheap target costs.
const cpuTrim = 0.01

// cpuSplitMin is the fewest ops and controls a warm or cold class needs for its
// own CPU/op: with fewer the difference of two means of spans of ~1 µs is
// noise.
const cpuSplitMin = 50

// cpuSplitOf is one class's CPU/op (ops less controls) and sample size; the
// figure is NaN when the class has fewer than cpuSplitMin of either.
func cpuSplitOf(c CPUSample) metrics.CPUClass {
	if c.Ops == nil || c.Controls == nil {
		return metrics.CPUClass{NsPerOp: math.NaN()}
	}
	cl := metrics.CPUClass{Ops: c.Ops.TotalCount(), NsPerOp: math.NaN()}
	if cl.Ops >= cpuSplitMin && c.Controls.TotalCount() >= cpuSplitMin {
		cl.NsPerOp = result.TrimmedMean(c.Ops, cpuTrim) - result.TrimmedMean(c.Controls, cpuTrim)
	}
	return cl
}

// separateHarness splits the process's CPU over the window into the target's
// and the harness's (metrics/runtime.go documents the method) and fills
// res.Harness with the harness's share.
//
// A target with goroutines of its own (background > 0: a queue's consumers)
// keeps their CPU in the process's: an open loop's sampled CPU/op cannot see
// it, so the rest of the process is not the harness's alone, and the harness
// claims none of it (Harness.CPUNs stays 0, not measured); a closed loop's
// CPU/op, the process's less the harness floor, holds it.
func separateHarness(res *result.Result, run *Run, stats *metrics.RuntimeStats, background int) {
	if res.Harness == nil {
		res.Harness = &result.Harness{}
	}
	h := res.Harness
	processNs := float64(stats.CPUUserNs + stats.CPUSysNs)
	ops := float64(stats.Ops)
	if res.Params.Model == "open" {
		if run.TargetCPU != nil && run.TargetCPU.TotalCount() > 0 && run.CPUControl != nil && run.CPUControl.TotalCount() > 0 {
			span, control := result.TrimmedMean(run.TargetCPU, cpuTrim), result.TrimmedMean(run.CPUControl, cpuTrim)
			stats.SetTargetCPU(span-control, run.TargetCPU.TotalCount(), metrics.CPUMethodThreadControl)
			stats.SetCPUControl(span, control, run.CPUControl.TotalCount())
			stats.SetCPUSplit(cpuSplitOf(run.CPUWarm), cpuSplitOf(run.CPUCold), int64(cpuWarmGap))
			if background > 0 {
				stats.CPUMethod = metrics.CPUMethodThreadControlOwnGoroutines
			} else {
				h.CPUNs = max(processNs-stats.CPUNsPerOp*ops, 0)
			}
		}
	} else {
		// The floor's CPU per op in the run's timing mode (its wall time per
		// op when an older floor has no CPU figure).
		perOp := res.Floor.CPUNsPerOp
		if res.Timing != nil && res.Timing.Mode == "full" {
			perOp = res.Floor.FullCPUNsPerOp
		}
		h.PerOpCPUNs = perOp
		h.CPUNs = min(perOp*ops, processNs)
		if ops > 0 && perOp > 0 {
			stats.SetTargetCPU((processNs-h.CPUNs)/ops, 0, metrics.CPUMethodProcessMinusFloor)
		}
	}
	if stats.WallNs > 0 {
		h.CPUCores = h.CPUNs / float64(stats.WallNs)
	}
	h.Allocs, h.AllocBytes = stats.HarnessAllocs, stats.HarnessAllocBytes
}

// backgroundOf is the number of goroutines target runs of its own
// (impls.Background), 0 when it runs none.
func backgroundOf(target impls.Target) int {
	if b, ok := target.(impls.Background); ok {
		return b.BackgroundGoroutines()
	}
	return 0
}
