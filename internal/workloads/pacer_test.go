package workloads

import (
	"context"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestParsePacer(t *testing.T) {
	for _, m := range PacerModes() {
		if got, err := ParsePacer(m); err != nil || got != m {
			t.Errorf("ParsePacer(%q) = %q, %v; want %q", m, got, err, m)
		}
	}
	if got, err := ParsePacer(""); err != nil || got != PacerHybrid {
		t.Errorf("ParsePacer(\"\") = %q, %v; want the default %q", got, err, PacerHybrid)
	}
	for _, bad := range []string{"fast", "Hybrid", "spin ", "busy"} {
		_, err := ParsePacer(bad)
		if err == nil {
			t.Errorf("ParsePacer(%q) accepted a name that is not a mode", bad)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, bad) || !strings.Contains(msg, "hybrid, spin, sleep") {
			t.Errorf("ParsePacer(%q) error %q should name the bad value and the allowed modes", bad, msg)
		}
	}
	spec := DefaultSpec()
	spec.Rate, spec.Pacer = 1000, "fast"
	if err := spec.Validate(); err == nil || !strings.Contains(err.Error(), "hybrid, spin, sleep") {
		t.Errorf("Validate with pacer %q = %v, want an error listing the modes", spec.Pacer, err)
	}
}

// TestPacerNeverWakesEarly waits for many random instants in every mode, from
// several goroutines at once, and checks each wait returned at or after its
// instant on the run clock. It is a safety property, so the real clock is fine:
// no timing figure is asserted, only the order of two clock reads.
func TestPacerNeverWakesEarly(t *testing.T) {
	const workers, waits = 3, 300
	for _, mode := range PacerModes() {
		t.Run(mode, func(t *testing.T) {
			clock := newRunClock()
			p := newPacer(mode, clock, workers, 0)
			defer p.close()
			never := func() bool { return false }
			var wg sync.WaitGroup
			early := make([]int, workers)
			for w := range workers {
				wg.Go(func() {
					r := rand.New(rand.NewPCG(uint64(w), 7))
					for range waits {
						// Waits from none at all to 3 ms, so every branch runs:
						// spinning, short and long sleeps, past instants.
						at := clock.now() + r.Int64N(int64(3*time.Millisecond)) - int64(50*time.Microsecond)
						if !p.wait(w, at, never, true) {
							t.Error("wait reported a stop nobody asked for")
							return
						}
						if clock.now() < at {
							early[w]++
						}
					}
				})
			}
			wg.Wait()
			for w, n := range early {
				if n > 0 {
					t.Errorf("worker %d: %d of %d waits returned before their instant", w, n, waits)
				}
			}
		})
	}
}

func TestPacerWaitStopsWhenAsked(t *testing.T) {
	for _, mode := range PacerModes() {
		t.Run(mode, func(t *testing.T) {
			clock := newRunClock()
			p := newPacer(mode, clock, 1, 0)
			defer p.close()
			stop := func() bool { return true }
			if p.wait(0, clock.now()+int64(time.Hour), stop, true) {
				t.Fatal("wait for an hour away returned true with stop set")
			}
		})
	}
}

func TestKernelWakerNeverReturnsBeforeItsDeadline(t *testing.T) {
	clock := newRunClock()
	w := newKernelWaker(clock)
	defer w.close()
	for i := range 200 {
		deadline := clock.now() + int64(i%20)*int64(10*time.Microsecond)
		w.sleepUntil(deadline)
		if now := clock.now(); now < deadline {
			t.Fatalf("woke %v before the deadline", time.Duration(deadline-now))
		}
	}
}

// TestPacerModesDoWhatTheySay drives a short open loop in each mode and checks
// the structural difference between them from the pacer's own counters: the
// spin mode never sleeps through waits shorter than a Go timer's overshoot, the
// sleep mode never spins, the hybrid does both at a rate with time to sleep.
func TestPacerModesDoWhatTheySay(t *testing.T) {
	for _, mode := range PacerModes() {
		t.Run(mode, func(t *testing.T) {
			spec := testSpec()
			// 2000 ops/s: 500 µs apart, shorter than the spin mode's 2 ms
			// sleep threshold and longer than the hybrid's stretch cap plus
			// the shortest sleep.
			spec.Rate, spec.Concurrency, spec.Pacer = 2000, 4, mode
			if mode == PacerSleep {
				// The sleep mode sleeps through any wait, so it needs no
				// sub-millisecond gaps to show it; at 500 µs a machine
				// stalled by other work ran every op late and never slept.
				// 5 ms gaps (60 ops) leave it waits to sleep through.
				spec.Rate = 200
			}
			run, err := Drive(context.Background(), &counter{}, spec, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			s := run.Pacer
			if s == nil {
				t.Fatal("open loop without pacer figures")
			}
			if s.Mode != mode {
				t.Fatalf("ran mode %q, asked for %q", s.Mode, mode)
			}
			switch mode {
			case PacerSpin:
				if s.Wakes != 0 || s.SpinNs == 0 {
					t.Fatalf("spin: %d wakes, %v spinning; want no sleep at all and some spinning", s.Wakes, time.Duration(s.SpinNs))
				}
			case PacerSleep:
				if s.SpinNs != 0 || s.Wakes == 0 {
					t.Fatalf("sleep: %v spinning, %d wakes; want no spinning and some sleeps", time.Duration(s.SpinNs), s.Wakes)
				}
			case PacerHybrid:
				if s.Wakes == 0 {
					t.Fatal("hybrid never slept at 2000 ops/s")
				}
			case PacerBatch:
				// 500 µs apart: one wake-up per two ops at most, one per
				// millisecond of the window plus the first.
				if s.Wakes == 0 || s.Wakes > int64(run.Measured/DefaultPacerBatch)+1 || s.BatchNs != int64(DefaultPacerBatch) {
					t.Fatalf("batch: %d wakes over %v, interval %d ns; want at most one per %v", s.Wakes, run.Measured, s.BatchNs, DefaultPacerBatch)
				}
			}
			if s.Wakes > run.Offered {
				t.Fatalf("%d wakes for %d ops: more than one sleep per op", s.Wakes, run.Offered)
			}
			if s.CPUNs < s.Wakes*int64(WakeCPU) {
				t.Fatalf("CPU estimate %d ns below its wake-ups' share", s.CPUNs)
			}
		})
	}
}

func TestClosedLoopHasNoPacer(t *testing.T) {
	run, err := Drive(context.Background(), &counter{}, testSpec(), Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if run.Pacer != nil {
		t.Fatalf("closed loop reports pacer figures %+v", *run.Pacer)
	}
}
