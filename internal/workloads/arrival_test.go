package workloads

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// take returns the offsets a yields before `until` (or until it ends), with at most
// limit of them so a broken schedule cannot hang the test.
func take(t *testing.T, a Arrivals, until time.Duration, limit int) []time.Duration {
	t.Helper()
	var out []time.Duration
	for len(out) < limit {
		d, ok := a.Next()
		if !ok || d >= until {
			break
		}
		out = append(out, d)
	}
	return out
}

// countIn returns how many offsets fall in [from, to).
func countIn(offsets []time.Duration, from, to time.Duration) int {
	n := 0
	for _, d := range offsets {
		if d >= from && d < to {
			n++
		}
	}
	return n
}

func TestEverySchedule(t *testing.T) {
	stages, _ := ParseStages("1000x1s,0x500ms,3000x1s")
	cases := []struct {
		name string
		a    func() Arrivals
		mean float64 // nominal mean rate over the first 2.5 s
	}{
		{"constant", func() Arrivals { return constantArrivals{Constant(2000), 2000} }, 2000},
		{"poisson", func() Arrivals { return Poisson(2000, 7) }, 2000},
		{"ramp", func() Arrivals { return Ramp(0, 4000, 2500*time.Millisecond) }, 2000},
		{"step", func() Arrivals { return Step(stages) }, 1600},
		{"sine", func() Arrivals { return Sine(2000, 2000, 500*time.Millisecond) }, 2000},
		{"burst", func() Arrivals { return Burst(8000, 25*time.Millisecond, 75*time.Millisecond) }, 2000},
	}
	const span = 2500 * time.Millisecond
	for _, c := range cases {
		t.Run(c.name+" never goes back in time", func(t *testing.T) {
			offs := take(t, c.a(), span, 1e6)
			for i := 1; i < len(offs); i++ {
				if offs[i] < offs[i-1] {
					t.Fatalf("offset %d = %v is before offset %d = %v", i, offs[i], i-1, offs[i-1])
				}
			}
		})
		t.Run(c.name+" offers its nominal mean rate", func(t *testing.T) {
			got := float64(len(take(t, c.a(), span, 1e6))) / span.Seconds()
			// Poisson counts vary by √n ≈ 70 of 5000; the deterministic shapes are
			// exact to an arrival or two.
			if math.Abs(got-c.mean) > 0.04*c.mean {
				t.Errorf("achieved %.1f ops/s over %v, want %.0f ±4%%", got, span, c.mean)
			}
			mr, ok := MeanRate(c.a(), span)
			if !ok || math.Abs(mr-c.mean) > 0.001*c.mean {
				t.Errorf("MeanRate = %v, %v; want %v", mr, ok, c.mean)
			}
		})
	}
}

func TestPoisson(t *testing.T) {
	const rate, n = 10000.0, 200000
	offs := take(t, Poisson(rate, 42), time.Duration(math.MaxInt64), n)
	gaps := make([]float64, n)
	prev := time.Duration(0)
	for i, d := range offs {
		gaps[i] = (d - prev).Seconds()
		prev = d
	}
	var sum, sumSq float64
	for _, g := range gaps {
		sum += g
		sumSq += g * g
	}
	mean := sum / n
	sd := math.Sqrt(sumSq/n - mean*mean)

	t.Run("mean gap is 1/rate", func(t *testing.T) {
		// Standard error of the mean is 0.22% at n = 200k; 1% is 4.5 σ.
		if want := 1 / rate; math.Abs(mean-want) > 0.01*want {
			t.Errorf("mean gap %.3gs, want %.3gs ±1%%", mean, want)
		}
	})
	t.Run("gaps vary as much as they average, like an exponential", func(t *testing.T) {
		if cv := sd / mean; math.Abs(cv-1) > 0.02 {
			t.Errorf("coefficient of variation %.4f, want 1 ±0.02", cv)
		}
	})
	t.Run("gaps pass a Kolmogorov-Smirnov test against Exp(rate)", func(t *testing.T) {
		sorted := append([]float64(nil), gaps...)
		slices.Sort(sorted)
		var d float64
		for i, g := range sorted {
			cdf := 1 - math.Exp(-rate*g)
			d = max(d, math.Abs(cdf-float64(i)/n), math.Abs(cdf-float64(i+1)/n))
		}
		// Critical value at α = 0.001 is 1.95/√n.
		if crit := 1.95 / math.Sqrt(n); d > crit {
			t.Errorf("KS statistic %.5f > critical %.5f", d, crit)
		}
	})
	t.Run("the same seed gives the same offsets", func(t *testing.T) {
		a, b := Poisson(100, 3), Poisson(100, 3)
		for i := range 1000 {
			x, _ := a.Next()
			y, _ := b.Next()
			if x != y {
				t.Fatalf("offset %d differs: %v vs %v", i, x, y)
			}
		}
	})
	t.Run("another seed gives other offsets", func(t *testing.T) {
		x, _ := Poisson(100, 3).Next()
		y, _ := Poisson(100, 4).Next()
		if x == y {
			t.Errorf("seeds 3 and 4 both start at %v", x)
		}
	})
	t.Run("a non-positive rate gives an empty schedule", func(t *testing.T) {
		for _, r := range []float64{0, -1, math.NaN(), math.Inf(1)} {
			if _, ok := Poisson(r, 1).Next(); ok {
				t.Errorf("Poisson(%v) yielded an arrival", r)
			}
		}
	})
}

