package adaptive

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/backend"
)

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func ms(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }

func near(got, want float64) bool { return math.Abs(got-want) < 1e-6*math.Max(1, math.Abs(want)) }

// rig is a limit in front of a scheduled backend on a manual clock.
type rig struct {
	t      *testing.T
	clock  *backend.ManualClock
	target *Target
	done   chan impls.Outcome
}

func newRig(t *testing.T, capacity string, rule Rule, initial, window int) *rig {
	t.Helper()
	clock := backend.NewManualClock(t0)
	s, err := backend.ParseSpec("capacity=" + capacity + ";service=10ms;failure=0;dist=const")
	if err != nil {
		t.Fatal(err)
	}
	b, err := backend.New(s, backend.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	lim, err := NewWindowed(rule, Settings{Initial: initial, WindowSamples: window, Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &rig{t: t, clock: clock, target: NewTarget("test", lim, b), done: make(chan impls.Outcome, 64)}
}

// burst starts n calls at the clock's instant, one at a time (each asleep in the
// backend before the next starts, so they are admitted in order).
func (r *rig) burst(n int) {
	asleep := r.clock.Sleepers()
	for i := range n {
		go func() { r.done <- r.target.Do(context.Background(), impls.Op{}) }()
		r.clock.BlockUntil(asleep + i + 1)
	}
}

// finish moves the clock to offset and waits for n calls to return OK.
func (r *rig) finish(offset time.Duration, n int) {
	r.t.Helper()
	r.clock.AdvanceTo(t0.Add(offset))
	for range n {
		if o := <-r.done; o != impls.OK {
			r.t.Fatalf("a call returned %v, want ok", o)
		}
	}
}

func TestAIMDHalvesOnAKnownOverload(t *testing.T) {
	// Capacity drops from 16 to 4 at 1 s; the service time is exactly 10 ms,
	// AIMD backs off when a window of 4 samples averages over 15 ms.
	r := newRig(t, "16x1s,4", AIMD{Threshold: ms(15), Backoff: 0.5}, 16, 4)
	lim := r.target.lim.(*Windowed)

	r.clock.AdvanceTo(t0.Add(time.Second))
	r.burst(8) // capacity 4: four served in [1.000, 1.010), four in [1.010, 1.020)
	r.finish(ms(1010), 4)
	if got := lim.Limit(); got != 16 {
		t.Fatalf("after a window of 10 ms round trips with at most 4 in flight the limit is %d, want 16 (not in use: no increase)", got)
	}
	r.finish(ms(1020), 4)
	if got := lim.Limit(); got != 8 {
		t.Fatalf("after a window of 20 ms round trips the limit is %d, want 8 (halved)", got)
	}

	r.clock.AdvanceTo(t0.Add(ms(1500)))
	r.burst(4) // all four served at once: 10 ms, 4 in flight, 4·2 ≥ 8
	r.finish(ms(1510), 4)
	if got := lim.Limit(); got != 9 {
		t.Fatalf("after a window in use and on time the limit is %d, want 9", got)
	}
	r.clock.AdvanceTo(t0.Add(ms(1600)))
	r.burst(8)
	r.finish(ms(1610), 4) // 4 in flight at most among these: 8 < 9, unchanged
	r.finish(ms(1620), 4) // 20 ms: ⌊9/2⌋ = 4
	if got := lim.Limit(); got != 4 {
		t.Fatalf("after the second overload the limit is %d, want 4", got)
	}
	r.target.WindowClosed(t0.Add(2 * time.Second))

	s, ok := r.target.Scores()
	if !ok {
		t.Fatal("no scores against a scheduled backend")
	}
	// The limit was 16 on [0, 1.02), 8 on [1.02, 1.51), 9 on [1.51, 1.62) and
	// 4 on [1.62, 2); the capacity 16 until 1 s, then 4:
	// ∫|L−C|/C = 0.02·3 + 0.49·1 + 0.11·1.25 = 0.6875 s over 2 s.
	if !near(s.TrackingErrorPct, 34.375) {
		t.Errorf("tracking error %v%%, want 34.375%%", s.TrackingErrorPct)
	}
	// 90% of the drop is a limit of at most 5.2, first at 1.62 s.
	if s.DropConvergeNs == nil || *s.DropConvergeNs != float64(ms(620)) {
		t.Errorf("convergence after the drop %v, want 620ms", s.DropConvergeNs)
	}
	if *s.DropOvershoot != 0 {
		t.Errorf("overshoot %v%%, want 0 (never below 4)", *s.DropOvershoot)
	}
	// The second half of the drop's stretch, [1.5, 2): (8·0.01 + 9·0.11 + 4·0.38)/0.5.
	if !near(*s.DropSettled, 5.18) {
		t.Errorf("settled %v, want 5.18", *s.DropSettled)
	}
	if s.GoodputPerS != 10 || s.Admitted != 20 || s.Shed != 0 || s.PeakInFlight != 8 {
		t.Errorf("goodput %v/s, admitted %d, shed %d, peak %d; want 10/s, 20, 0, 8", s.GoodputPerS, s.Admitted, s.Shed, s.PeakInFlight)
	}
	if err := r.target.Verify(); err != nil {
		t.Fatal(err)
	}
}

func TestFixedLimitShedsBeyondItsSize(t *testing.T) {
	r := newRig(t, "4", Fixed{}, 2, 10)
	r.burst(2)
	if o := r.target.Do(context.Background(), impls.Op{}); o != impls.Denied {
		t.Fatalf("a third call against a fixed limit of 2 returned %v, want denied", o)
	}
	r.finish(ms(10), 2)
	r.target.WindowClosed(t0.Add(ms(100)))
	s, _ := r.target.Scores()
	// Limit 2 against capacity 4 for the whole window: 50% below.
	if s.Shed != 1 || !near(s.ShedPct, 100.0/3) || !near(s.TrackingErrorPct, 50) || !near(s.LimitBiasPct, -50) {
		t.Fatalf("scores %+v: want 1 shed of 3, tracking error 50%%, bias -50%%", s)
	}
}

func TestTrackerScoresARise(t *testing.T) {
	sched, _ := backend.ParseSpec("capacity=4x1s,16")
	k := newTracker(sched, t0, 4)
	for _, o := range []struct {
		at    time.Duration
		limit int
	}{{ms(1200), 10}, {ms(1500), 16}, {ms(1600), 20}, {ms(1800), 16}} {
		k.observe(t0.Add(o.at), o.limit)
	}
	k.close(t0.Add(2 * time.Second))
	s := k.scores()
	// ∫|L−C|/C: 0.2·12/16 + 0.3·6/16 + 0.2·4/16 = 0.3125 s over 2 s.
	if !near(s.TrackingErrorPct, 15.625) {
		t.Errorf("tracking error %v, want 15.625", s.TrackingErrorPct)
	}
	if s.RiseConvergeNs == nil || *s.RiseConvergeNs != float64(ms(500)) {
		t.Errorf("rise converged after %v, want 500ms (first at ≥ 14.8)", s.RiseConvergeNs)
	}
	if !near(*s.RiseOvershoot, 25) {
		t.Errorf("overshoot %v%%, want 25%% (20 against 16)", *s.RiseOvershoot)
	}
	if s.DropConvergeNs != nil || len(s.Steps) != 1 {
		t.Errorf("a schedule with one rise has steps %+v", s.Steps)
	}
}

func TestVegasRule(t *testing.T) {
	v := NewVegas(1)
	w := func(rtt time.Duration, inflight int) Window {
		return Window{Samples: 10, AvgRTT: rtt, MaxInFlight: inflight}
	}
	steps := []struct {
		limit float64
		w     Window
		want  float64
	}{
		{20, w(ms(10), 20), 20},   // the first round trip is the no-load one
		{20, w(ms(20), 20), 19},   // queue ⌈20·(1−10/20)⌉ = 10 > beta 6: −1
		{19, w(ms(10.5), 19), 25}, // queue ⌈19·(1−10/10.5)⌉ = 1 ≤ threshold 1: +beta
		{25, w(ms(12), 25), 25},   // queue ⌈25·(1−10/12)⌉ = 5, in [alpha, beta]: stays
		{25, w(ms(12), 12), 25},   // 12·2 < 25: not in use, stays
		{25, Window{Samples: 10, AvgRTT: ms(10.5), MaxInFlight: 25, Dropped: true}, 24},
	}
	for i, s := range steps {
		if got := v.Update(s.limit, s.w); !near(got, s.want) {
			t.Fatalf("step %d: Update(%v, %+v) = %v, want %v", i, s.limit, s.w, got, s.want)
		}
	}
}

func TestGradientRule(t *testing.T) {
	g := NewGradient()
	if got := g.Update(16, Window{AvgRTT: ms(10), MaxInFlight: 16}); got != 20 {
		t.Fatalf("no queueing: limit 16 → %v, want 16·1 + max(4, √16) = 20", got)
	}
	// rttNoLoad creeps to 0.999·10 + 0.001·11 = 10.001 ms; rtt/2 = 20 ms, so
	// gradient = 0.50005; new = 20·0.50005 + √20, smoothed down by 0.2.
	want := 0.8*20 + 0.2*(20*0.50005+math.Sqrt(20))
	if got := g.Update(20, Window{AvgRTT: ms(40), MaxInFlight: 20}); !near(got, want) {
		t.Fatalf("four times the no-load round trip: limit 20 → %v, want %v", got, want)
	}
	if got := g.Update(20, Window{AvgRTT: ms(40), MaxInFlight: 9}); got != 20 {
		t.Fatalf("app-limited (9·2 < 20): %v, want 20 unchanged", got)
	}
}

// overAdmitting says yes to every call while claiming a limit of 1.
type overAdmitting struct{}

func (overAdmitting) TryAcquire() (func(bool), bool) { return func(bool) {}, true }
func (overAdmitting) Limit() int                     { return 1 }

func TestVerifyCatchesALimiterThatAdmitsPastItsLimit(t *testing.T) {
	clock := backend.NewManualClock(t0)
	s, _ := backend.ParseSpec("capacity=4;service=10ms;failure=0;dist=const")
	b, _ := backend.New(s, backend.Options{Clock: clock})
	target := NewTarget("liar", overAdmitting{}, b)
	done := make(chan impls.Outcome, 2)
	for i := range 2 {
		go func() { done <- target.Do(context.Background(), impls.Op{}) }()
		clock.BlockUntil(i + 1)
	}
	clock.Advance(ms(10))
	<-done
	<-done
	var inv *impls.InvariantError
	if err := target.Verify(); !errors.As(err, &inv) || inv.Impl != "liar" {
		t.Fatalf("Verify = %v, want an invariant error naming liar", err)
	}
}

func TestRegisteredLimitsBuild(t *testing.T) {
	for _, name := range []string{"fixedlimit", "aimd", "gradient", "vegas", "failsafelimit"} {
		impl, ok := impls.Lookup(name)
		if !ok || impl.Family != impls.FamilyAdaptive {
			t.Fatalf("%s is not registered in the adaptive family", name)
		}
		target, err := impl.New(impls.Config{Backend: "capacity=8;service=0"})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if o := target.Do(context.Background(), impls.Op{}); o != impls.OK {
			t.Errorf("%s: a call to an idle backend returned %v", name, o)
		}
		if err := target.Verify(); err != nil {
			t.Error(err)
		}
		target.Close()
	}
	impl, _ := impls.Lookup("aimd")
	if _, err := impl.New(impls.Config{Backend: "capacity=0"}); err == nil {
		t.Error("a capacity of 0 was accepted")
	}
}
