package semaphores

import (
	"fmt"
	"math"

	marusama "github.com/marusama/semaphore/v2"
	"github.com/syncbench/syncbench/impls"
	"golang.org/x/sync/semaphore"
)

func init() {
	for _, impl := range []impls.Impl{
		{
			Name:    "chansem",
			Summary: "buffered channel of tokens (weight w = w sends under a turn)",
			New:     semaphoreTarget("chansem", func(c int64) Semaphore { return newChanSem(c) }),
		},
		{
			Name:    "weighted",
			Summary: "golang.org/x/sync/semaphore.Weighted (FIFO, mutex + list)",
			New:     semaphoreTarget("weighted", func(c int64) Semaphore { return semaphore.NewWeighted(c) }),
		},
		{
			Name:    "fifo",
			Summary: "syncbench's own strict-FIFO weighted semaphore with a lock-free fast path",
			New: func(cfg impls.Config) (impls.Target, error) {
				return newSemaphoreTarget("fifo", cfg, MaxFIFOSize, func(c int64) Semaphore { return NewFIFO(c) })
			},
		},
		{
			Name:    "condsem",
			Summary: "sync.Cond monitor over a weight count (broadcast on every release)",
			New:     semaphoreTarget("condsem", func(c int64) Semaphore { return newCondSem(c) }),
		},
		{
			Name:    "errgroup",
			Summary: "golang.org/x/sync/errgroup Group.SetLimit: weight 1 only, no timeout",
			New: func(cfg impls.Config) (impls.Target, error) {
				s, err := parseConfig("errgroup", cfg)
				if err != nil {
					return nil, err
				}
				return newErrgroupTarget(s), nil
			},
		},
		{
			Name:    "marusama",
			Summary: "github.com/marusama/semaphore/v2 (CAS, broadcast wake-ups)",
			New: func(cfg impls.Config) (impls.Target, error) {
				return newSemaphoreTarget("marusama", cfg, maxMarusamaCapacity, func(c int64) Semaphore {
					return marusamaSem{marusama.New(int(c))}
				})
			},
		},
	} {
		impl.Family = impls.FamilySemaphores
		impls.Register(impl)
	}
}

// semaphoreTarget returns a constructor for a semaphore with no size limit of its
// own beyond int64.
func semaphoreTarget(impl string, build func(capacity int64) Semaphore) func(impls.Config) (impls.Target, error) {
	return func(cfg impls.Config) (impls.Target, error) {
		return newSemaphoreTarget(impl, cfg, math.MaxInt, build)
	}
}

// newSemaphoreTarget validates cfg, checks the capacity against what the
// implementation can represent, and builds the target.
func newSemaphoreTarget(impl string, cfg impls.Config, maxCapacity int64, build func(capacity int64) Semaphore) (impls.Target, error) {
	s, err := parseConfig(impl, cfg)
	if err != nil {
		return nil, err
	}
	if s.capacity > maxCapacity {
		return nil, fmt.Errorf("%s: capacity %d is too large (allowed: up to %d)", impl, s.capacity, maxCapacity)
	}
	return newTarget(impl, s, build(s.capacity)), nil
}
