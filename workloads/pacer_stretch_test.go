package workloads

import (
	"testing"
	"time"
)

func TestStretchEstimator(t *testing.T) {
	us := int64(time.Microsecond)
	// feed observes n samples of late, with every fiftieth one tail instead
	// (2%, so the 99th percentile is tail).
	feed := func(e *stretchEstimator, n int, late, tail int64) {
		for i := range n {
			v := late
			if i%50 == 49 {
				v = tail
			}
			e.observe(v)
			if e.due() {
				e.recompute()
			}
		}
	}
	t.Run("starts from the initial stretch before it has learned anything", func(t *testing.T) {
		e := newStretchEstimator()
		if got := e.current(); got != int64(initialStretch) {
			t.Fatalf("stretch = %d, want %d", got, initialStretch)
		}
		feed(e, stretchEvery-1, 500*us, 500*us)
		if e.due() {
			t.Fatalf("due after %d samples, want after %d", stretchEvery-1, stretchEvery)
		}
		if got := e.current(); got != int64(initialStretch) {
			t.Fatalf("stretch = %d before %d samples, want the initial %d", got, stretchEvery, initialStretch)
		}
	})
	t.Run("is the 99th percentile of the lateness less the accepted bound", func(t *testing.T) {
		e := newStretchEstimator()
		// 40 µs wake-ups, every fiftieth 120 µs: the 99th percentile of the
		// 512 in the window is 120 µs (10 of them), so the stretch is 70 µs.
		feed(e, stretchWindow, 40*us, 120*us)
		if got, want := e.current(), 120*us-int64(stretchBound); got != want {
			t.Fatalf("stretch = %v, want %v", time.Duration(got), time.Duration(want))
		}
	})
	t.Run("shrinks when wake-ups get prompt", func(t *testing.T) {
		e := newStretchEstimator()
		feed(e, stretchWindow, 40*us, 120*us)
		// A window of 10 µs wake-ups: nothing needs spinning any more.
		feed(e, stretchWindow, 10*us, 30*us)
		if got := e.current(); got != 0 {
			t.Fatalf("stretch = %v, want 0 once every wake-up is within the bound", time.Duration(got))
		}
	})
	t.Run("grows when wake-ups get late, up to the cap", func(t *testing.T) {
		e := newStretchEstimator()
		feed(e, stretchWindow, 10*us, 30*us)
		feed(e, stretchWindow, 150*us, 200*us)
		if got, want := e.current(), 200*us-int64(stretchBound); got != want {
			t.Fatalf("stretch = %v, want %v", time.Duration(got), time.Duration(want))
		}
		feed(e, stretchWindow, 3*int64(time.Millisecond), 5*int64(time.Millisecond))
		if got := e.current(); got != int64(maxStretch) {
			t.Fatalf("stretch = %v, want the cap %v", time.Duration(got), maxStretch)
		}
	})
	t.Run("follows the recent window, not the whole history", func(t *testing.T) {
		e := newStretchEstimator()
		feed(e, 10*stretchWindow, 2*int64(time.Millisecond), 2*int64(time.Millisecond))
		feed(e, stretchWindow, 60*us, 60*us)
		if got, want := e.current(), 60*us-int64(stretchBound); got != want {
			t.Fatalf("stretch = %v, want %v from the last %d wake-ups alone", time.Duration(got), time.Duration(want), stretchWindow)
		}
	})
	t.Run("counts an early wake-up as on time", func(t *testing.T) {
		e := newStretchEstimator()
		feed(e, stretchWindow, -5*us, -5*us)
		if got := e.current(); got != 0 {
			t.Fatalf("stretch = %v, want 0", time.Duration(got))
		}
	})
}
