package coalescing

import "github.com/syncbench/syncbench/impls"

func init() {
	for _, impl := range []impls.Impl{
		{
			Name:    "nocoalesce",
			Summary: "no coalescing: every caller calls the backend with its own context",
			New:     coalescerTarget("nocoalesce", func(int) Coalescer { return noCoalesce{} }),
		},
		{
			Name:    "singleflight",
			Summary: "golang.org/x/sync/singleflight Do: the leader's context runs the call; nobody can leave",
			New:     coalescerTarget("singleflight", func(keys int) Coalescer { return &flightDo{keys: keyStrings(keys)} }),
		},
		{
			Name:    "singleflight-chan",
			Summary: "singleflight DoChan: each caller leaves on its own context; the call runs detached",
			New:     coalescerTarget("singleflight-chan", func(keys int) Coalescer { return &flightChan{keys: keyStrings(keys)} }),
		},
		{
			Name:    "keyfill",
			Summary: "a mutex per key and a fill count: waiters share the fill, one wake-up at a time",
			New:     coalescerTarget("keyfill", func(keys int) Coalescer { return newKeyFill(keys) }),
		},
	} {
		impl.Family = impls.FamilyCoalescing
		impls.Register(impl)
	}
}

// coalescerTarget returns a constructor for the coalescer build makes for
// Config.Keys keys.
func coalescerTarget(impl string, build func(keys int) Coalescer) func(impls.Config) (impls.Target, error) {
	return func(cfg impls.Config) (impls.Target, error) {
		s, err := parseConfig(impl, cfg)
		if err != nil {
			return nil, err
		}
		return newTarget(impl, build(cfg.Keys), s), nil
	}
}
