package locks

import (
	"sync"

	"github.com/syncbench/syncbench/impls"
)

// rwmutexTarget guards the count with a sync.RWMutex through the public Locker
// adapter, which takes RLock for reads: reads run in parallel with each other
// and only writes are exclusive.
type rwmutexTarget struct {
	lockerTarget
	mu sync.RWMutex
}

func init() {
	impls.Register(impls.Impl{
		Name:    "rwmutex",
		Family:  impls.FamilyLocks,
		Summary: "sync.RWMutex around a counter: shared reads, exclusive writes",
		New: func(cfg impls.Config) (impls.Target, error) {
			t := &rwmutexTarget{}
			t.lockerTarget = *newLockerTarget("rwmutex", &t.mu, cfg)
			return t, nil
		},
	})
}
