package locks

import (
	"context"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// criticalSection models the work a caller does while holding the lock: Op.Work
// of busy CPU time, then Op.Hold of sleeping (a lock held across I/O), which
// ends early when ctx is done so an interrupt is not held up. The test for
// "neither" is small enough to inline, so an op without work pays no call.
func criticalSection(ctx context.Context, op impls.Op) {
	if op.Work > 0 || op.Hold > 0 {
		workAndHold(ctx, op.Work, op.Hold)
	}
}

func workAndHold(ctx context.Context, work, hold time.Duration) {
	impls.BusyWork(work)
	impls.Hold(ctx, hold)
}
