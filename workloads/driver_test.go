package workloads

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// sleeper is a target whose every op takes d: a stand-in for a slow or stalled
// primitive. It counts calls so tests can see what the driver did.
type sleeper struct {
	d     time.Duration
	calls atomic.Int64
}

func (s *sleeper) Do(ctx context.Context, op impls.Op) impls.Outcome {
	s.calls.Add(1)
	select {
	case <-time.After(s.d):
		return impls.OK
	case <-ctx.Done():
		return impls.Timeout
	}
}
func (s *sleeper) Verify() error { return nil }
func (s *sleeper) Close() error  { return nil }

// counter answers at once and counts calls.
type counter struct{ calls atomic.Int64 }

func (c *counter) Do(context.Context, impls.Op) impls.Outcome { c.calls.Add(1); return impls.OK }
func (c *counter) Verify() error                              { return nil }
func (c *counter) Close() error                               { return nil }

func testSpec() Spec {
	s := DefaultSpec()
	s.Duration, s.Warmup, s.Interval = 300*time.Millisecond, 0, 100*time.Millisecond
	return s
}

func TestOpenLoopResponseCountsFromTheIntendedInstant(t *testing.T) {
	// One worker, ops every 5 ms, each taking 20 ms: the target can serve a
	// quarter of the offered load, so ops queue. Their service time stays ~20 ms,
	// but response time must include the growing queueing delay.
	target := &sleeper{d: 20 * time.Millisecond}
	spec := testSpec()
	spec.Rate, spec.Concurrency = 200, 1
	run, err := Drive(context.Background(), target, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	// Ops left queued after the drain grace end as timeouts with almost no
	// service time, so look at the longest service: the target's own 20 ms.
	svc := run.Totals.Service.Max()
	resp := run.Totals.Response.ValueAtQuantile(99)
	if svc < int64(15*time.Millisecond) {
		t.Fatalf("service max = %v, want about the 20ms the target takes", time.Duration(svc))
	}
	if resp < 4*svc {
		t.Fatalf("response p99 = %v, service max = %v: an overloaded target's queueing delay is missing from response time", time.Duration(resp), time.Duration(svc))
	}
	if run.Offered < 50 {
		t.Fatalf("offered = %d ops, want the ~60 the schedule asked for in 300ms", run.Offered)
	}
	if got := run.Totals.Completed(); got != run.Offered {
		t.Fatalf("recorded %d of %d offered ops: the backlog left at the end was dropped", got, run.Offered)
	}
	if run.Totals.Counts[impls.Timeout] == 0 {
		t.Fatal("no timeouts: the backlog still queued after the drain grace must end as timeouts")
	}
}

func TestClosedLoopRecordsEveryMeasuredOpAndAnIntervalSeries(t *testing.T) {
	target := &counter{}
	spec := testSpec()
	spec.Concurrency = 3
	run, err := Drive(context.Background(), target, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if got, calls := run.Totals.Completed(), target.calls.Load(); got != calls || got == 0 {
		t.Fatalf("recorded %d ops but the target saw %d calls (no warm-up: all must be recorded)", got, calls)
	}
	if run.Offered != run.Totals.Completed() {
		t.Errorf("closed loop offered %d != completed %d", run.Offered, run.Totals.Completed())
	}
	if n := len(run.Series); n < 2 || n > 4 {
		t.Errorf("series has %d intervals, want about 3 for 300ms at 100ms", n)
	}
	var sum int64
	for _, iv := range run.Series {
		sum += iv.OK
	}
	if sum != run.Totals.Counts[impls.OK] {
		t.Errorf("intervals add up to %d ok ops, totals say %d", sum, run.Totals.Counts[impls.OK])
	}
}

func TestWarmupIsNotRecorded(t *testing.T) {
	target := &counter{}
	spec := testSpec()
	spec.Concurrency, spec.Warmup, spec.Duration = 1, 150*time.Millisecond, 150*time.Millisecond
	run, err := Drive(context.Background(), target, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if recorded, calls := run.Totals.Completed(), target.calls.Load(); recorded >= calls*3/4 {
		t.Fatalf("recorded %d of %d calls: half the run was warm-up and must not be recorded", recorded, calls)
	}
}

func TestMaxOpsEndsAClosedLoopAfterExactlyThatMany(t *testing.T) {
	spec := testSpec()
	spec.Concurrency, spec.Duration, spec.MaxOps = 1, time.Minute, 12345
	run, err := Drive(context.Background(), &counter{}, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if got := run.Totals.Completed(); got != 12345 {
		t.Fatalf("completed %d ops, want exactly 12345", got)
	}
}

func TestCancellingTheContextInterruptsTheRun(t *testing.T) {
	spec := testSpec()
	spec.Duration, spec.Rate = 10*time.Second, 1000
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(150*time.Millisecond, cancel)
	start := time.Now()
	run, err := Drive(ctx, &sleeper{d: time.Millisecond}, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if !run.Interrupted || run.Measured >= time.Second || time.Since(start) > 5*time.Second {
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

func TestOnAdmitSeesEveryOKOpWithItsWeight(t *testing.T) {
	spec := testSpec()
	spec.Concurrency, spec.Weights = 2, []int64{3}
	var admitted atomic.Int64
	run, err := Drive(context.Background(), &counter{}, spec, Hooks{OnAdmit: func(_ int64, _ uint64, n int64) { admitted.Add(n) }})
	if err != nil {
		t.Fatal(err)
	}
	if want := 3 * run.Totals.Counts[impls.OK]; admitted.Load() != want {
		t.Fatalf("OnAdmit saw %d units, want 3 per ok op = %d", admitted.Load(), want)
	}
}
