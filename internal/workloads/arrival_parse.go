package workloads

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/syncbench/syncbench/internal/spelling"
)

// Arrival schedule names accepted by -arrival and by a scenario phase's arrival.
const (
	ArrivalConstant = "constant"
	ArrivalPoisson  = "poisson"
	ArrivalRamp     = "ramp"
	ArrivalStep     = "step"
	ArrivalSine     = "sine"
	ArrivalBurst    = "burst"
	ArrivalReplay   = "replay"
)

// Defaults ParseArrival applies when a shape parameter is left at zero.
const (
	// DefaultBurstOn is the length of a burst's on period.
	DefaultBurstOn = 100 * time.Millisecond
	// DefaultBurstOff is the length of a burst's off period (10% duty cycle with
	// DefaultBurstOn).
	DefaultBurstOff = 900 * time.Millisecond
	// DefaultPeriod is a sine wave's period when neither -period nor a run
	// duration is given.
	DefaultPeriod = 10 * time.Second
	// MaxRate is the highest rate ParseArrival accepts, in ops/s: one op per
	// nanosecond, the resolution of an offset. Anything above it is a typo.
	MaxRate = 1e9
)

// ArrivalNames returns the accepted arrival schedule names, in the order the help
// lists them.
func ArrivalNames() []string {
	return []string{ArrivalConstant, ArrivalPoisson, ArrivalRamp, ArrivalStep, ArrivalSine, ArrivalBurst, ArrivalReplay}
}

// ArrivalParams are the flag values that shape an arrival schedule. A zero field
// means "not given" and takes the default stated on it; each shape reads only the
// fields it needs and ignores the rest.
type ArrivalParams struct {
	// Rate is -rps in ops/s: the rate of constant and poisson, the mean of sine, the
	// rate during a burst's on periods, and the default of RampTo.
	Rate float64
	// Seed is -seed; it makes poisson reproducible.
	Seed int64
	// Duration is the run's (or scenario phase's) length. It is the default of
	// RampOver and Period, so `-arrival ramp -duration 30s` ramps over the run.
	Duration time.Duration
	// RampFrom is -ramp-from, the ramp's starting rate in ops/s (default 0).
	RampFrom float64
	// RampTo is -ramp-to, the ramp's final rate in ops/s (default Rate).
	RampTo float64
	// RampOver is -ramp-over, how long the ramp takes (default Duration); the rate
	// holds at RampTo afterwards.
	RampOver time.Duration
	// Stages is -stages, e.g. "1000x5s,2000x5s" (see ParseStages).
	Stages string
	// Amplitude is -amplitude, the sine's swing in ops/s around Rate (default
	// Rate/2; at most Rate).
	Amplitude float64
	// Period is -period, the sine's period (default Duration, else DefaultPeriod).
	Period time.Duration
	// BurstOn and BurstOff are -burst-on and -burst-off (defaults DefaultBurstOn and
	// DefaultBurstOff).
	BurstOn, BurstOff time.Duration
	// ReplayFile is -replay, the path of a file of offsets (see Replay).
	ReplayFile string
}

// ParseArrival builds the arrival schedule called name from p, validating every
// parameter the shape uses. Every error is bad input: it names the flag, the bad
// value and what is allowed (and a close name for a misspelled schedule). The
// returned schedule implements RateReporter; step and replay also implement Finite.
func ParseArrival(name string, p ArrivalParams) (Arrivals, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	if err := checkArrivalParams(name, p, flagSpelling); err != nil {
		return nil, err
	}
	switch name {
	case ArrivalConstant:
		return constantArrivals{Arrivals: Constant(p.Rate), rate: p.Rate}, nil
	case ArrivalPoisson:
		return Poisson(p.Rate, p.Seed), nil
	case ArrivalRamp:
		from, to, over := rampParams(p)
		return Ramp(from, to, over), nil
	case ArrivalStep:
		stages, err := ParseStages(p.Stages)
		if err != nil {
			return nil, err
		}
		return Step(stages), nil
	case ArrivalSine:
		amp, period := sineParams(p)
		return Sine(p.Rate, amp, period), nil
	case ArrivalBurst:
		on, off := burstParams(p)
		return Burst(p.Rate, on, off), nil
	case ArrivalReplay:
		f, err := os.Open(p.ReplayFile)
		if err != nil {
			return nil, fmt.Errorf("-replay %s: %v", p.ReplayFile, errors.Unwrap(err))
		}
		defer f.Close()
		a, err := Replay(f)
		if rerr := (*ReplayError)(nil); errors.As(err, &rerr) {
			rerr.File = p.ReplayFile
		}
		return a, err
	}
	panic("unreachable: checkArrivalParams accepted " + name)
}