func TestRamp(t *testing.T) {
	const from, to = 1000.0, 5000.0
	over := 10 * time.Second
	offs := take(t, Ramp(from, to, over), 12*time.Second, 1e6)
	window := 100 * time.Millisecond
	rateIn := func(start time.Duration) float64 {
		return float64(countIn(offs, start, start+window)) / window.Seconds()
	}
	t.Run("starts at the from rate", func(t *testing.T) {
		// The mean over the first 100 ms is from + (to−from)·0.05/10 = 1020.
		if got := rateIn(0); math.Abs(got-1020) > 20 {
			t.Errorf("rate in the first %v = %.0f, want ≈1020", window, got)
		}
	})
	t.Run("ends at the to rate", func(t *testing.T) {
		if got := rateIn(over - window); math.Abs(got-4980) > 20 {
			t.Errorf("rate in the last %v of the ramp = %.0f, want ≈4980", window, got)
		}
	})
	t.Run("holds the to rate afterwards with exact gaps", func(t *testing.T) {
		after := offs[len(offs)-100:]
		for i := 1; i < len(after); i++ {
			if gap := after[i] - after[i-1]; gap < 199*time.Microsecond || gap > 201*time.Microsecond {
				t.Fatalf("gap %v after the ramp, want 200µs", gap)
			}
		}
	})
	t.Run("offers the integral of the rate", func(t *testing.T) {
		want := (from+to)/2*10 + to*2
		if got := float64(len(offs)); math.Abs(got-want) > 2 {
			t.Errorf("%v arrivals in 12s, want %v", got, want)
		}
	})
	t.Run("ramps down as well as up", func(t *testing.T) {
		down := take(t, Ramp(to, from, over), over, 1e6)
		first := countIn(down, 0, time.Second)
		last := countIn(down, over-time.Second, over)
		if first < 4500 || last > 1500 {
			t.Errorf("first second %d arrivals, last second %d; want ≈4800 then ≈1200", first, last)
		}
	})
	t.Run("a ramp down to zero ends instead of hanging", func(t *testing.T) {
		got := take(t, Ramp(100, 0, time.Second), time.Hour, 1e6)
		if len(got) != 51 { // arrivals 0..50 of the 50 the ramp holds
			t.Errorf("%d arrivals, want 51", len(got))
		}
	})
	t.Run("a ramp of zero rates is empty", func(t *testing.T) {
		if _, ok := Ramp(0, 0, time.Second).Next(); ok {
			t.Error("Ramp(0, 0) yielded an arrival")
		}
	})
	t.Run("no ramp length holds the final rate from the start", func(t *testing.T) {
		got := take(t, Ramp(10, 1000, 0), time.Second, 1e6)
		if len(got) != 1000 {
			t.Errorf("%d arrivals in 1s, want 1000", len(got))
		}
	})
	t.Run("reports its rate along the ramp", func(t *testing.T) {
		r := Ramp(from, to, over).(RateReporter)
		for _, c := range []struct {
			at   time.Duration
			want float64
		}{{-time.Second, 0}, {0, from}, {5 * time.Second, 3000}, {over, to}, {time.Hour, to}} {
			if got := r.RateAt(c.at); got != c.want {
				t.Errorf("RateAt(%v) = %v, want %v", c.at, got, c.want)
			}
		}
	})
}

func TestStep(t *testing.T) {
	stages := []Stage{{1000, time.Second}, {0, 500 * time.Millisecond}, {2000, time.Second}, {0.5, time.Second}, {0.5, time.Second}}
	offs := take(t, Step(stages), time.Hour, 1e6)
	for _, c := range []struct {
		name     string
		from, to time.Duration
		want     int
	}{
		{"the first stage holds rate×duration arrivals", 0, time.Second, 1000},
		{"a zero-rate stage is a pause", time.Second, 1500 * time.Millisecond, 0},
		{"the next stage starts after the pause", 1500 * time.Millisecond, 2500 * time.Millisecond, 2000},
		{"fractional arrivals carry over between stages", 2500 * time.Millisecond, 4500 * time.Millisecond, 1},
		{"the schedule ends after the last stage", 4500 * time.Millisecond, time.Hour, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := countIn(offs, c.from, c.to); got != c.want {
				t.Errorf("%d arrivals in [%v, %v), want %d", got, c.from, c.to, c.want)
			}
		})
	}
	t.Run("span is the sum of the stages", func(t *testing.T) {
		if got := Step(stages).(Finite).Span(); got != 4500*time.Millisecond {
			t.Errorf("Span = %v, want 4.5s", got)
		}
	})
	t.Run("only pauses is empty and does not hang", func(t *testing.T) {
		if _, ok := Step([]Stage{{0, time.Second}, {-5, time.Second}}).Next(); ok {
			t.Error("a schedule of pauses yielded an arrival")
		}
	})
}

