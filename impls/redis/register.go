package redis

import "github.com/syncbench/syncbench/impls"

func init() {
	limiters := []struct{ name, summary string }{
		{NameGCRA, "GCRA limiter as a Lua script on Redis TIME (1 round trip)"},
		{NameTokenBucket, "token bucket as a Lua script on Redis TIME (1 round trip)"},
		{NameFixedWindow, "fixed window: INCRBY + PEXPIRE to the window's end, in a Lua script"},
		{NameSlidingLog, "sliding log: a sorted set of admitted events, in a Lua script"},
		{NameRedisRate, "reference: go-redis/redis_rate v10 (GCRA)"},
	}
	for _, l := range limiters {
		impls.Register(impls.Impl{
			Name: l.name, Family: impls.FamilyRedis, Summary: l.summary, RateLimiter: true,
			New: func(cfg impls.Config) (impls.Target, error) { return newLimiter(l.name, cfg) },
		})
	}
	locks := []struct{ name, summary string }{
		{NameRedisLock, "lease lock: SET NX PX + compare-and-delete, fencing token from INCR"},
		{NameRedsync, "reference: go-redsync/redsync v4 on one node"},
	}
	for _, l := range locks {
		impls.Register(impls.Impl{
			Name: l.name, Family: impls.FamilyRedis, Summary: l.summary,
			New: func(cfg impls.Config) (impls.Target, error) {
				t, err := newLockTarget(l.name, cfg, DefaultLockTTL)
				if err != nil {
					return nil, err // not a typed nil inside the interface
				}
				return t, nil
			},
		})
	}
}
