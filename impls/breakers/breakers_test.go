package breakers

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/backend"
)

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func ms(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }

// brig is a breaker in front of a backend on a manual clock that fails every
// call from 1 s to 2 s and serves each in exactly 2 ms.
type brig struct {
	t      *testing.T
	clock  *backend.ManualClock
	target *Target
}

func newBrig(t *testing.T, build func(*Target) Breaker) *brig {
	t.Helper()
	clock := backend.NewManualClock(t0)
	s, err := backend.ParseSpec("capacity=64;service=2ms;failure=0x1s,1x1s,0;dist=const")
	if err != nil {
		t.Fatal(err)
	}
	b, err := backend.New(s, backend.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	target := NewTarget("test", nil, b)
	target.SetBreaker(build(target))
	return &brig{t: t, clock: clock, target: target}
}

// callAt makes one call at offset and returns its outcome; an admitted call is
// served in 2 ms of the manual clock.
func (r *brig) callAt(at time.Duration) impls.Outcome {
	r.clock.AdvanceTo(t0.Add(at))
	ch := make(chan impls.Outcome, 1)
	go func() { ch <- r.target.Do(context.Background(), impls.Op{}) }()
	for {
		select {
		case o := <-ch:
			return o
		default:
		}
		if r.clock.Sleepers() > 0 {
			r.clock.Advance(ms(2))
			return <-ch
		}
		runtime.Gosched()
	}
}

// run makes a call every 10 ms over [0, 3 s), closes the window at 3 s and
// returns the scores.
func (r *brig) run() Scores {
	r.t.Helper()
	for at := time.Duration(0); at < 3*time.Second; at += ms(10) {
		r.callAt(at)
	}
	r.target.WindowClosed(t0.Add(3 * time.Second))
	if err := r.target.Verify(); err != nil {
		r.t.Fatal(err)
	}
	s, ok := r.target.Scores()
	if !ok {
		r.t.Fatal("no scores against a scheduled backend")
	}
	return s
}

func msOf(p *float64) any {
	if p == nil {
		return "absent"
	}
	return time.Duration(*p)
}

func TestGobreakerOpensAtTheFifthConsecutiveFailure(t *testing.T) {
	// The open period is an hour of gobreaker's own (real) clock: it stays open
	// for the rest of the test, whatever the machine's speed.
	r := newBrig(t, func(t *Target) Breaker { return NewGobreaker(Rule{TripAfter: 5, OpenFor: time.Hour}, t) })
	s := r.run()
	// Calls at 1.000 … 1.040 s fail; the fifth ends at 1.042 s and trips it.
	if s.OpenAfterNs == nil || *s.OpenAfterNs != float64(ms(42)) {
		t.Errorf("opened %v after the failure started, want 42ms", msOf(s.OpenAfterNs))
	}
	if s.FailingAdmitted != 5 || s.FailingShed != 95 || s.HealthyShed != 100 || s.Probes != 0 || s.Transitions != 1 {
		t.Errorf("failing admitted %d, failing shed %d, healthy shed %d, probes %d, transitions %d; want 5, 95, 100, 0, 1",
			s.FailingAdmitted, s.FailingShed, s.HealthyShed, s.Probes, s.Transitions)
	}
	if s.CloseAfterNs != nil {
		t.Errorf("closed %v after the recovery; it never probed", msOf(s.CloseAfterNs))
	}
	if want := 100.0 / 3; s.GoodputPerS != want {
		t.Errorf("goodput %v/s, want %v (100 calls before the failure, over 3 s)", s.GoodputPerS, want)
	}
}

func TestFailsafeOpensAtTheFifthConsecutiveFailure(t *testing.T) {
	r := newBrig(t, func(t *Target) Breaker { return NewFailsafe(Rule{TripAfter: 5, OpenFor: time.Hour}, t) })
	s := r.run()
	if s.OpenAfterNs == nil || *s.OpenAfterNs != float64(ms(42)) || s.FailingAdmitted != 5 {
		t.Errorf("opened %v after the failure started with %d failing calls let through; want 42ms and 5", msOf(s.OpenAfterNs), s.FailingAdmitted)
	}
}

func TestNoBreakerLetsEveryFailingCallThrough(t *testing.T) {
	r := newBrig(t, func(*Target) Breaker { return None })
	s := r.run()
	if s.OpenAfterNs != nil || s.FailingAdmitted != 100 || s.HealthyShed != 0 || s.Shed != 0 {
		t.Errorf("scores %+v: want never open, 100 failing calls through, none shed", s)
	}
	if s.GoodputPerS != 200.0/3 {
		t.Errorf("goodput %v/s, want 200 ok calls over 3 s", s.GoodputPerS)
	}
}

// refBreaker is a breaker with a known rule on the manual clock: open after
// trip consecutive failures, half-open after delay, one probe, close on its
// success.
type refBreaker struct {
	target   *Target
	trip     int
	delay    time.Duration
	mu       sync.Mutex
	state    State
	fails    int
	openedAt time.Time
	probing  bool
}

func (b *refBreaker) move(to State) {
	b.target.Transition(b.state, to)
	b.state = to
	if to == Open {
		b.openedAt = b.target.Clock().Now()
	}
}

func (b *refBreaker) Allow() (func(bool), bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == Open && b.target.Clock().Now().Sub(b.openedAt) >= b.delay {
		b.move(HalfOpen)
	}
	switch {
	case b.state == Open, b.state == HalfOpen && b.probing:
		return nil, false
	case b.state == HalfOpen:
		b.probing = true
	}
	return b.done, true
}

func (b *refBreaker) done(success bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.state == HalfOpen:
		b.probing = false
		if success {
			b.fails = 0
			b.move(Closed)
		} else {
			b.move(Open)
		}
	case success:
		b.fails = 0
	default:
		if b.fails++; b.fails >= b.trip {
			b.move(Open)
		}
	}
}