func TestParseStages(t *testing.T) {
	good, err := ParseStages(" 1000x5s, 2e3x1m ,0x100ms")
	if err != nil {
		t.Fatal(err)
	}
	want := []Stage{{1000, 5 * time.Second}, {2000, time.Minute}, {0, 100 * time.Millisecond}}
	if len(good) != len(want) {
		t.Fatalf("got %v, want %v", good, want)
	}
	for i := range want {
		if good[i] != want[i] {
			t.Errorf("stage %d = %v, want %v", i, good[i], want[i])
		}
	}
	for _, c := range []struct{ in, wantErr string }{
		{"", "empty"},
		{"1000", `stage 1 "1000": missing 'x'`},
		{"1000x5s,fastx5s", `stage 2 "fastx5s": rate "fast"`},
		{"-1x5s", "not a non-negative number"},
		{"1000x5", `duration "5" is not a positive Go duration`},
		{"1000x0s", "positive"},
		{"1000x5s,", `stage 2 ""`},
	} {
		t.Run("rejects "+c.in, func(t *testing.T) {
			_, err := ParseStages(c.in)
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("error %v, want it to contain %q", err, c.wantErr)
			}
		})
	}
}

func TestSine(t *testing.T) {
	const mean = 1000.0
	period := time.Second
	offs := take(t, Sine(mean, 500, period), 10*time.Second, 1e6)
	t.Run("whole periods average the mean", func(t *testing.T) {
		if math.Abs(float64(len(offs))-10*mean) > 2 {
			t.Errorf("%d arrivals in 10 periods, want %v", len(offs), 10*mean)
		}
	})
	t.Run("the rate peaks at a quarter period and dips at three quarters", func(t *testing.T) {
		w := 50 * time.Millisecond
		peak := float64(countIn(offs, period/4-w/2, period/4+w/2)) / w.Seconds()
		dip := float64(countIn(offs, 3*period/4-w/2, 3*period/4+w/2)) / w.Seconds()
		if math.Abs(peak-1500) > 40 || math.Abs(dip-500) > 40 {
			t.Errorf("peak %.0f ops/s, dip %.0f; want ≈1500 and ≈500", peak, dip)
		}
	})
	t.Run("an amplitude equal to the mean touches zero without stalling", func(t *testing.T) {
		got := take(t, Sine(mean, mean, period), 5*time.Second, 1e6)
		if math.Abs(float64(len(got))-5*mean) > 2 {
			t.Errorf("%d arrivals in 5 periods, want %v", len(got), 5*mean)
		}
	})
	t.Run("an amplitude above the mean is clamped", func(t *testing.T) {
		if got := Sine(mean, 3*mean, period).(RateReporter).RateAt(3 * period / 4); got < 0 || got > 1e-9 {
			t.Errorf("rate at the trough %v, want 0", got)
		}
	})
	t.Run("stays accurate far into a long run", func(t *testing.T) {
		s := Sine(1e5, 5e4, time.Minute).(*sineArrivals)
		s.i, s.t = 1e10, s.solve(1e10)
		d1, _ := s.Next()
		d2, _ := s.Next()
		if gap := d2 - d1; gap < 5*time.Microsecond || gap > 25*time.Microsecond {
			t.Errorf("gap %v at 1e10 arrivals, want about 10µs", gap)
		}
	})
}

func TestBurst(t *testing.T) {
	on, off := 10*time.Millisecond, 40*time.Millisecond
	offs := take(t, Burst(10000, on, off), time.Second, 1e6)
	t.Run("no arrivals fall in off periods", func(t *testing.T) {
		for _, d := range offs {
			if d%(on+off) >= on {
				t.Fatalf("arrival at %v is %v into a cycle, after the %v on period", d, d%(on+off), on)
			}
		}
	})
	t.Run("each on period holds rate×on arrivals", func(t *testing.T) {
		if len(offs) != 20*100 {
			t.Errorf("%d arrivals in 20 cycles, want 2000", len(offs))
		}
	})
	t.Run("fractional bursts keep the mean rate", func(t *testing.T) {
		got := take(t, Burst(5, 100*time.Millisecond, 100*time.Millisecond), 100*time.Second, 1e6)
		if len(got) != 250 {
			t.Errorf("%d arrivals in 100s, want 250", len(got))
		}
	})
	t.Run("reports on and off rates", func(t *testing.T) {
		r := Burst(10000, on, off).(RateReporter)
		if r.RateAt(5*time.Millisecond) != 10000 || r.RateAt(20*time.Millisecond) != 0 {
			t.Errorf("RateAt on = %v, off = %v", r.RateAt(5*time.Millisecond), r.RateAt(20*time.Millisecond))
		}
	})
	t.Run("a zero on period is empty", func(t *testing.T) {
		if _, ok := Burst(100, 0, time.Second).Next(); ok {
			t.Error("Burst with no on period yielded an arrival")
		}
	})
}
