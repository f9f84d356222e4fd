package snapshots

import (
	"github.com/puzpuzpuz/xsync/v4"
	"github.com/syncbench/syncbench/impls"
)

func init() {
	// store returns the constructor of a built-in store: build makes it
	// around version 1 of the state; copies says whether its reloads copy.
	store := func(name string, copies float64, build func(*State) Store) func(impls.Config) (impls.Target, error) {
		return func(cfg impls.Config) (impls.Target, error) {
			keys, err := parseKeys(name, cfg)
			if err != nil {
				return nil, err
			}
			return newTarget(name, keys, cfg.Workers, build(initialState(keys)), copies), nil
		}
	}
	for _, impl := range []impls.Impl{
		{
			Name:    "snap-pointer",
			Summary: "copy-on-write behind atomic.Pointer: lock-free reads, a reload copies the state",
			New:     store("snap-pointer", 1, func(s *State) Store { return newPointerStore(s) }),
		},
		{
			Name:    "snap-value",
			Summary: "copy-on-write behind atomic.Value (an interface load and assertion per read)",
			New:     store("snap-value", 1, func(s *State) Store { return newValueStore(s) }),
		},
		{
			Name:    "snap-rwmutex",
			Summary: "sync.RWMutex: shared reads, a reload rewrites in place while readers wait",
			New:     store("snap-rwmutex", 0, func(s *State) Store { return &rwmutexStore{s: s} }),
		},
		{
			Name:    "snap-mutex",
			Summary: "sync.Mutex: reads exclude each other; a reload rewrites in place",
			New:     store("snap-mutex", 0, func(s *State) Store { return &mutexStore{s: s} }),
		},
		{
			Name:    "snap-rbmutex",
			Summary: "xsync v4 RBMutex (reader-biased): per-reader slots, a reload revokes the bias",
			New:     store("snap-rbmutex", 0, func(s *State) Store { return &rbmutexStore{mu: xsync.NewRBMutex(), s: s} }),
		},
	} {
		impl.Family = impls.FamilySnapshots
		impls.Register(impl)
	}
}
