package impls

import (
	"context"
	"time"
)

// Hold sleeps for d, modelling a lock or semaphore held across I/O, and ends
// early when ctx is done: an interrupted run must not wait out every worker's
// hold (with -hold 3s, a SIGINT would take seconds to stop). It reports whether
// the whole d was slept; d <= 0 returns true at once. Safe for concurrent use.
func Hold(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	if ctx.Done() == nil { // context.Background: nothing can end it early
		time.Sleep(d)
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}
