package locks

import (
	"sync"

	"github.com/syncbench/syncbench/impls"
)

// mutexTarget guards the count with a sync.Mutex through the public Locker
// adapter: reads and writes alike are exclusive. It is the baseline every other
// lock is compared with. The mutex sits right after the count, so the one cache
// line a holder takes holds both.
type mutexTarget struct {
	lockerTarget
	mu sync.Mutex
}

func init() {
	impls.Register(impls.Impl{
		Name:    "mutex",
		Family:  impls.FamilyLocks,
		Summary: "sync.Mutex around a counter: reads and writes both exclusive",
		New: func(cfg impls.Config) (impls.Target, error) {
			t := &mutexTarget{}
			t.lockerTarget = *newLockerTarget("mutex", &t.mu, cfg)
			return t, nil
		},
	})
}
