package limiters

import (
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

var (
	fuzzLimits  = []float64{1, 3, 10, 1000, 7919, 100_000}
	fuzzWindows = []time.Duration{time.Millisecond, 10 * time.Millisecond, time.Second, 3 * time.Second}
)

// FuzzEnvelope drives a limiter chosen by algo with a limit, burst and window
// chosen by the other bytes, through an arrival sequence: each pair of bytes in
// arrivals is a gap (in sixteenths of T) and a request size (1..burst+2). It checks
// that requests above the burst are refused and that the admissions keep the
// algorithm's envelope, on the fake clock.
func FuzzEnvelope(f *testing.F) {
	for algo := range len(allowAlgorithms) {
		f.Add(uint8(algo), uint8(3), uint8(9), uint8(2), []byte{0, 0, 0, 1, 0, 5, 16, 0, 16, 3, 1, 0, 200, 9, 0, 0, 0, 0})
		f.Add(uint8(algo), uint8(1), uint8(0), uint8(3), []byte{0, 0, 5, 0, 11, 0, 16, 1, 17, 0, 0, 0, 255, 0, 3, 0})
		f.Add(uint8(algo), uint8(5), uint8(63), uint8(1), []byte{0, 40, 0, 63, 1, 1, 2, 2, 3, 3, 0, 64, 32, 64, 8, 8})
	}
	f.Fuzz(func(t *testing.T, algo, limitSel, burst, windowSel uint8, arrivals []byte) {
		a := allowAlgorithms[int(algo)%len(allowAlgorithms)]
		clk := newFakeClock()
		cfg := impls.Config{
			Now:    clk.Now,
			Limit:  fuzzLimits[int(limitSel)%len(fuzzLimits)],
			Burst:  1 + int(burst%64),
			Window: fuzzWindows[int(windowSel)%len(fuzzWindows)],
		}
		s, err := parseConfig(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if a.promise&(slidingWindow|alignedWindow) != 0 && (s.perWindow < 1 || s.perWindow > 100_000) {
			t.Skip("window admits no event, or the log would be large")
		}
		lim, err := algorithm(t, a.name)(s, cfg.Now)
		if err != nil {
			t.Fatal(err)
		}
		var adm []admission
		for i := 0; i+1 < len(arrivals); i += 2 {
			clk.advance(int64(arrivals[i]) * s.interval / 16)
			n := 1 + int64(arrivals[i+1])%(s.burst+2)
			ok := lim.AllowN(n)
			if ok && n > s.burst {
				t.Fatalf("%s admitted %d events, above its burst %d", a.name, n, s.burst)
			}
			if ok {
				adm = append(adm, admission{clk.offset(), n})
			}
		}
		checkPromise(t, a.promise, adm, s, 0, false)
	})
}
