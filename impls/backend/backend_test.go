package backend

import (
	"context"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func ms(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }

func newTestBackend(t *testing.T, spec string, timeout time.Duration) (*Backend, *ManualClock) {
	t.Helper()
	s, err := ParseSpec(spec)
	if err != nil {
		t.Fatal(err)
	}
	clock := NewManualClock(t0)
	b, err := New(s.Over(Schedule{Service: Constant(float64(10 * time.Millisecond)), Failure: Constant(0), Dist: DistConst}), Options{Clock: clock, Seed: 1, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return b, clock
}

// place reserves a call arriving at offset at and returns its start and end as
// offsets, or -1, -1 when it never starts.
func place(b *Backend, at time.Duration) (start, end time.Duration) {
	now := t0.Add(at)
	var deadline time.Time
	if b.timeout > 0 {
		deadline = now.Add(b.timeout)
	}
	r := b.Reserve(now, deadline)
	if !r.Started {
		return -1, -1
	}
	return r.Start.Sub(t0), r.End.Sub(t0)
}

func TestReserveQueuesBeyondCapacityInArrivalOrder(t *testing.T) {
	b, _ := newTestBackend(t, "capacity=2", 0)
	for i, c := range []struct{ at, start, end time.Duration }{
		{0, 0, ms(10)}, {0, 0, ms(10)}, // two servers
		{0, ms(10), ms(20)},      // waits for the first end
		{ms(5), ms(10), ms(20)},  // the other server frees at 10 too
		{ms(6), ms(20), ms(30)},  // both busy until 20
		{ms(40), ms(40), ms(50)}, // idle again: no wait
	} {
		start, end := place(b, c.at)
		if start != c.start || end != c.end {
			t.Errorf("call %d arriving at %v: service [%v, %v), want [%v, %v)", i+1, c.at, start, end, c.start, c.end)
		}
	}
	if got := b.Stats()["backend_peak_in_service"]; got != 2 {
		t.Errorf("peak in service %v, want 2", got)
	}
}

func TestReserveAfterACapacityDropPreemptsNoOne(t *testing.T) {
	b, _ := newTestBackend(t, "capacity=4x1s,1", 0)
	for range 4 {
		if start, _ := place(b, ms(995)); start != ms(995) {
			t.Fatalf("before the drop four start at once; one started at %v", start)
		}
	}
	// At 1 s the capacity is 1 while four are in service until 1.005 s.
	for i, want := range []time.Duration{ms(1005), ms(1015), ms(1025)} {
		if start, _ := place(b, ms(1000)+time.Duration(i)); start != want {
			t.Errorf("call %d after the drop starts at %v, want %v", i+1, start, want)
		}
	}
}

func TestReserveWaitsForACapacityRise(t *testing.T) {
	b, _ := newTestBackend(t, "capacity=1x1s,3;service=1s", 0)
	place(b, ms(500)) // in service until 1.5 s
	// Capacity 1 until 1 s: the next call waits for the rise, not for the end.
	if start, _ := place(b, ms(600)); start != time.Second {
		t.Fatalf("second call starts at %v, want 1s (the rise)", start)
	}
}

func TestReserveGivesUpAtTheCallersDeadline(t *testing.T) {
	b, _ := newTestBackend(t, "capacity=1", ms(15))
	place(b, 0) // [0, 10)
	if start, end := place(b, 0); start != ms(10) || end != ms(20) {
		t.Fatalf("second call [%v, %v), want [10ms, 20ms): it starts before its deadline", start, end)
	}
	if start, _ := place(b, 0); start != -1 {
		t.Fatalf("third call starts at %v; its turn (20ms) is after its deadline (15ms)", start)
	}
	// The abandoned call holds no one up: a call at 16 ms starts when the
	// second ends.
	if start, _ := place(b, ms(16)); start != ms(20) {
		t.Fatalf("fourth call starts at %v, want 20ms", start)
	}
	if got := b.Stats()["backend_abandoned"]; got != 1 {
		t.Errorf("abandoned %v, want 1", got)
	}
}

func TestCallOutcomesOnAManualClock(t *testing.T) {
	b, clock := newTestBackend(t, "capacity=1;failure=0x20ms,1", ms(25))
	outcomes := make(chan impls.Outcome, 3)
	for range 3 {
		go func() { outcomes <- b.Call(context.Background()) }()
	}
	clock.BlockUntil(3)
	// Placed at 0: [0,10) ok, [10,20) ok, [20,30) fails but its deadline is 25.
	clock.Advance(ms(10))
	clock.Advance(ms(10))
	got := []impls.Outcome{<-outcomes, <-outcomes}
	if got[0] != impls.OK || got[1] != impls.OK {
		t.Fatalf("first two calls %v, want ok ok", got)
	}
	clock.Advance(ms(5))
	if o := <-outcomes; o != impls.Timeout {
		t.Fatalf("third call %v, want timeout at its deadline", o)
	}
	go func() { outcomes <- b.Call(context.Background()) }()
	clock.BlockUntil(1)
	clock.Advance(ms(10)) // placed at 30 (the third is served until 30): ends 40 but deadline 50
	clock.Advance(ms(10))
	if o := <-outcomes; o != impls.Error {
		t.Fatalf("call in the failing stretch %v, want error", o)
	}
}

func TestCallEndsWithItsContext(t *testing.T) {
	b, _ := newTestBackend(t, "capacity=1", 0)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if o := b.Call(ctx); o != impls.Timeout {
		t.Fatalf("cancelled call %v, want timeout", o)
	}
}

func TestWindowOpenedRestartsTheSchedule(t *testing.T) {
	b, clock := newTestBackend(t, "capacity=16x1s,4", 0)
	clock.Advance(5 * time.Second)
	if c := b.Truth(clock.Now()).Capacity; c != 4 {
		t.Fatalf("5 s after construction capacity %d, want 4", c)
	}
	b.WindowOpened(clock.Now())
	if c := b.Truth(clock.Now()).Capacity; c != 16 {
		t.Fatalf("at the window's opening capacity %d, want 16", c)
	}
	if c := b.Truth(clock.Now().Add(-time.Second)).Capacity; c != 16 {
		t.Fatalf("in the warm-up capacity %d, want the first value 16", c)
	}
}

func TestSameSeedSameDraws(t *testing.T) {
	draw := func() []time.Duration {
		s, _ := ParseSpec("capacity=1000;service=10ms;failure=0.3;dist=exp")
		b, _ := New(s, Options{Clock: NewManualClock(t0), Seed: 7})
		var out []time.Duration
		for range 50 {
			r := b.Reserve(t0, time.Time{})
			d := r.End.Sub(r.Start)
			if r.Fail {
				d = -d
			}
			out = append(out, d)
		}
		return out
	}
	a, c := draw(), draw()
	for i := range a {
		if a[i] != c[i] {
			t.Fatalf("draw %d differs between two backends of one seed: %v vs %v", i, a[i], c[i])
		}
	}
}
