package workloads

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/result"
)

func TestAutoFractionTimesSlowOpsAndSamplesCheapOnes(t *testing.T) {
	for _, c := range []struct {
		opNs float64
		want float64
	}{
		{float64(time.Millisecond), 1},            // timing costs 0.1% of the op
		{100_000, 1},                              // exactly overheadShare
		{50_000, 0.5},                             // 1% needs every other op
		{10_000, 1.0 / 16},                        // 0.1 → the power of two below
		{20, minFraction},                         // a contended primitive: as sparse as allowed
		{1, minFraction},                          // noop
		{float64(3 * time.Microsecond), 1.0 / 64}, // 0.03 → 1/64
	} {
		if got := autoFraction(c.opNs); got != c.want {
			t.Errorf("autoFraction(%v ns) = %v, want %v", c.opNs, got, c.want)
		}
	}
}

// -sample auto is decided by the configuration: its hold and work, its
// family's round trip, its loop; not the implementation, not the run.
func TestAutoSampleReadsTheConfigurationOnly(t *testing.T) {
	closed := func(family string, hold, work time.Duration) Spec {
		s := DefaultSpec()
		s.Family, s.Hold, s.Work, s.Concurrency = family, hold, work, 1
		return s
	}
	open := closed(impls.FamilyLocks, 0, 0)
	open.Rate = 5000
	for _, c := range []struct {
		name string
		spec Spec
		want float64
	}{
		{"a channel semaphore, nothing held", closed(impls.FamilySemaphores, 0, 0), minFraction},
		{"a lock held 1 ms", closed(impls.FamilyLocks, time.Millisecond, 0), 1},
		{"a lock with 10 µs of work", closed(impls.FamilyLocks, 0, 10*time.Microsecond), 1.0 / 16},
		{"file locks", closed(impls.FamilyFileLocks, 0, 0), 1.0 / 64},
		{"redis", closed(impls.FamilyRedis, 0, 0), 1},
		{"breakers", closed(impls.FamilyBreakers, 0, 0), 1},
		{"an open loop", open, 1},
	} {
		if got := AutoSample(c.spec); got != c.want {
			t.Errorf("%s: AutoSample = %v, want %v", c.name, got, c.want)
		}
	}
}

// The case: `-impl chansem -capacity 4 -concurrency 1 -cpu 1` timed a
// sample in one run and every op in the next, because calibration ended after
// 100 µs of op time and one descheduled first op was that. Here one run's
// first op takes 1 ms (the old calibration timed every op after it) and
// another's is as quick as the rest: both, and a different implementation in
// the same configuration, are timed at the fraction the configuration gives,
// and their results say it was chosen that way.
func TestAutoSampleIsTheSameWhateverTheFirstOpsTook(t *testing.T) {
	noop, _ := impls.Lookup(impls.NoopName)
	spec := DefaultSpec()
	spec.Family, spec.Concurrency = impls.FamilySemaphores, 1
	spec.Duration, spec.Warmup, spec.Interval = 30*time.Millisecond, 0, 30*time.Millisecond
	want := AutoSample(spec)
	for _, c := range []struct {
		name string
		slow time.Duration
	}{{"a quick first op", 0}, {"a first op of 1 ms", time.Millisecond}} {
		target, err := noop.New(impls.Config{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		run, err := Drive(context.Background(), &slowFirstOp{Target: target, slow: c.slow}, spec, Hooks{})
		if err != nil {
			t.Fatal(err)
		}
		tm := run.Timing
		if tm.Mode != "sampled" || tm.Fraction != want || tm.Choice != result.TimingAuto || tm.ExpectedOpNs != 0 {
			t.Errorf("%s: timing %+v, want sampled at %v chosen %q for an expected op of 0 ns", c.name, tm, want, result.TimingAuto)
		}
	}
	spec.Sample = 1
	target, _ := noop.New(impls.Config{Workers: 1})
	run, err := Drive(context.Background(), target, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if tm := run.Timing; tm.Mode != "full" || tm.Choice != result.TimingFixed || tm.ExpectedOpNs != 0 {
		t.Errorf("-sample 1: timing %+v, want full, chosen %q", tm, result.TimingFixed)
	}
}

// slowFirstOp is a target whose first op takes slow longer.
type slowFirstOp struct {
	impls.Target
	slow time.Duration
	once sync.Once
}

func (s *slowFirstOp) Do(ctx context.Context, op impls.Op) impls.Outcome {
	s.once.Do(func() { time.Sleep(s.slow) })
	return s.Target.Do(ctx, op)
}
