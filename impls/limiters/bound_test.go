package limiters

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// boundConfigs are the configurations every stated bound is checked under: the
// default, the keyed demo's per-key limit, and a short window with an interval
// that does not divide a second.
var boundConfigs = []struct {
	name string
	cfg  impls.Config
}{
	{"1000/s burst 100 window 1s", impls.Config{}},
	{"10/s burst 5 window 1s", impls.Config{Limit: 10, Burst: 5}},
	{"3000/s burst 7 window 250ms", impls.Config{Limit: 3000, Burst: 7, Window: 250 * time.Millisecond}},
}

// maxIn is the most events admitted in any window [t, t+w), exactly: the maximum
// is reached by a window starting at an admission.
func maxIn(adm []admission, w int64) int64 {
	var best, in int64
	j := 0
	for i := range adm {
		for j < len(adm) && adm[j].at < adm[i].at+w {
			in += adm[j].n
			j++
		}
		best = max(best, in)
		in -= adm[i].n
	}
	return best
}

// countIn is the events admitted in [from, to).
func countIn(adm []admission, from, to int64) int64 {
	var n int64
	for _, a := range adm {
		if a.at >= from && a.at < to {
			n += a.n
		}
	}
	return n
}

// demand drives lim through phases of idleness and saturating demand (asked every
// 0.3 ms, up to 1000 events each time) and returns every admission.
func demand(lim Limiter, clk *fakeClock, phases ...struct{ idle, busy time.Duration }) []admission {
	const step = 300 * time.Microsecond
	var out []admission
	for _, p := range phases {
		clk.advance(int64(p.idle))
		out = append(out, saturate(lim, clk, int(p.busy/step), int64(step), 1000)...)
	}
	return out
}

type phase = struct{ idle, busy time.Duration }

func boundOfT(t *testing.T, lim Limiter) impls.AdmissionBound {
	t.Helper()
	b, ok := lim.(impls.Bounded)
	if !ok || !b.AdmissionBound().Stated() {
		t.Fatalf("%T states no admission bound", lim)
	}
	return b.AdmissionBound()
}

func TestEveryLimiterKeepsToTheBoundItStates(t *testing.T) {
	for _, a := range allowAlgorithms {
		for _, c := range boundConfigs {
			t.Run(a.name+" at "+c.name, func(t *testing.T) {
				cfg := c.cfg
				w := time.Second
				if cfg.Window > 0 {
					w = cfg.Window
				}
				patterns := map[string][]phase{
					"under steady saturating demand": {{0, 5 * w}},
					// Demand that starts just before a boundary, stops, comes back:
					// the window algorithms' worst case.
					"under demand on and off across boundaries": {{9 * w / 10, w / 5}, {w / 2, w / 3}, {3 * w / 10, 2 * w}},
					"after a long idle":                         {{7 * w, 2 * w}},
				}
				for pname, phases := range patterns {
					clk := newFakeClock()
					cfg.Now = clk.Now
					lim, _ := newLimiter(t, a.name, cfg)
					b := boundOfT(t, lim)
					adm := demand(lim, clk, phases...)
					for _, win := range []time.Duration{w / 2, w, 2 * w} {
						if got, most := maxIn(adm, int64(win)), b.Max(win); float64(got) > most+1e-6 {
							t.Errorf("%s: %d admitted in a %v window, above its stated %s = %v", pname, got, win, b.Rule, most)
						}
					}
				}
			})
		}
	}
}

