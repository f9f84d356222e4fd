package impls

import "time"

// BusyWork spins for d without yielding the processor, modelling CPU work inside a
// critical section. It reads the monotonic clock, so its granularity is that of
// time.Since (tens of nanoseconds); d <= 0 returns at once.
func BusyWork(d time.Duration) {
	if d <= 0 {
		return
	}
	start := time.Now()
	for time.Since(start) < d {
	}
}