func TestAKnownRuleScoresOpeningProbesAndClosing(t *testing.T) {
	r := newBrig(t, func(t *Target) Breaker { return &refBreaker{target: t, trip: 3, delay: ms(300)} })
	s := r.run()
	// Fails at 1.000, 1.010, 1.020: open at 1.022. Probes at 1.330, 1.640 and
	// 1.950 fail (reopening at 1.332, 1.642, 1.952); the probe at 2.260, after
	// the recovery at 2 s, succeeds: closed at 2.262.
	if s.OpenAfterNs == nil || *s.OpenAfterNs != float64(ms(22)) {
		t.Errorf("opened %v after the failure started, want 22ms", msOf(s.OpenAfterNs))
	}
	if s.CloseAfterNs == nil || *s.CloseAfterNs != float64(ms(262)) {
		t.Errorf("closed %v after the recovery, want 262ms", msOf(s.CloseAfterNs))
	}
	if s.FailingAdmitted != 6 || s.Probes != 4 || s.FailingShed != 94 || s.HealthyShed != 26 || s.Transitions != 9 {
		t.Errorf("failing admitted %d, probes %d, failing shed %d, healthy shed %d, transitions %d; want 6, 4, 94, 26, 9",
			s.FailingAdmitted, s.Probes, s.FailingShed, s.HealthyShed, s.Transitions)
	}
	if s.GoodputPerS != 174.0/3 {
		t.Errorf("goodput %v/s, want 174 ok calls over 3 s", s.GoodputPerS)
	}
	if len(s.Spans) != 1 || s.Spans[0].FromNs != float64(time.Second) || s.Spans[0].ToNs != float64(2*time.Second) {
		t.Errorf("failing spans %+v, want [1s, 2s)", s.Spans)
	}
}

func TestVerifyCatchesAnAdmissionWhileOpen(t *testing.T) {
	r := newBrig(t, func(t *Target) Breaker {
		opened := false
		return BreakerFunc(func() (func(bool), bool) {
			if !opened {
				t.Transition(Closed, Open) // claims to open, and admits anyway
				opened = true
			}
			return func(bool) {}, true
		})
	})
	r.callAt(0)
	var inv *impls.InvariantError
	if err := r.target.Verify(); !errors.As(err, &inv) || !strings.Contains(inv.Detail, "admitted while the breaker was open") {
		t.Fatalf("Verify = %v, want an admission-while-open violation", err)
	}
}

func TestVerifyCatchesAnIllegalTransition(t *testing.T) {
	r := newBrig(t, func(t *Target) Breaker {
		return BreakerFunc(func() (func(bool), bool) {
			t.Transition(Open, Closed) // from a state it was not in, on an edge that does not exist
			return func(bool) {}, true
		})
	})
	r.callAt(0)
	if err := r.target.Verify(); err == nil || !strings.Contains(err.Error(), "open → closed") {
		t.Fatalf("Verify = %v, want an illegal-transition violation", err)
	}
}

func TestRegisteredBreakersBuild(t *testing.T) {
	for _, name := range []string{"gobreaker", "failsafebreaker", "nobreaker"} {
		impl, ok := impls.Lookup(name)
		if !ok || impl.Family != impls.FamilyBreakers {
			t.Fatalf("%s is not registered in the breakers family", name)
		}
		target, err := impl.New(impls.Config{Backend: "service=0;failure=0"})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if o := target.Do(context.Background(), impls.Op{}); o != impls.OK {
			t.Errorf("%s: a call to a healthy backend returned %v", name, o)
		}
		if err := target.Verify(); err != nil {
			t.Error(err)
		}
		target.Close()
	}
}