func TestStatedBoundsAreReached(t *testing.T) {
	w := int64(time.Second)
	tests := []struct {
		name   string
		phases []phase
		// least is the smallest share of Max(W) the worst window must reach.
		least float64
	}{
		{"tokenbucket", []phase{{0, 0}, {5 * time.Second, 2 * time.Second}}, 0.999},
		{"tokenbucket-mutex", []phase{{5 * time.Second, 2 * time.Second}}, 0.999},
		{"gcra", []phase{{5 * time.Second, 2 * time.Second}}, 0.999},
		{"leakybucket", []phase{{5 * time.Second, 2 * time.Second}}, 0.999},
		{"xrate", []phase{{5 * time.Second, 2 * time.Second}}, 0.999},
		{"throttled", []phase{{5 * time.Second, 2 * time.Second}}, 0.999},
		// L at the end of window 0 and L more at the start of window 1.
		{"fixedwindow", []phase{{900 * time.Millisecond, 300 * time.Millisecond}}, 1},
		// L at the end of window 0 (nothing before to weigh), then window 1 admits
		// as its estimate lets it: close to 2L in the window between.
		{"slidingcounter", []phase{{990 * time.Millisecond, 2 * time.Second}}, 0.99},
		{"slidinglog", []phase{{0, 3 * time.Second}}, 1},
		{"multi", []phase{{5 * time.Second, 2 * time.Second}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name+" reaches the bound it states", func(t *testing.T) {
			clk := newFakeClock()
			lim, _ := newLimiter(t, tt.name, impls.Config{Now: clk.Now})
			b := boundOfT(t, lim)
			got, most := maxIn(demand(lim, clk, tt.phases...), w), b.Max(time.Duration(w))
			if float64(got) > most || float64(got) < tt.least*most {
				t.Errorf("worst window %d, want between %.3g·%v and %v (%s)", got, tt.least, most, most, b.Rule)
			}
		})
	}
}

func TestEveryLimiterSustainsTheRateItStates(t *testing.T) {
	for _, a := range allowAlgorithms {
		for _, c := range boundConfigs {
			t.Run(a.name+" at "+c.name, func(t *testing.T) {
				clk := newFakeClock()
				cfg := c.cfg
				cfg.Now = clk.Now
				lim, _ := newLimiter(t, a.name, cfg)
				b := boundOfT(t, lim)
				w := int64(b.Window)
				if w == 0 {
					w = int64(time.Second)
				}
				// From construction, as when there is no warm-up: the steady span
				// the harness reads is [W, 3W), after the start-up.
				adm := demand(lim, clk, phase{0, time.Duration(4 * w)})
				want := b.Rate * 2 * float64(w) / 1e9
				if got := countIn(adm, w, 3*w); math.Abs(float64(got)-want) > 1 {
					t.Errorf("%d admitted in [W, 3W), want the stated %.6g/s · 2W = %.1f (±1)", got, b.Rate, want)
				}
				if limit := cfg.Limit; limit == 0 {
					cfg.Limit = DefaultLimit
				}
				if math.Abs(b.Rate-cfg.Limit)/cfg.Limit > 1e-3 {
					t.Errorf("stated rate %v, want the limit %v within rounding", b.Rate, cfg.Limit)
				}
			})
		}
	}
}

func TestSlidingCounterFirstWindowTransientIsAsDocumented(t *testing.T) {
	// Built 500 ms before measuring, as with -warmup 500ms under demand: its first
	// window's L go at once, then nothing until the second window, then L/W
	// evenly. Measured over [0.5 s, 3.5 s) it reads 2.5 L in 3 s; over the steady
	// span [1.5 s, 3.5 s) of its life, exactly L/W.
	clk := newFakeClock()
	lim, s := newLimiter(t, "slidingcounter", impls.Config{Now: clk.Now})
	adm := demand(lim, clk, phase{0, 4 * time.Second})
	sec := int64(time.Second)
	if first := countIn(adm, 0, sec/100); first != s.perWindow {
		t.Errorf("first 10 ms admitted %d, want all of L = %d", first, s.perWindow)
	}
	if rest := countIn(adm, sec/100, sec); rest != 0 {
		t.Errorf("rest of the first window admitted %d, want 0", rest)
	}
	if got, want := countIn(adm, sec/2, 7*sec/2), 5*s.perWindow/2; math.Abs(float64(got-want)) > 1 {
		t.Errorf("[0.5 s, 3.5 s) admitted %d, want 2.5 L = %d", got, want)
	}
	if got, want := countIn(adm, 3*sec/2, 7*sec/2), 2*s.perWindow; math.Abs(float64(got-want)) > 1 {
		t.Errorf("[1.5 s, 3.5 s) admitted %d, want 2 L = %d", got, want)
	}
	if b := boundOfT(t, lim); b.Transient == "" {
		t.Error("the sliding counter does not state its transient")
	}
}

// sleepingClock is the fake clock for go.uber.org/ratelimit, whose Take sleeps:
// sleeping moves fake time.
type sleepingClock struct{ *fakeClock }

func (c sleepingClock) Sleep(d time.Duration) { c.advance(int64(d)) }

func TestUberKeepsToTheBoundItStates(t *testing.T) {
	for _, c := range boundConfigs {
		t.Run(c.name, func(t *testing.T) {
			s, err := parseConfig(c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			clk := newFakeClock()
			u := newUberOn(s, sleepingClock{clk})
			b := u.AdmissionBound()
			w := int64(time.Second)
			if c.cfg.Window > 0 {
				w = int64(c.cfg.Window)
			}
			// Saturating: WaitN back to back for 4 windows, after one idle window
			// so the slack is banked, then idle again and 2 more windows.
			var adm []admission
			wait := func(until int64) {
				for clk.offset() < until {
					if err := u.WaitN(context.Background(), 1); err != nil {
						t.Fatal(err)
					}
					adm = append(adm, admission{clk.offset(), 1})
				}
			}
			clk.advance(w)
			wait(5 * w)
			clk.advance(3 * w)
			wait(10 * w)
			for _, win := range []int64{w / 2, w, 2 * w} {
				if got, most := maxIn(adm, win), b.Max(time.Duration(win)); float64(got) > most+1e-6 {
					t.Errorf("%d admitted in a %v window, above its stated %s = %v", got, time.Duration(win), b.Rule, most)
				}
			}
			if got, want := countIn(adm, 2*w, 4*w), b.Rate*2*float64(w)/1e9; math.Abs(float64(got)-want) > 1 {
				t.Errorf("%d admitted in [2W, 4W), want the stated rate's %.1f", got, want)
			}
			// The slack is what makes the bound b + r·w rather than r·w.
			if got := maxIn(adm, w); float64(got) < b.Max(time.Duration(w))-2 {
				t.Errorf("worst window %d, want its bound %v reached after an idle", got, b.Max(time.Duration(w)))
			}
		})
	}
}

func TestTargetsStateTheirLimitersBound(t *testing.T) {
	clk := newFakeClock()
	for _, a := range algorithms {
		t.Run(a.name, func(t *testing.T) {
			var mode impls.Mode
			if waitOnly[a.name] {
				mode = ModeWait
			}
			for _, keys := range []int{1, 100} {
				impl, _ := impls.Lookup(a.name)
				tg, err := impl.New(impls.Config{Now: clk.Now, Mode: mode, Keys: keys})
				if err != nil {
					t.Fatal(err)
				}
				b, ok := tg.(impls.Bounded)
				if !ok || !b.AdmissionBound().Stated() {
					t.Fatalf("the %s target states no bound", a.name)
				}
				bound := b.AdmissionBound()
				if bound.PerKey != (keys > 1) {
					t.Errorf("%d keys: PerKey = %v", keys, bound.PerKey)
				}
				if keys > 1 && !bound.Origin.IsZero() {
					t.Errorf("keyed: origin %v, want none (each key starts its own)", bound.Origin)
				}
				if _, aligned := bound.AlignedMax(); keys == 1 && aligned != (a.name == "fixedwindow" || a.name == "slidingcounter") {
					t.Errorf("aligned-window bound: %v", aligned)
				}
				tg.Close()
			}
		})
	}
}
