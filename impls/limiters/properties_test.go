package limiters

import (
	"math"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// promise says which envelope an algorithm guarantees.
type promise int

const (
	rateEnvelope  promise = 1 << iota // at most ⌊b + t/T⌋ in any window t; at least b + t/T − 1 when saturated
	slidingWindow                     // at most L in every window of length Window
	alignedWindow                     // at most L in every aligned window
	rateUpperOnly                     // at most ⌊b + t/T⌋, no lower bound (combined with a window cap)
	// exactRate marks a limiter computing with the exact rate in floating point
	// (x/time/rate) rather than our T = ⌈1e9/Limit⌉ ns: its envelope uses
	// T = ⌊1e9/Limit⌋, as loose as the rounding.
	exactRate
)

// allowAlgorithms are the algorithms that answer without blocking, with their
// promises. uber is wait-only and tested separately.
var allowAlgorithms = []struct {
	name    string
	promise promise
}{
	{"tokenbucket", rateEnvelope},
	{"tokenbucket-mutex", rateEnvelope},
	{"leakybucket", rateEnvelope},
	{"gcra", rateEnvelope},
	{"xrate", rateEnvelope | exactRate},
	{"throttled", rateEnvelope},
	{"fixedwindow", alignedWindow},
	{"slidinglog", slidingWindow},
	{"slidingcounter", alignedWindow},
	{"multi", rateUpperOnly | slidingWindow},
}

// checkPromise fails t if adm breaks the algorithm's promise. end is the instant of
// the last (saturating) attempt, for the lower bound.
func checkPromise(t *testing.T, p promise, adm []admission, s settings, end int64, saturated bool) {
	t.Helper()
	if p&exactRate != 0 {
		s.interval = int64(1e9 / s.limit)
	}
	if p&(rateEnvelope|rateUpperOnly) != 0 {
		if where, bad := rateEnvelopeViolation(adm, s.burst, s.interval); bad {
			t.Errorf("more than ⌊burst + t/T⌋ (burst %d, T %v): %s", s.burst, time.Duration(s.interval), where)
		}
	}
	if p&rateEnvelope != 0 && saturated {
		if min := float64(s.burst) + float64(end)/float64(s.interval) - 1; float64(total(adm)) < min {
			t.Errorf("admitted %d under saturating demand, want at least b + t/T − 1 = %.1f", total(adm), min)
		}
	}
	if p&slidingWindow != 0 {
		if where, bad := slidingViolation(adm, s.window, s.perWindow); bad {
			t.Errorf("more than L = %d in a sliding window of %v: %s", s.perWindow, time.Duration(s.window), where)
		}
	}
	if p&alignedWindow != 0 {
		if where, bad := alignedViolation(adm, s.window, s.perWindow); bad {
			t.Errorf("more than L = %d: %s", s.perWindow, where)
		}
	}
}

func TestEnvelopeUnderSaturatingDemand(t *testing.T) {
	configs := []struct {
		name  string
		cfg   impls.Config
		steps int
		step  time.Duration
	}{
		{"the default 1000/s with burst 100, asked every 0.3 ms", impls.Config{}, 5000, 300 * time.Microsecond},
		// With burst 1 a token is lost unless asked for the instant it accrues
		// (a full bucket stops filling), so the step divides T.
		{"10/s with burst 1, asked every 25 ms", impls.Config{Limit: 10, Burst: 1}, 400, 25 * time.Millisecond},
		{"3/s (T not a whole ns) with burst 5, asked every 0.1 s", impls.Config{Limit: 3, Burst: 5, Window: 3 * time.Second}, 300, 100 * time.Millisecond},
		{"200k/s with burst 20000 (packed time unit above 1 ns), asked every 7 µs", impls.Config{Limit: 200_000, Burst: 20_000, Window: 100 * time.Millisecond}, 3000, 7 * time.Microsecond},
	}
	for _, c := range configs {
		for _, a := range allowAlgorithms {
			t.Run(a.name+" keeps its envelope at "+c.name, func(t *testing.T) {
				clk := newFakeClock()
				cfg := c.cfg
				cfg.Now = clk.Now
				lim, s := newLimiter(t, a.name, cfg)
				adm := saturate(lim, clk, c.steps, int64(c.step), int(s.burst)+1)
				end := int64(c.steps-1) * int64(c.step)
				checkPromise(t, a.promise, adm, s, end, true)
			})
		}
	}
}

func TestEveryLimiterConvergesToItsLimit(t *testing.T) {
	const seconds = 60
	for _, a := range allowAlgorithms {
		t.Run(a.name+" admits the limit, ±1%, over a long saturated run", func(t *testing.T) {
			clk := newFakeClock()
			lim, s := newLimiter(t, a.name, clk.config())
			adm := saturate(lim, clk, seconds*1000, int64(time.Millisecond), int(s.burst)+1)
			rate := float64(total(adm)-s.burst) / seconds
			if math.Abs(rate-s.limit)/s.limit > 0.01 {
				t.Errorf("sustained rate %.1f/s, want %.0f/s ± 1%%", rate, s.limit)
			}
		})
	}
}

func TestEvenlySpacedLoadBelowTheLimitIsNeverRefused(t *testing.T) {
	for _, a := range allowAlgorithms {
		t.Run(a.name+" admits every event offered evenly at 80% of the limit", func(t *testing.T) {
			clk := newFakeClock()
			lim, s := newLimiter(t, a.name, clk.config())
			gap := int64(float64(time.Second) / (0.8 * s.limit))
			for i := range 10_000 {
				if !lim.AllowN(1) {
					t.Fatalf("event %d at %v refused", i, time.Duration(clk.offset()))
				}
				clk.advance(gap)
			}
		})
	}
}

func TestAllowNAboveTheBurstIsRefused(t *testing.T) {
	for _, a := range allowAlgorithms {
		t.Run(a.name+" refuses burst+1 events even when idle, and admits burst", func(t *testing.T) {
			clk := newFakeClock()
			cfg := clk.config()
			cfg.Burst = 10
			lim, _ := newLimiter(t, a.name, cfg)
			clk.advance(int64(time.Hour))
			if lim.AllowN(11) {
				t.Error("AllowN(burst+1) admitted")
			}
			if !lim.AllowN(10) {
				t.Error("AllowN(burst) refused on an idle limiter")
			}
			if !lim.AllowN(0) {
				t.Error("AllowN(0) refused")
			}
		})
	}
}

func TestFixedWindowLetsTwiceItsLimitThroughAStraddlingWindow(t *testing.T) {
	tests := []struct {
		name string
		want int64
	}{
		{"fixedwindow", 2000},    // L at the end of one window and L at the start of the next
		{"slidingcounter", 1000}, // the previous window's weight blocks the second L
		{"slidinglog", 1000},
		{"multi", 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name+" admits "+itoa(tt.want)+" within 2 ms across a window boundary", func(t *testing.T) {
			clk := newFakeClock()
			cfg := clk.config()
			cfg.Burst = 1000
			lim, _ := newLimiter(t, tt.name, cfg)
			clk.advance(int64(time.Second - time.Millisecond))
			var admitted int64
			for range 2 {
				for lim.AllowN(1) {
					admitted++
				}
				clk.advance(int64(time.Millisecond))
			}
			if admitted != tt.want {
				t.Errorf("admitted %d, want %d", admitted, tt.want)
			}
		})
	}
}

func TestReferenceAndOurBucketsAdmitTheSameEvents(t *testing.T) {
	// "Same accuracy": under identical demand our lock-free buckets admit what
	// x/time/rate admits.
	counts := map[string]int64{}
	for _, name := range []string{"xrate", "tokenbucket", "gcra", "tokenbucket-mutex"} {
		clk := newFakeClock()
		lim, s := newLimiter(t, name, clk.config())
		counts[name] = total(saturate(lim, clk, 20_000, int64(130*time.Microsecond), int(s.burst)+1))
	}
	for name, n := range counts {
		if d := n - counts["xrate"]; d < -1 || d > 1 {
			t.Errorf("%s admitted %d, x/time/rate %d", name, n, counts["xrate"])
		}
	}
}

func TestPackedTokenBucketSurvivesAnIdleLongerThanItsWrap(t *testing.T) {
	// The packed timestamp wraps; a bucket idle for longer must never admit more
	// than a full bucket.
	clk := newFakeClock()
	cfg := clk.config()
	cfg.Burst = 1<<24 - 1 // 24 token bits: time in 4096 ns units, wraps after 2^52 ns
	lim, s := newLimiter(t, "tokenbucket", cfg)
	for _, idle := range []int64{1 << 51, 1<<52 + 12345, 3 << 52} {
		clk.advance(idle)
		if lim.AllowN(s.burst) && lim.AllowN(1) {
			t.Errorf("after an idle of %v admitted more than the burst at once", time.Duration(idle))
		}
	}
}

func TestTimeSpentFullIsNotBanked(t *testing.T) {
	// Found by FuzzEnvelope: a bucket that sat full must not count that time
	// towards its next token.
	for _, a := range allowAlgorithms {
		if a.promise&(rateEnvelope|rateUpperOnly) == 0 {
			continue
		}
		t.Run(a.name+" refuses a second event 0.1 s after the first at 3/s with burst 1", func(t *testing.T) {
			clk := newFakeClock()
			lim, _ := newLimiter(t, a.name, impls.Config{Now: clk.Now, Limit: 3, Burst: 1, Window: 3 * time.Second})
			clk.advance(int64(290 * time.Millisecond))
			if !lim.AllowN(1) {
				t.Fatal("first event refused")
			}
			clk.advance(int64(100 * time.Millisecond))
			if lim.AllowN(1) {
				t.Error("second event admitted 100 ms after the first, T is 333 ms")
			}
		})
	}
}