// paramError is a bad arrival parameter. Field is the parameter's flag name
// without the dash ("rps", "ramp-to", "arrival", ...), so a scenario file can point
// at the offending key.
type paramError struct {
	Field string
	Msg   string
}

func (e *paramError) Error() string { return e.Msg }

// flagSpelling names parameters as loadgen's flags: "-rps".
func flagSpelling(field string) string { return "-" + field }

// checkArrivalParams validates p for the schedule name without building it or
// opening any file, so a scenario can be checked when it is parsed. spell renders a
// parameter's name in the caller's vocabulary (a flag, a scenario key). Errors are
// *paramError values.
func checkArrivalParams(name string, p ArrivalParams, spell func(string) string) error {
	bad := func(field, format string, args ...any) error {
		return &paramError{Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	known := false
	for _, n := range ArrivalNames() {
		known = known || n == name
	}
	if !known {
		msg := fmt.Sprintf("unknown arrival %q", name)
		if s := closest(name, ArrivalNames()); s != "" {
			msg += fmt.Sprintf("; did you mean %s?", s)
		}
		return bad("arrival", "%s (allowed: %s; see `loadgen help arrivals`)", msg, strings.Join(ArrivalNames(), ", "))
	}
	for _, f := range []struct {
		field string
		v     float64
	}{{"rps", p.Rate}, {"ramp-from", p.RampFrom}, {"ramp-to", p.RampTo}, {"amplitude", p.Amplitude}} {
		if f.v < 0 || math.IsNaN(f.v) || f.v > MaxRate {
			return bad(f.field, "%s %v: not a usable rate (allowed: 0 to %g ops/s)", spell(f.field), f.v, MaxRate)
		}
	}
	for _, f := range []struct {
		field string
		v     time.Duration
	}{{"duration", p.Duration}, {"ramp-over", p.RampOver}, {"period", p.Period}, {"burst-on", p.BurstOn}, {"burst-off", p.BurstOff}} {
		if f.v < 0 {
			return bad(f.field, "%s %v: negative (allowed: a duration ≥ 0)", spell(f.field), f.v)
		}
	}
	arrival := spell("arrival") + " " + name
	switch name {
	case ArrivalConstant, ArrivalPoisson, ArrivalBurst, ArrivalSine:
		if p.Rate <= 0 {
			return bad("rps", "%s needs %s > 0 (the rate in ops/s; got %v)", arrival, spell("rps"), p.Rate)
		}
		if name == ArrivalSine && p.Amplitude > p.Rate {
			return bad("amplitude", "%s %v is above %s %v (allowed: 0 to %[3]s, so the rate never goes negative)", spell("amplitude"), p.Amplitude, spell("rps"), p.Rate)
		}
	case ArrivalRamp:
		from, to, over := rampParams(p)
		if from == 0 && to == 0 {
			return bad("ramp-to", "%s needs %s or %s > 0 (the final rate in ops/s)", arrival, spell("ramp-to"), spell("rps"))
		}
		if over <= 0 {
			return bad("ramp-over", "%s needs %s > 0 or a run duration (how long the ramp takes)", arrival, spell("ramp-over"))
		}
	case ArrivalStep:
		if _, err := parseStages(p.Stages, spell("stages")); err != nil {
			return bad("stages", "%v", err)
		}
	case ArrivalReplay:
		if p.ReplayFile == "" {
			return bad("replay", "%s needs %s FILE (one offset per line)", arrival, spell("replay"))
		}
	}
	return nil
}

func rampParams(p ArrivalParams) (from, to float64, over time.Duration) {
	from, to, over = p.RampFrom, p.RampTo, p.RampOver
	if to == 0 {
		to = p.Rate
	}
	if over == 0 {
		over = p.Duration
	}
	return from, to, over
}

func sineParams(p ArrivalParams) (amp float64, period time.Duration) {
	amp, period = p.Amplitude, p.Period
	if amp == 0 {
		amp = p.Rate / 2
	}
	if period == 0 {
		period = p.Duration
	}
	if period == 0 {
		period = DefaultPeriod
	}
	return amp, period
}

func burstParams(p ArrivalParams) (on, off time.Duration) {
	on, off = p.BurstOn, p.BurstOff
	if on == 0 {
		on = DefaultBurstOn
	}
	if off == 0 {
		off = DefaultBurstOff
	}
	return on, off
}

// closest returns the candidate within edit distance 2 of name (the nearest one),
// or "".
func closest(name string, candidates []string) string {
	if near := spelling.Closest(name, candidates, 2, 1); len(near) > 0 {
		return near[0]
	}
	return ""
}

// ArrivalHelp returns the text of `loadgen help arrivals`: every schedule, the
// flags it reads and their defaults.
func ArrivalHelp() string {
	return `Arrival schedules (open loop): -arrival NAME

An open-loop run starts ops on a schedule of absolute intended instants, whatever
the target does; latency counts from the intended instant, so queueing shows.
Without -rps (and without -arrival) the run is closed loop: N workers back to back.

  constant   evenly spaced arrivals at -rps ops/s (the default with -rps).
               -rps RATE
  poisson    random arrivals at a mean of -rps ops/s: exponential gaps, the
             bunching of many independent clients. Reproducible with -seed.
               -rps RATE  -seed N
  ramp       rate changes linearly from -ramp-from to -ramp-to over -ramp-over,
             then holds -ramp-to.
               -ramp-from RATE   start rate (default 0)
               -ramp-to RATE     final rate (default -rps)
               -ramp-over DUR    ramp length (default the run's -duration)
  step       stages of rate x duration run in turn; the schedule ends after the
             last stage, so the run lasts the sum of the stages. A 0 rate pauses.
               -stages LIST      e.g. 1000x5s,2000x5s,0x1s
  sine       rate(t) = rps + amplitude*sin(2*pi*t/period), starting at the mean
             and rising first; the mean rate is -rps.
               -rps RATE
               -amplitude RATE   swing around -rps, 0..rps (default rps/2)
               -period DUR       wave length (default the run's -duration, else 10s)
  burst      -rps ops/s during on periods and nothing during off periods,
             starting with an on period; mean rate rps*on/(on+off).
               -rps RATE
               -burst-on DUR     on period (default 100ms)
               -burst-off DUR    off period (default 900ms)
  replay     offsets read from a file, one per line: a Go duration (1.5ms, 2s) or
             seconds (0.0015); blank lines and # comments are ignored; offsets
             must never decrease. The schedule ends after the last offset.
               -replay FILE

Rates are ops/s (0 to 1e9, may be fractional); durations are Go durations (500ms,
2s, 1m30s). Flags a schedule does not use are ignored.

Examples:
  loadgen -impl tokenbucket -arrival poisson -rps 3000
  loadgen -impl tokenbucket -arrival ramp -ramp-from 100 -ramp-to 5000 -ramp-over 10s
  loadgen -impl mutex -arrival step -stages 1000x2s,4000x2s,1000x2s
  loadgen -impl tokenbucket -arrival burst -rps 20000 -burst-on 50ms -burst-off 450ms
`
}
