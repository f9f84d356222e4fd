package workloads

import (
	"errors"
	"fmt"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// Spec describes one run's load. The zero value is not valid; start from
// DefaultSpec.
type Spec struct {
	// Rate is the open-loop offered rate in ops/s; 0 selects a closed loop.
	Rate float64
	// Arrival names the open-loop schedule ("constant" unless set); Arrivals, when
	// non-nil, is used instead of Constant(Rate) and must match Arrival.
	Arrival  string
	Arrivals func() (Arrivals, error)
	// Pacer is how the open loop waits for each instant: one of PacerModes
	// ("" means PacerHybrid, or with MaxLag the mode ChoosePacer picks).
	// Ignored by a closed loop.
	Pacer string
	// PacerBatch is the batch pacer's interval: it wakes at most this often
	// (0: BatchInterval's default for Rate). Ignored by the
	// other modes.
	PacerBatch time.Duration
	// MaxLag is the open loop's lag budget (0: none): with Pacer "" the
	// cheapest mode whose measured lag p99 at Rate fits it runs (ChoosePacer),
	// and a run whose pacer lag p99 exceeds it is pacer-limited against it,
	// whichever mode ran.
	MaxLag time.Duration
	// Concurrency is the number of closed-loop workers, or the bound on ops in
	// flight in an open loop. At least 1.
	Concurrency int
	// Duration is the measured part of the run; Warmup runs before it and is not
	// recorded.
	Duration, Warmup time.Duration
	// Interval is the time-series resolution (default 1s).
	Interval time.Duration
	// ReadRatio is the fraction of ops that are reads, in [0, 1]; the rest are
	// writes. It is shorthand for Mix{Load: ReadRatio, Store: 1 − ReadRatio} and
	// is ignored when Mix is set.
	ReadRatio float64

	// Mix, when not the zero Mix, is the op-kind mix (loads, stores, deletes) and
	// overrides ReadRatio. Use OpMix for the mix a run applies.
	Mix Mix

	// Work is busy time spent inside the critical section of each op.
	Work time.Duration
	// Hold is how long a semaphore (or lock) is held, sleeping.
	Hold time.Duration
	// Think is how long a closed-loop worker pauses between its ops.
	Think time.Duration
	// Weights are the op weights drawn uniformly at random per op (semaphores,
	// limiters); empty means weight 1.
	Weights []int64
	// Keys is the number of distinct keys; ops draw keys with NewKey (uniform when
	// nil). 0 or 1 means one key.
	Keys int
	// NewKey returns a per-worker key chooser; nil draws keys uniformly.
	NewKey func(worker int, seed uint64) func() uint64
	// Seed makes op choices reproducible.
	Seed int64
	// Family is the family of the implementation driven, when known (Execute
	// sets it): limiters and semaphores give every op their one kind (allow,
	// acquire) instead of the read/write mix.
	Family string

	// Sample is the share of a closed loop's ops that are timed: SampleAuto (0)
	// picks it from the configuration (AutoSample: every op when the op time it
	// implies is long against a clock read, a random sample when it is not), a
	// value in (0, 1] fixes it (1 times every op). Every op is counted either way. An open loop times every
	// op. See sampler.go.
	Sample float64

	// StartAt, when set, is the instant the measured window opens: Drive waits
	// until StartAt−Warmup before it starts the workers (a warm-up that cannot
	// start in time is shorter), so processes that agreed on one instant (a
	// fleet, see package fleet) measure the same window. Drive fails if StartAt
	// has already passed. The zero value starts at once.
	StartAt time.Time

	// MaxOps, when positive, ends a closed loop after that many measured ops in
	// total (spread over the workers), whichever of it and Duration comes first.
	// Benchmarks use it to run exactly b.N ops.
	MaxOps int64
}

// DefaultSpec returns the defaults of the loadgen flags: a closed loop of 4
// workers, 10 s measured after 1 s warm-up, 90% reads, 1 s intervals.
func DefaultSpec() Spec {
	return Spec{
		Concurrency: 4,
		Duration:    10 * time.Second,
		Warmup:      time.Second,
		Interval:    time.Second,
		ReadRatio:   0.9,
		Seed:        1,
		Pacer:       PacerHybrid,
	}
}

// OpMix returns the op-kind mix the run applies: Mix when set, else the one
// ReadRatio stands for.
func (s Spec) OpMix() Mix {
	if !s.Mix.IsZero() {
		return s.Mix
	}
	return ReadRatioMix(s.ReadRatio)
}

// ReadShare is the fraction of ops that are loads (reads): Mix's load share when
// Mix is set, else ReadRatio exactly.
func (s Spec) ReadShare() float64 {
	if !s.Mix.IsZero() {
		return s.Mix.Share(impls.OpRead)
	}
	return s.ReadRatio
}

// Open reports whether the spec is an open loop.
func (s Spec) Open() bool { return s.Rate > 0 }

// Model is "open" or "closed".
func (s Spec) Model() string {
	if s.Open() {
		return "open"
	}
	return "closed"
}

// Bounds of a Spec that Validate enforces, shared by the loadgen flags and
// scenario files (one rule, one message).
const (
	// MaxConcurrency is the most workers (closed loop) or ops in flight (open
	// loop) a run may have: each is a goroutine with its own recorder shard, so
	// beyond about a million the run spends minutes and gigabytes starting
	// goroutines before it measures anything.
	MaxConcurrency = 1 << 20
	// MinInterval is the shortest time-series interval: each boundary swaps
	// and summarises the histograms (tens of µs, more on a loaded machine), so a
	// shorter interval is mostly collection cost and its points cover less than
	// their label says.
	MinInterval = 10 * time.Millisecond
)

const (
	maxConcurrencyWhy = "each is a goroutine; more would take minutes to start"
	minIntervalWhy    = "each interval costs a histogram swap"
)

// Validate reports every impossible value of s, each as a *FieldError, joined
// (errors.Join) in field order; nil when s can be run. errors.As finds the
// first. The Field names are those of the loadgen flags and scenario keys.
func (s Spec) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	if !(s.Rate >= 0 && s.Rate <= MaxRate) {
		bad("rps", "%g is not a usable rate (allowed: 0 for a closed loop, or > 0 up to %g ops/s)", s.Rate, float64(MaxRate))
	}
	if s.Concurrency < 1 || s.Concurrency > MaxConcurrency {
		bad("concurrency", "%d is out of range (allowed: 1 to %d; %s)", s.Concurrency, MaxConcurrency, maxConcurrencyWhy)
	}
	if s.Duration <= 0 {
		bad("duration", "%v is not positive (allowed: > 0, e.g. 10s)", s.Duration)
	}
	if s.Warmup < 0 {
		bad("warmup", "%v is negative (allowed: 0 or more)", s.Warmup)
	}
	if s.Interval < MinInterval {
		bad("interval", "%v is too short (allowed: %v or more, e.g. 1s; %s)", s.Interval, MinInterval, minIntervalWhy)
	}
	if !(s.ReadRatio >= 0 && s.ReadRatio <= 1) {
		bad("read-ratio", "%v is outside [0,1]", s.ReadRatio)
	}
	for _, d := range []struct {
		field string
		v     time.Duration
	}{{"work", s.Work}, {"hold", s.Hold}, {"think", s.Think}} {
		if d.v < 0 {
			bad(d.field, "%v is negative (allowed: 0 or more)", d.v)
		}
	}
	if s.Keys < 0 {
		bad("keys", "%d is negative (allowed: 0 or more)", s.Keys)
	}
	if !(s.Sample >= 0 && s.Sample <= 1) {
		bad("sample", "%v is outside (0, 1] (allowed: auto, 1, 1/64, 0.01)", s.Sample)
	}
	if !s.Mix.IsZero() {
		if err := s.Mix.Validate(); err != nil {
			bad("mix", "%s: %v", s.Mix, err)
		}
	}
	if _, err := ParsePacer(s.Pacer); err != nil {
		errs = append(errs, err)
	}
	if s.PacerBatch < 0 || s.PacerBatch > MaxPacerBatch {
		bad("pacer-batch", "%v is out of range (allowed: 0 for the rate's default, or up to %v)", s.PacerBatch, MaxPacerBatch)
	}
	if s.MaxLag < 0 {
		bad("max-lag", "%v is negative (allowed: 0 for no budget, or a duration such as 1ms)", s.MaxLag)
	}
	for _, w := range s.Weights {
		if w < 1 {
			bad("weights", "holds %d, which is not positive (allowed: 1 or more)", w)
			break
		}
	}
	return errors.Join(errs...)
}

// FieldError reports one impossible value of a Spec: impls.FieldError, the one
// shape of every configuration error.
type FieldError = impls.FieldError
