package limiters

import (
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// BenchmarkAllow measures one Allow call on the real clock from b.RunParallel
// goroutines (-cpu sets how many), in two regimes:
//
//   - regime=admit: limit 1e9/s (one token per ns), so nearly every call admits and
//     writes the limiter's state — the contended-write path.
//   - regime=deny: limit 1/s, burst 1, drained before timing, so every call is
//     refused — the read-mostly path of an exhausted limiter under overload.
//
// The admit/op metric is the fraction admitted, to confirm the regime. Every
// limiter is called through a method value, x/time/rate as rate.Limiter.Allow
// itself, so the call overhead is the same for all.
func BenchmarkAllow(b *testing.B) {
	regimes := []struct {
		name string
		cfg  impls.Config
	}{
		{"admit", impls.Config{Limit: 1e9, Burst: 1000, Window: time.Millisecond}},
		{"deny", impls.Config{Limit: 1, Burst: 1, Window: time.Second}},
	}
	for _, a := range allowAlgorithms {
		for _, r := range regimes {
			b.Run("impl="+a.name+"/regime="+r.name, func(b *testing.B) {
				lim, _ := newLimiter(b, a.name, r.cfg)
				allow := allowFunc(lim)
				if r.name == "deny" {
					for allow() {
					}
				}
				var admitted, calls int64
				done := make(chan [2]int64, 64)
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					var ok, n int64
					for pb.Next() {
						if allow() {
							ok++
						}
						n++
					}
					done <- [2]int64{ok, n}
				})
				b.StopTimer()
				close(done)
				for c := range done {
					admitted += c[0]
					calls += c[1]
				}
				b.ReportMetric(float64(admitted)/float64(max(calls, 1)), "admit/op")
			})
		}
	}
}

// allowFunc returns the cheapest way to ask lim for one event.
func allowFunc(lim Limiter) func() bool {
	switch l := lim.(type) {
	case *TokenBucket:
		return l.Allow
	case *GCRA:
		return l.Allow
	case *XRate:
		return l.lim.Allow // the library's own Allow: time.Now plus its mutex
	case interface{ Allow() bool }:
		return l.Allow
	}
	return func() bool { return lim.AllowN(1) }
}
