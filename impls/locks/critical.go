package locks

import (
	"time"

	"github.com/syncbench/syncbench/impls"
)

// criticalSection models the work a caller does while holding the lock: Op.Work
// of busy CPU time, then Op.Hold of sleeping (a lock held across I/O). The test
// for "neither" is small enough to inline, so an op without work pays no call.
func criticalSection(op impls.Op) {
	if op.Work > 0 || op.Hold > 0 {
		workAndHold(op.Work, op.Hold)
	}
}

func workAndHold(work, hold time.Duration) {
	impls.BusyWork(work)
	if hold > 0 {
		time.Sleep(hold)
	}
}
