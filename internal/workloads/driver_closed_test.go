package workloads

// The closed loop's tests: what it records, its warm-up and op limits, the
// timing sample, cancelling and blocked or starved targets.

import (
	"context"
	"math"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
)

func TestClosedLoopRecordsEveryMeasuredOpAndAnIntervalSeries(t *testing.T) {
	target := &counter{}
	spec := testSpec()
	spec.Concurrency, spec.Sample = 3, 1
	run, err := Drive(context.Background(), target, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	// No warm-up: every call is counted but each worker's last, which
	// finished after the window.
	if got, calls := run.Totals.Completed(), target.calls.Load(); calls-got < 0 || calls-got > 3 || got == 0 {
		t.Fatalf("recorded %d ops but the target saw %d calls", got, calls)
	}
	if run.Offered != run.Totals.Completed() {
		t.Errorf("closed loop offered %d != completed %d", run.Offered, run.Totals.Completed())
	}
	// 300 ms at 100 ms: three points, fewer only when a late collector closed
	// one point over several whole intervals; either way the window's points
	// tile it, and at most one tail point follows.
	var covered int64
	tails := 0
	for _, iv := range run.Series {
		if iv.OffsetNs >= int64(spec.Duration) {
			tails++
			continue
		}
		if iv.OffsetNs != covered || iv.DurationNs <= 0 || iv.DurationNs%int64(spec.Interval) != 0 {
			t.Errorf("window point at %v for %v: the points must tile the window in whole intervals", time.Duration(iv.OffsetNs), time.Duration(iv.DurationNs))
		}
		covered += iv.DurationNs
	}
	if covered != int64(spec.Duration) || tails > 1 {
		t.Errorf("series %d points covering %v of the window with %d tails, want 300ms (3 points of 100ms unless merged) and at most 1 tail", len(run.Series), time.Duration(covered), tails)
	}
	var sum int64
	for _, iv := range run.Series {
		sum += iv.OK
	}
	if sum != run.Totals.Counts[impls.OK] {
		t.Errorf("intervals add up to %d ok ops, totals say %d", sum, run.Totals.Counts[impls.OK])
	}
	if run.Totals.Lag.TotalCount() != 0 || run.HarnessLag != nil {
		t.Errorf("a closed loop recorded %d lags: it has none", run.Totals.Lag.TotalCount())
	}
}

// stamper answers at once and notes when each call entered and left the
// target (ns on the monotonic clock since base). It is for ONE worker: the
// driver reads an op's finish instant after the call leaves and before the
// next one enters, so each op's finish is known to lie in [exit i, entry i+1].
type stamper struct {
	base        time.Time
	entry, exit []int64
	inner       impls.Target // nil: answer OK at once
}

func (s *stamper) Do(ctx context.Context, op impls.Op) impls.Outcome {
	s.entry = append(s.entry, int64(time.Since(s.base)))
	o := impls.OK
	if s.inner != nil {
		o = s.inner.Do(ctx, op)
	}
	s.exit = append(s.exit, int64(time.Since(s.base)))
	return o
}
func (s *stamper) Verify() error { return nil }
func (s *stamper) Close() error  { return nil }

// finishedIn bounds how many calls finished in [from, to) (ns since base) as
// the driver saw them: sure counts the calls whose whole bracket [exit i,
// entry i+1] lies inside, maybe those whose bracket meets it at all. At most
// one call straddles each edge, so maybe − sure ≤ 2.
func (s *stamper) finishedIn(from, to int64) (sure, maybe int64) {
	for i, exit := range s.exit {
		next := int64(math.MaxInt64) // the last call: read any time after
		if i+1 < len(s.entry) {
			next = s.entry[i+1]
		}
		if exit >= from && next < to {
			sure++
		}
		if next >= from && exit < to {
			maybe++
		}
	}
	return sure, maybe
}

func TestWarmupIsNotRecorded(t *testing.T) {
	// Half the run is warm-up. Which calls fell in it is read from the
	// target's own timestamps, not guessed from a share of the wall time a
	// loaded machine gives each half: the window must count exactly the calls
	// that finished in it (to the one call straddling each edge), none of the
	// warm-up's. Both ways of counting: every op timed, and untimed ops
	// counted by the phase they finish in.
	for _, sample := range []float64{1, SampleAuto} {
		target := &stamper{base: time.Now()}
		spec := testSpec()
		spec.Concurrency, spec.Warmup, spec.Duration, spec.Sample = 1, 150*time.Millisecond, 150*time.Millisecond, sample
		run, err := Drive(context.Background(), target, spec, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		from := int64(run.Start.Sub(target.base))
		to := from + int64(spec.Duration)
		if sure, _ := target.finishedIn(0, from); sure == 0 {
			t.Fatalf("sample %v: no call finished in the warm-up (%d calls): nothing was tested", sample, len(target.exit))
		}
		recorded := run.Totals.Completed()
		sure, maybe := target.finishedIn(from, to)
		if sample == 1 && (recorded < sure || recorded > maybe) {
			t.Fatalf("sample %v: recorded %d of %d calls, want the %d–%d that finished in the window (the warm-up's must not be recorded)", sample, recorded, len(target.exit), sure, maybe)
		}
		// Untimed ops go by the phase, which timers turn at W0 and W1, late
		// on a loaded machine: calls just after either edge may be counted by
		// the phase before it, but no call that finished before W0 may be.
		if _, afterW0 := target.finishedIn(from, math.MaxInt64); recorded > afterW0 {
			t.Fatalf("sample %v: recorded %d of %d calls, but at most %d finished after the warm-up: warm-up calls were recorded", sample, recorded, len(target.exit), afterW0)
		}
	}
}

func TestMaxOpsEndsAClosedLoopAfterExactlyThatMany(t *testing.T) {
	for _, sample := range []float64{SampleAuto, 1, 1.0 / 64} {
		spec := testSpec()
		spec.Concurrency, spec.Duration, spec.MaxOps, spec.Sample = 1, time.Minute, 12345, sample
		target := &counter{}
		run, err := Drive(context.Background(), target, spec, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		if got := run.Totals.Completed(); got != 12345 || target.calls.Load() != 12345 {
			t.Fatalf("sample %v: completed %d ops (%d calls), want exactly 12345", sample, got, target.calls.Load())
		}
	}
}

func TestTheSamplerCountsEveryOpExactly(t *testing.T) {
	spec := testSpec()
	spec.Concurrency, spec.Duration, spec.MaxOps, spec.Sample = 4, time.Minute, 400000, 1.0/64
	target := &counter{}
	run, err := Drive(context.Background(), target, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if got := run.Totals.Completed(); got != 400000 || target.calls.Load() != 400000 {
		t.Fatalf("completed %d ops, the target saw %d; want 400000 of each", got, target.calls.Load())
	}
	var kinds int64
	for _, g := range run.Totals.Groups {
		if g.Kind != "" {
			kinds += g.Count
		}
	}
	if kinds != 400000 {
		t.Fatalf("the per-kind counts add up to %d, want 400000", kinds)
	}
	if run.Timing.Mode != "sampled" || run.Timing.Fraction != 1.0/64 {
		t.Fatalf("timing %+v, want sampled at 1/64", run.Timing)
	}
	// 400000/64 = 6250 expected; a Bernoulli sample is within ±5σ ≈ ±400.
	if n := run.Timing.Samples; n < 5850 || n > 6650 {
		t.Fatalf("%d ops timed, want about 6250", n)
	}
}

// bimodal is a target whose every 4th call (by its own count) spins for slow;
// the others return at once. A sample aliasing with the period would see none
// or all of the slow calls.
type bimodal struct {
	calls atomic.Int64
	slow  time.Duration
}

func (b *bimodal) Do(context.Context, impls.Op) impls.Outcome {
	if b.calls.Add(1)%4 == 0 {
		for start := time.Now(); time.Since(start) < b.slow; {
		}
	}
	return impls.OK
}
func (b *bimodal) Verify() error { return nil }
func (b *bimodal) Close() error  { return nil }

func TestTheSampleIsUnbiasedOnABimodalTarget(t *testing.T) {
	spec := testSpec()
	spec.Concurrency, spec.Duration, spec.MaxOps, spec.Sample = 1, time.Minute, 40000, 1.0/8
	target := &bimodal{slow: 20 * time.Microsecond}
	run, err := Drive(context.Background(), target, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	h := run.Totals.Service
	var slow int64
	for _, b := range h.Distribution() {
		if b.From >= int64(15*time.Microsecond) {
			slow += b.Count
		}
	}
	// 5000 samples of a 25% share: σ ≈ 0.6%.
	if share := float64(slow) / float64(h.TotalCount()); share < 0.21 || share > 0.29 {
		t.Fatalf("the sample holds %.1f%% slow ops (%d of %d), want 25%%", 100*share, slow, h.TotalCount())
	}
}

func TestCancellingTheContextInterruptsTheRun(t *testing.T) {
	spec := testSpec()
	spec.Duration, spec.Rate = 10*time.Second, 1000
	ctx, cancel := context.WithCancel(context.Background())
	// The interrupt comes 150 ms into the window, not into Drive: what the
	// window records into is made before it opens (reserveWindow), which
	// takes longer than that under the race detector on a loaded machine.
	hooks := Hooks{OnMeasureStart: func() { time.AfterFunc(150*time.Millisecond, cancel) }}
	start := time.Now()
	run, err := Drive(ctx, &sleeper{d: time.Millisecond}, spec, hooks)
	if err != nil {
		t.Fatal(err)
	}
	// Prompt: the window measured ends at the interrupt, and Drive returns
	// before the uninterrupted run could have ended by itself (a fixed few
	// seconds of wall time was exceeded once on a loaded machine, measured
	// 150 ms).
	if !run.Interrupted || run.Measured >= time.Second || time.Since(start) >= spec.Duration {
		t.Fatalf("interrupted=%v measured=%v after %v: the run did not stop promptly", run.Interrupted, run.Measured, time.Since(start))
	}
	if run.Totals.Completed() == 0 {
		t.Fatal("the partial run recorded nothing")
	}
}

func TestABlockedTargetCannotHoldTheRunPastItsEnd(t *testing.T) {
	spec := testSpec()
	spec.Concurrency = 2
	start := time.Now()
	run, err := Drive(context.Background(), &sleeper{d: time.Hour}, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Fatalf("run took %v with a target that blocks forever; ops must be cut loose at the end", elapsed)
	}
	if run.Totals.Counts[impls.Timeout] != 0 {
		t.Fatalf("ops cut off by the end of the run were counted as target timeouts: %v", run.Totals.Counts)
	}
}

// starver lets worker 0 through (1 ms ops) and blocks every other worker until
// its call is cancelled: a semaphore that never wakes its other waiters.
// It notes when the last starved call entered (ns since base).
type starver struct {
	base      time.Time
	lastEntry atomic.Int64
}

func (s *starver) Do(ctx context.Context, op impls.Op) impls.Outcome {
	if op.Worker == 0 {
		time.Sleep(time.Millisecond)
		return impls.OK
	}
	storeMax(&s.lastEntry, int64(time.Since(s.base)))
	<-ctx.Done()
	return impls.Timeout
}
func (*starver) Verify() error { return nil }
func (*starver) Close() error  { return nil }

func TestAStarvedClosedLoopWorkerIsSeenAsACensoredWait(t *testing.T) {
	spec := testSpec()
	spec.Concurrency, spec.Warmup = 4, 100*time.Millisecond
	// -sample auto gives this configuration (nothing held) a sparse sample:
	// the starved workers' only ops must be timed all the same.
	if f := AutoSample(spec); f >= 1 {
		t.Fatalf("AutoSample = %v: the case needs a sampled run", f)
	}
	target := &starver{base: time.Now()}
	run, err := Drive(context.Background(), target, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	tot := run.Totals
	if tot.Unfinished != 3 || tot.Counts[impls.Timeout] != 0 {
		t.Fatalf("unfinished %d, timeouts %d; want the 3 starved workers unfinished, no timeouts", tot.Unfinished, tot.Counts[impls.Timeout])
	}
	// Their waits began in the warm-up, when each worker first got to run
	// (late on a loaded machine), and lasted to the cut-off (W1 + grace or
	// later): each at least from the last starved call's entry (which the
	// driver's start read precedes) to W1 + grace.
	cutAt := int64(run.Start.Sub(target.base) + spec.Duration + drainGrace(spec.Duration))
	floor := cutAt - target.lastEntry.Load()
	if floor < int64(spec.Duration+drainGrace(spec.Duration)) {
		t.Fatalf("a starved worker first called the target %v after the window opened: not starved through it", time.Duration(target.lastEntry.Load())-run.Start.Sub(target.base))
	}
	if max := tot.Response.Max(); max < floor*99/100 {
		t.Fatalf("longest response %v, want the starved waits of at least %v", time.Duration(max), time.Duration(floor))
	}
	var unfinished *metrics.Group
	for i, g := range tot.Groups {
		if g.Outcome == metrics.UnfinishedName {
			unfinished = &tot.Groups[i]
		}
	}
	if unfinished == nil || unfinished.Count != 3 || unfinished.Response.TotalCount() != 3 {
		t.Fatalf("unfinished group %+v, want 3 censored waits", unfinished)
	}
	if run.Starved != 3 {
		t.Fatalf("starved = %d, want the 3 workers that waited through the window", run.Starved)
	}
}
