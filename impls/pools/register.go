package pools

import "github.com/syncbench/syncbench/impls"

func init() {
	for _, impl := range []impls.Impl{
		{
			Name:    "syncpool",
			Summary: "sync.Pool of -size byte objects (emptied into a victim cache at every GC)",
			New:     poolTarget("syncpool", func(size, _ int) Pool { return newSyncPool(size) }),
		},
		{
			Name:    "alloc",
			Summary: "no pool: a fresh -size byte allocation per op, left to the GC",
			New:     poolTarget("alloc", func(size, _ int) Pool { return allocPool{size: size} }),
		},
		{
			Name:    "chanpool",
			Summary: "free list in a buffered channel as large as -concurrency (kept across GCs)",
			New:     poolTarget("chanpool", func(size, workers int) Pool { return newChanPool(size, workers) }),
		},
	} {
		impl.Family = impls.FamilyPools
		impls.Register(impl)
	}
}

// poolTarget returns a constructor for the pool build makes, given the object
// size and the number of workers.
func poolTarget(impl string, build func(size, workers int) Pool) func(impls.Config) (impls.Target, error) {
	return func(cfg impls.Config) (impls.Target, error) {
		size, err := objectSize(impl, cfg)
		if err != nil {
			return nil, err
		}
		return newTarget(impl, build(size, cfg.Workers), size, cfg.Workers), nil
	}
}
