package locks

import (
	"time"

	"github.com/syncbench/syncbench/impls"
)

// criticalSection models the work a caller does while holding the lock: Op.Work
// of busy CPU time, then Op.Hold of sleeping (a lock held across I/O).
func criticalSection(op impls.Op) {
	impls.BusyWork(op.Work)
	if op.Hold > 0 {
		time.Sleep(op.Hold)
	}
}
