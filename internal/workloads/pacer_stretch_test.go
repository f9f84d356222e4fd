package workloads

import (
	"testing"
	"time"
)

func TestStretchEstimator(t *testing.T) {
	us := int64(time.Microsecond)
	// ample is a budget no test below reaches unless it means to.
	ample := int64(time.Millisecond)
	bound := int64(stretchBound)
	// feed observes n samples: every tailEvery-th one is tail, the rest late.
	feed := func(e *stretchEstimator, n int, late, tail int64, tailEvery int) {
		for i := range n {
			v := late
			if i%tailEvery == tailEvery-1 {
				v = tail
			}
			e.observe(v)
			if e.due() {
				e.recompute()
			}
		}
	}
	t.Run("starts from the initial stretch before it has learned anything", func(t *testing.T) {
		e := newStretchEstimator(int64(maxStretch), ample)
		if got := e.current(); got != int64(initialStretch) {
			t.Fatalf("stretch = %d, want %d", got, initialStretch)
		}
		feed(e, stretchEvery-1, 500*us, 500*us, 1)
		if e.due() {
			t.Fatalf("due after %d samples, want after %d", stretchEvery-1, stretchEvery)
		}
		if got := e.current(); got != int64(initialStretch) {
			t.Fatalf("stretch = %d before %d samples, want the initial %d", got, stretchEvery, initialStretch)
		}
	})
	t.Run("starts no higher than its cap", func(t *testing.T) {
		if got := newStretchEstimator(10*us, ample).current(); got != 10*us {
			t.Fatalf("stretch = %v, want the 10µs cap", time.Duration(got))
		}
	})
	t.Run("is the 99th percentile of the lateness less the accepted bound", func(t *testing.T) {
		e := newStretchEstimator(int64(maxStretch), ample)
		// 40 µs wake-ups, every fiftieth (2%) 120 µs: the 99th percentile of
		// the 512 in the window is 120 µs, so the stretch is 70 µs.
		feed(e, stretchWindow, 40*us, 120*us, 50)
		if got, want := e.current(), 120*us-bound; got != want {
			t.Fatalf("stretch = %v, want %v", time.Duration(got), time.Duration(want))
		}
	})
	t.Run("shrinks when wake-ups get prompt", func(t *testing.T) {
		e := newStretchEstimator(int64(maxStretch), ample)
		feed(e, stretchWindow, 40*us, 120*us, 50)
		// A window of 10-30 µs wake-ups: nothing needs spinning any more.
		feed(e, stretchWindow, 10*us, 30*us, 50)
		if got := e.current(); got != 0 {
			t.Fatalf("stretch = %v, want 0 once every wake-up is within the bound", time.Duration(got))
		}
	})
	t.Run("grows when wake-ups get late", func(t *testing.T) {
		e := newStretchEstimator(int64(maxStretch), ample)
		feed(e, stretchWindow, 10*us, 30*us, 50)
		feed(e, stretchWindow, 150*us, 200*us, 50)
		if got, want := e.current(), 200*us-bound; got != want {
			t.Fatalf("stretch = %v, want %v", time.Duration(got), time.Duration(want))
		}
	})
	t.Run("covers the 95th percentile when the 99th is beyond the cap", func(t *testing.T) {
		e := newStretchEstimator(100*us, ample)
		// 3% of wake-ups 2 ms late: lag p99 is lost whatever the stretch, so
		// it covers the 95th percentile (80 µs) rather than spinning the cap.
		feed(e, stretchWindow, 80*us, 2*int64(time.Millisecond), 33)
		if got, want := e.current(), 80*us-bound; got != want {
			t.Fatalf("stretch = %v, want %v", time.Duration(got), time.Duration(want))
		}
	})
	t.Run("spins nothing when even most wake-ups are beyond the cap", func(t *testing.T) {
		e := newStretchEstimator(100*us, ample)
		feed(e, stretchWindow, 80*us, 80*us, 1)
		feed(e, stretchWindow, 3*int64(time.Millisecond), 5*int64(time.Millisecond), 50)
		if got := e.current(); got != 0 {
			t.Fatalf("stretch = %v, want 0: spinning cannot bring these ops within the bound", time.Duration(got))
		}
	})
	t.Run("spends no more than its budget on spinning", func(t *testing.T) {
		// 20 µs wake-ups, every fiftieth 120 µs: covering the 99th percentile
		// takes a 70 µs stretch, which spins about 49 µs per wake-up; the 95th
		// and 90th need none. With a 30 µs budget the 99th is out of reach, so
		// nothing is spun; with 50 µs it is covered.
		e := newStretchEstimator(int64(maxStretch), 30*us)
		feed(e, stretchWindow, 20*us, 120*us, 50)
		if got := e.current(); got != 0 {
			t.Fatalf("stretch = %v with a 30µs budget, want 0", time.Duration(got))
		}
		e = newStretchEstimator(int64(maxStretch), 50*us)
		feed(e, stretchWindow, 20*us, 120*us, 50)
		if got, want := e.current(), 120*us-bound; got != want {
			t.Fatalf("stretch = %v with a 50µs budget, want %v", time.Duration(got), time.Duration(want))
		}
	})
	t.Run("covers the 95th percentile when the 99th is beyond the budget", func(t *testing.T) {
		// Half the wake-ups 10 µs late, the rest 80 µs, 2% of them 400 µs:
		// the 99th percentile would cost a 350 µs stretch (~300 µs a
		// wake-up), the 95th a 30 µs one (10 µs a wake-up).
		e := newStretchEstimator(int64(maxStretch), 30*us)
		for i := range stretchWindow {
			v := 10 * us
			switch {
			case i%50 == 49:
				v = 400 * us
			case i%2 == 1:
				v = 80 * us
			}
			e.observe(v)
		}
		e.recompute()
		if got, want := e.current(), 80*us-bound; got != want {
			t.Fatalf("stretch = %v, want %v", time.Duration(got), time.Duration(want))
		}
	})
	t.Run("follows the recent window, not the whole history", func(t *testing.T) {
		e := newStretchEstimator(int64(maxStretch), ample)
		feed(e, 10*stretchWindow, 200*us, 200*us, 1)
		feed(e, stretchWindow, 60*us, 60*us, 1)
		if got, want := e.current(), 60*us-bound; got != want {
			t.Fatalf("stretch = %v, want %v from the last %d wake-ups alone", time.Duration(got), time.Duration(want), stretchWindow)
		}
	})
	t.Run("counts an early wake-up as on time", func(t *testing.T) {
		e := newStretchEstimator(int64(maxStretch), ample)
		feed(e, stretchWindow, -5*us, -5*us, 1)
		if got := e.current(); got != 0 {
			t.Fatalf("stretch = %v, want 0", time.Duration(got))
		}
	})
}

func TestMeanSpin(t *testing.T) {
	sorted := []int64{10, 20, 30, 40}
	for _, c := range []struct{ stretch, want int64 }{
		{0, 0},
		{10, 0},
		{25, (15 + 5) / 4},
		{50, (40 + 30 + 20 + 10) / 4},
	} {
		if got := meanSpin(sorted, c.stretch); got != c.want {
			t.Errorf("meanSpin(%v, %d) = %d, want %d", sorted, c.stretch, got, c.want)
		}
	}
}

func TestSpinBudget(t *testing.T) {
	us := float64(time.Microsecond)
	for _, c := range []struct {
		rate float64
		want float64 // µs
	}{
		{0, 30},     // unknown rate: a wake-up's worth
		{1000, 30},  // 3% of 1 ms is 30 µs too
		{5000, 30},  // a wake-up's worth, under a fifth of 200 µs
		{100, 300},  // far apart: 3% of 10 ms
		{20000, 10}, // a fifth of 50 µs
		{200000, 1}, // a fifth of 5 µs
	} {
		if got := float64(spinBudget(c.rate)) / us; got != c.want {
			t.Errorf("spinBudget(%g) = %gµs, want %gµs", c.rate, got, c.want)
		}
	}
}
