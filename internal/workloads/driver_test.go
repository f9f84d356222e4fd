package workloads

import (
	"context"
	"math"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
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

// gate blocks every op until it is opened, then answers at once.
type gate struct {
	once  sync.Once
	open  chan struct{}
	calls atomic.Int64
}

func newGate() *gate          { return &gate{open: make(chan struct{})} }
func (g *gate) release()      { g.once.Do(func() { close(g.open) }) }
func (g *gate) Verify() error { return nil }
func (g *gate) Close() error  { return nil }
func (g *gate) Do(ctx context.Context, _ impls.Op) impls.Outcome {
	g.calls.Add(1)
	select {
	case <-g.open:
		return impls.OK
	case <-ctx.Done():
		return impls.Timeout
	}
}

func testSpec() Spec {
	s := DefaultSpec()
	s.Duration, s.Warmup, s.Interval = 300*time.Millisecond, 0, 100*time.Millisecond
	return s
}

func TestTheWarmupBacklogIsCountedWhenItIsServedInTheWindow(t *testing.T) {
	// The target is stalled through the warm-up, so the 200 ops due in it
	// queue; when the window opens they are served at once, inside it. They
	// must be counted (and admitted), while only the 300 ops intended in the
	// window are in the latency population.
	g := newGate()
	target := &stamper{base: time.Now(), inner: g}
	spec := testSpec()
	spec.Rate, spec.Concurrency, spec.Warmup = 1000, 1, 200*time.Millisecond
	var admits, late atomic.Int64
	hooks := Hooks{
		OnMeasureStart: g.release,
		OnAdmit: func(offsetNs int64, _ uint64, n int64) {
			admits.Add(n)
			if offsetNs < 0 || offsetNs >= int64(spec.Duration) {
				late.Add(1)
			}
		},
	}
	run, err := Drive(context.Background(), target, spec, hooks)
	if err != nil {
		t.Fatal(err)
	}
	if run.Offered != 300 {
		t.Errorf("offered %d ops, want the 300 the schedule has in [200ms, 500ms)", run.Offered)
	}
	// How many were served in the window is the machine's business (one
	// worker under -race on a loaded box serves fewer than 500 in 300 ms);
	// the target's own timestamps say which calls finished in it, and one
	// worker claims the ops in order, so calls 0–199 are the warm-up's.
	from := int64(run.Start.Sub(target.base))
	to := from + int64(spec.Duration)
	sure, maybe := target.finishedIn(from, to)
	if got := run.Totals.Completed(); got < sure || got > maybe {
		t.Errorf("completed %d ops in the window, but %d–%d calls finished in it (warm-up backlog included)", got, sure, maybe)
	}
	backlog := &stamper{base: target.base, entry: target.entry[:min(200, len(target.entry))], exit: target.exit[:min(200, len(target.exit))]}
	if len(target.entry) > 200 {
		backlog.entry = append(backlog.entry, target.entry[200]) // call 199's bracket ends where call 200 enters
	}
	if served, _ := backlog.finishedIn(from, to); served == 0 {
		t.Errorf("none of the 200 warm-up ops finished in the window (%d calls in all): the backlog was not tested", len(target.exit))
	}
	if admits.Load() != run.Totals.Counts[impls.OK] || late.Load() != 0 {
		t.Errorf("OnAdmit saw %d admissions (%d outside the window), the counts say %d ok", admits.Load(), late.Load(), run.Totals.Counts[impls.OK])
	}
	if got := run.Totals.Response.TotalCount(); got != run.Offered {
		t.Errorf("%d latencies recorded, want one per op intended in the window (%d)", got, run.Offered)
	}
}

// overload simulates, without a clock, one worker serving a constant schedule
// of rate/s ops that each take service: the op intended at I starts at max(I,
// previous finish). It feeds the timeline to the driver's accounting exactly as
// the open-loop worker would, cuts the run off at the cut-off, and counts the
// backlog.
func overload(t *testing.T, rate float64, service, warmup, duration time.Duration) *Run {
	t.Helper()
	spec := DefaultSpec()
	spec.Rate, spec.Concurrency, spec.Warmup, spec.Duration, spec.Interval = rate, 1, warmup, duration, time.Second
	d := newDriver(&counter{}, spec, Hooks{}, Constant(rate))
	cut := d.cutAt
	var prev int64
	for {
		offset, _ := d.due.Next()
		intended := int64(offset)
		started := max(intended, prev)
		if started >= cut {
			// Still queued at the cut-off; in a real run the worker that
			// claims it sees the cut-off flag.
			d.cut(cut)
			d.unfinishedOpen(0, impls.OpRead, intended)
			break
		}
		finished := started + int64(service)
		if finished >= cut {
			d.cut(cut)
			d.unfinishedOpen(0, impls.OpRead, intended) // in flight at the cut-off
			break
		}
		d.settleOpen(0, impls.Op{}, impls.OK, intended, started, finished)
		prev = finished
	}
	d.countBacklog()
	d.rec.Collect()
	d.harnessLate = newLatenessHistogram()
	return d.result()
}

func TestATwiceOverloadedTargetByHand(t *testing.T) {
	// 1000 ops/s of a 2 ms op, one worker, 3 s, no warm-up, cut-off 300 ms
	// after the window. Op k (intended at k ms) starts at 2k ms and finishes at
	// 2k+2 ms:
	//   - completed in the window: 2k+2 < 3000 → k ≤ 1498: 1499 ops, 499.67/s;
	//   - finished before the cut-off (3300 ms): k ≤ 1648, responses k+2 ms, so
	//     2..1650 ms, 1649 ops; op 1649 is in flight (wait 3300−1649 = 1651 ms);
	//     ops 1650..2999 are still queued, waits 1650..301 ms: 1351 unfinished;
	//   - p99 is the 2970th of 3000 values, the 31st from the top: 1651 once,
	//     then every value from 1650 down twice (one finished, one censored):
	//     1 + 2·(1651−v) = 31 → v = 1636 ms, a lower bound (the uncensored
	//     figure, had every op been waited for, is 2972 ms).
	run := overload(t, 1000, 2*time.Millisecond, 0, 3*time.Second)
	tot := run.Totals
	if tot.Completed() != 1499 || tot.Unfinished != 1351 || run.Offered != 3000 {
		t.Fatalf("completed %d, unfinished %d, offered %d; want 1499, 1351, 3000", tot.Completed(), tot.Unfinished, run.Offered)
	}
	if tot.Service.TotalCount() != 1649 || tot.Response.TotalCount() != 3000 || tot.Counts[impls.Timeout] != 0 {
		t.Fatalf("%d service, %d response values, %d timeouts; want 1649, 3000, 0", tot.Service.TotalCount(), tot.Response.TotalCount(), tot.Counts[impls.Timeout])
	}
	if p99 := tot.Response.ValueAtQuantile(99); !tot.Response.ValuesAreEquivalent(p99, int64(1636*time.Millisecond)) {
		t.Errorf("response p99 = %v, want 1.636s", time.Duration(p99))
	}
	if lo, hi := tot.Response.Min(), tot.Response.Max(); !tot.Response.ValuesAreEquivalent(lo, int64(2*time.Millisecond)) || !tot.Response.ValuesAreEquivalent(hi, int64(1651*time.Millisecond)) {
		t.Errorf("response min %v max %v, want 2ms and 1.651s", time.Duration(lo), time.Duration(hi))
	}
	if svc := tot.Service.Max(); !tot.Service.ValuesAreEquivalent(svc, int64(2*time.Millisecond)) {
		t.Errorf("service max %v: an unfinished op must have no service sample", time.Duration(svc))
	}
}

func TestTheBacklogIsCountedInBulkExactly(t *testing.T) {
	// 10^12 ops/s for 1 s against one 1 ms op: the backlog at the cut-off is
	// ~10^12 ops, counted from the schedule without producing them. Every op
	// intended in the window is either finished or unfinished, exactly.
	run := overload(t, 1e12, time.Millisecond, 0, time.Second)
	tot := run.Totals
	if want := int64(1e12); run.Offered != want {
		t.Fatalf("offered %d, want %d", run.Offered, want)
	}
	if got := tot.Service.TotalCount() + tot.Unfinished; got != run.Offered || tot.Response.TotalCount() != run.Offered {
		t.Fatalf("%d finished + %d unfinished (%d responses) for %d offered", tot.Service.TotalCount(), tot.Unfinished, tot.Response.TotalCount(), run.Offered)
	}
	// The censored waits run from cut-off − 1 s (the last instant) to the
	// cut-off (the first).
	cut := int64(time.Second + drainGrace(time.Second))
	if lo, hi := tot.Response.Min(), tot.Response.Max(); !tot.Response.ValuesAreEquivalent(hi, cut) || !tot.Response.ValuesAreEquivalent(lo, int64(time.Millisecond)) {
		t.Errorf("responses from %v to %v, want 1ms (the first op, served) to %v", time.Duration(lo), time.Duration(hi), time.Duration(cut))
	}
	// The bulk record matches recording each censored wait one by one: half
	// of the waits lie above cut − 0.5 s.
	if p50 := tot.Response.ValueAtQuantile(50); !tot.Response.ValuesAreEquivalent(p50, cut-int64(500*time.Millisecond)) {
		t.Errorf("response p50 = %v, want %v", time.Duration(p50), time.Duration(cut-int64(500*time.Millisecond)))
	}
}

func TestAWarmupBacklogNeverServedIsNotTheWindows(t *testing.T) {
	// A 1 s op at 100 ops/s: after a 1 s warm-up the schedule's first 100 ops
	// are still queued; at the cut-off only the window's ops are unfinished.
	run := overload(t, 100, time.Second, time.Second, time.Second)
	if run.Offered != 100 || run.Totals.Unfinished != 100 || run.Totals.Completed() != 1 {
		// Op 0 finishes at 1 s, inside; op 1 at 2 s, the window's end; op 2 is
		// in flight at the cut-off (2.1 s) but was the warm-up's.
		t.Fatalf("offered %d, unfinished %d, completed %d; want 100, 100 and 1",
			run.Offered, run.Totals.Unfinished, run.Totals.Completed())
	}
}

func TestOfferedSeriesCountsByDueInstant(t *testing.T) {
	// One worker, ops due every 1 ms, each taking 20 ms: the workers claim 50
	// a second, but every interval was offered the schedule's 100.
	target := &sleeper{d: 20 * time.Millisecond}
	spec := testSpec()
	spec.Rate, spec.Concurrency = 1000, 1
	run, err := Drive(context.Background(), target, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	// A collector late by whole intervals (a loaded machine) closes one point
	// covering several; each point must still say 1000/s over what it covers,
	// and the window's points must tile it exactly.
	var covered, due int64
	for _, iv := range run.Series {
		if iv.OffsetNs >= int64(spec.Duration) {
			if iv.Offered != 0 {
				t.Errorf("the tail after the window offers %v/s, want 0", iv.Offered)
			}
			continue
		}
		if iv.OffsetNs != covered || iv.DurationNs <= 0 || iv.DurationNs%int64(spec.Interval) != 0 {
			t.Errorf("window point at %v for %v: the points must tile the window in whole intervals", time.Duration(iv.OffsetNs), time.Duration(iv.DurationNs))
		}
		covered += iv.DurationNs
		if math.Abs(iv.Offered-1000) > 1e-9 {
			t.Errorf("interval at %v (%v long) offered %v/s, want the schedule's 1000/s", time.Duration(iv.OffsetNs), time.Duration(iv.DurationNs), iv.Offered)
		}
		due += int64(math.Round(iv.Offered * float64(iv.DurationNs) / 1e9))
	}
	if covered != int64(spec.Duration) || due != 300 || run.Offered != 300 {
		t.Fatalf("window points cover %v and offer %d ops, run offered %d; want 300ms, 300 and 300", time.Duration(covered), due, run.Offered)
	}
	if run.Totals.Counts[impls.Timeout] != 0 || run.Totals.Unfinished == 0 {
		t.Fatalf("timeouts %d, unfinished %d: the backlog cut off must be unfinished, never a timeout", run.Totals.Counts[impls.Timeout], run.Totals.Unfinished)
	}
}

func TestEndingARunIsIndependentOfItsBacklog(t *testing.T) {
	// MaxRate (10^9 ops/s, one per ns): 2·10^8 ops due in the window, far more
	// than the harness can start. The run must end (this test would take
	// minutes, were the backlog drained op by op) and count them all.
	spec := testSpec()
	spec.Rate, spec.Duration = MaxRate, 200*time.Millisecond
	run, err := Drive(context.Background(), &counter{}, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(2e8); run.Offered != want || run.Totals.Response.TotalCount() != want {
		t.Fatalf("offered %d, %d responses; want %d of each", run.Offered, run.Totals.Response.TotalCount(), want)
	}
	if !run.PacerLimited || run.PacerLimitedReason == "" {
		t.Errorf("a schedule no harness can pace is not flagged pacer-limited (reason %q)", run.PacerLimitedReason)
	}
}

func TestAnUnpaceableNoopRunIsFlagged(t *testing.T) {
	// One worker: with more workers than Ps, a worker preempted between its
	// two clock reads waits in the run queue while the others run, and that
	// wait counts as time in the target (busy share 0.64 seen on a loaded box,
	// ~0.1 otherwise); alone, only the OS can deschedule it, in proportion.
	spec := testSpec()
	spec.Rate, spec.Duration, spec.Concurrency = 5e7, 200*time.Millisecond, 1
	noop, _ := impls.Lookup(impls.NoopName)
	target, _ := noop.New(impls.Config{Workers: spec.Concurrency})
	run, err := Drive(context.Background(), target, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if !run.PacerLimited || run.PacerLimitedReason == "" {
		t.Fatalf("noop at 50M ops/s not flagged pacer-limited (busy share %.2f, harness lag %+v)", run.TargetBusyShare, run.HarnessLag)
	}
	if run.Totals.Counts[impls.Timeout] != 0 {
		t.Fatalf("%d timeouts from a target that cannot time out", run.Totals.Counts[impls.Timeout])
	}
	if run.Totals.Completed() >= run.Offered {
		t.Fatalf("completed %d of %d offered: the harness cannot have kept up", run.Totals.Completed(), run.Offered)
	}
}

func TestOnAdmitSeesEveryOKOpWithItsWeightAndKey(t *testing.T) {
	spec := testSpec()
	spec.Concurrency, spec.Weights, spec.Keys = 2, []int64{3}, 10
	var admitted atomic.Int64
	var mu sync.Mutex
	keys := map[uint64]bool{}
	hooks := Hooks{OnAdmit: func(_ int64, key uint64, n int64) {
		admitted.Add(n)
		mu.Lock()
		keys[key] = true
		mu.Unlock()
	}}
	run, err := Drive(context.Background(), &counter{}, spec, hooks)
	if err != nil {
		t.Fatal(err)
	}
	if want := 3 * run.Totals.Counts[impls.OK]; admitted.Load() != want {
		t.Fatalf("OnAdmit saw %d units, want 3 per ok op = %d", admitted.Load(), want)
	}
	if len(keys) < 2 {
		t.Fatalf("OnAdmit saw keys %v, want the ops' keys", keys)
	}
}

func TestConstantScheduleSkipsLikeItCounts(t *testing.T) {
	// skipBefore must consume exactly the instants Next would have produced.
	for _, rate := range []float64{3, 1000, 7777.7, 1e6} {
		a, b := &constantSchedule{rate: rate}, &constantSchedule{rate: rate}
		until := int64(123456789)
		var want []int64
		var after int64
		for {
			off, _ := a.Next()
			if after = int64(off); after >= until {
				break
			}
			want = append(want, after)
		}
		var got int64
		split := func(at int64) int64 { return at + 1000003 }
		b.skipBefore(until, func(first, last, n int64) {
			if first != want[got] || last != want[got+n-1] {
				t.Fatalf("rate %v: run [%d, %d] of %d, want [%d, %d]", rate, first, last, n, want[got], want[got+n-1])
			}
			got += n
		}, split)
		if got != int64(len(want)) {
			t.Fatalf("rate %v: skipped %d instants, Next gives %d", rate, got, len(want))
		}
		if next, _ := b.Next(); int64(next) != after {
			t.Fatalf("rate %v: after skipping, Next gives %d, want %d", rate, next, after)
		}
	}
}

func TestThePacerLimitedReasonReadsInUnits(t *testing.T) {
	// 100 ops started 4.52 ms late and one 15.2 ms late, one worker free:
	// the reason quotes p99 and max as the tables print durations (three
	// significant digits), never time.Duration's nine ("4.521983ms").
	d := &driver{spec: Spec{Concurrency: 1}, harnessLate: newLatenessHistogram()}
	for range 100 {
		d.harnessLate.RecordValue(4_521_983)
	}
	d.harnessLate.RecordValue(15_204_351)
	run := &Run{Measured: time.Second}
	d.judgePacer(run)
	want := regexp.MustCompile(`^ops started up to 4\.5\dms \(p99; max 15\.\dms\) after their instant while a worker was free$`)
	if !run.PacerLimited || !want.MatchString(run.PacerLimitedReason) {
		t.Errorf("pacer-limited %v, reason %q; want it flagged with %s", run.PacerLimited, run.PacerLimitedReason, want)
	}
}

// phaseMover is a target that moves its driver's phase on (to phase) during
// its at-th call, answering outcome from then on: the window ending, or the
// cut-off falling, in the middle of a run of untimed ops.
type phaseMover struct {
	d       *driver
	at      int64
	phase   int32
	outcome impls.Outcome
	calls   int64
}

func (m *phaseMover) Do(context.Context, impls.Op) impls.Outcome {
	m.calls++
	if m.calls >= m.at {
		m.d.phase.Store(m.phase)
		return m.outcome
	}
	return impls.OK
}
func (m *phaseMover) Verify() error { return nil }
func (m *phaseMover) Close() error  { return nil }

// TestUntimedRunsCountExactlyUpToThePhaseChange runs untimed ops through both
// of untimedRun's loops (the plain one, and the one that draws keys and
// listens for admissions) and moves the phase on during the 1000th op: exactly
// the 999 before it are counted, by kind as the mix deals them, the 1000th is
// not, and at the cut-off a cancelled op is recorded unfinished.
func TestUntimedRunsCountExactlyUpToThePhaseChange(t *testing.T) {
	for _, c := range []struct {
		name      string
		keys      int
		listening bool
		phase     int32
		outcome   impls.Outcome
	}{
		{"plain/window-end", 1, false, phaseDrain, impls.OK},
		{"plain/cut-off", 1, false, phaseCut, impls.Timeout},
		{"keyed-listening/window-end", 16, true, phaseDrain, impls.OK},
		{"keyed-listening/cut-off", 16, true, phaseCut, impls.Timeout},
	} {
		t.Run(c.name, func(t *testing.T) {
			spec := testSpec()
			spec.Concurrency, spec.Keys, spec.Mix = 1, c.keys, Mix{90, 5, 5}
			target := &phaseMover{at: 1000, phase: c.phase, outcome: c.outcome}
			var admitted int64
			hooks := Hooks{}
			if c.listening {
				hooks.OnAdmit = func(int64, uint64, int64) { admitted++ }
			}
			d := newDriver(target, spec, hooks, nil)
			target.d = d
			gen := newOpGenerator(spec, 0, d.kinds)
			var counts metrics.OpCounts
			used, counted, over := d.untimedRun(0, gen, &counts, 5000, c.listening)
			if used != 1000 || counted != 999 || !over {
				t.Fatalf("ran %d ops, counted %d, over %v; want 1000, 999, true", used, counted, over)
			}
			var sum, writes int64
			for k := range counts {
				for _, n := range counts[k] {
					sum += n
				}
			}
			writes = counts[impls.OpWrite][impls.OK]
			if sum != 999 || counts[impls.OpRead][impls.OK]+writes+counts[impls.OpDelete][impls.OK] != 999 {
				t.Fatalf("counts add up to %d (%v), want 999 OK ops", sum, counts)
			}
			// 999 ops of 20-card decks of 18:1:1: 49 whole decks (49 writes)
			// and 19 cards of the 50th (0 or 1 write).
			if writes < 49 || writes > 50 {
				t.Fatalf("%d writes among 999 ops of a 90/5/5 mix, want 49 or 50", writes)
			}
			if c.listening && admitted != 999 {
				t.Fatalf("%d admissions heard, want 999", admitted)
			}
			d.rec.Collect()
			unfinished := d.rec.Totals().Unfinished
			if want := map[int32]int64{phaseDrain: 0, phaseCut: 1}[c.phase]; unfinished != want {
				t.Fatalf("%d ops recorded unfinished, want %d", unfinished, want)
			}
		})
	}
}

// TestALongRunOfShortIntervalsStartsWithoutPresizingItsWholeSeries: a 30-day
// window of 10 ms intervals would be 27 GB of series if sized up front; the
// run (ended by its quota at once) must start and finish like any other.
func TestALongRunOfShortIntervalsStartsWithoutPresizingItsWholeSeries(t *testing.T) {
	spec := testSpec()
	spec.Concurrency, spec.Duration, spec.Interval, spec.MaxOps = 1, 30*24*time.Hour, MinInterval, 1000
	run, err := Drive(context.Background(), &counter{}, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if got := run.Totals.Completed(); got != 1000 {
		t.Fatalf("completed %d ops, want the quota's 1000", got)
	}
}
