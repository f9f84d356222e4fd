// Package redis measures rate limiters and locks shared through a Redis server: what
// several processes or hosts use to hold one limit or take turns. It registers
// family impls.FamilyRedis:
//
//   - redis-gcra, redis-tokenbucket, redis-fixedwindow, redis-slidinglog: limiters
//     as Lua scripts run with EVALSHA (one round trip per op; EVAL once more after
//     a server restart empties the script cache). Each reads the time from the
//     Redis server (TIME), so clients with skewed clocks still share one limit.
//   - redis-rate: the reference GCRA of github.com/go-redis/redis_rate/v10.
//   - redislock: a lease lock (SET NX PX with a random token, released by a
//     compare-and-delete script) whose every grant carries a fencing token from
//     INCR; see Lock, Lease and FencedStore.
//   - redsync: the reference lock of github.com/go-redsync/redsync/v4 on the same
//     client (one node or one cluster, so no Redlock quorum).
//
// Standalone or cluster: Config.RedisAddr is an endpoint as ParseEndpoint reads it
// (host:port, a comma list of cluster seeds, redis:// or rediss:// URLs; the
// password from the URL or PasswordEnv). Several addresses, or one that answers
// CLUSTER INFO, give a Redis Cluster client (see Connect). Every script touches
// keys of one hash slot: the limiters one key each, the lock its key and fence
// counter under one hash tag (see NewLock); the keys of a keyed limiter have no
// tag in common, so they spread over the cluster's masters.
//
// Config: RedisAddr (default DefaultAddr), RedisKey (default "syncbench:" + impl
// name; ops with Keys > 1 append ":" + the op's key), Limit, Burst and Window as in
// the limiter family (defaults DefaultLimit, DefaultBurst, DefaultWindow; the
// window limiters admit round(Limit·Window) events per window), Timeout (each Redis
// command is bounded by it, or by DefaultOpTimeout; a lock acquisition by it and
// the op's context). Only the "allow" Mode exists for these limiters. Locks treat
// every op kind as exclusive, ignore op.Key, and lease for DefaultLockTTL.
// Constructors PING the server, so an unreachable address fails at once, naming it.
//
// Outcomes: admitted or locked is OK, refused is Denied, a lock not taken before
// the op's context or Timeout ended is Timeout, and any network or server error is
// Error: nothing panics or waits forever when the server is gone, and ops succeed
// again once it is back (commands are not retried, so an outage shows as errors).
//
// Stats: "round_trips_per_op" (commands sent to any node, counted by a hook on
// every node's client so that redirects and retries count, divided by ops),
// "pool_size" (the connection pool size, per node on a cluster), and the topology:
// "cluster" (1 for a Redis Cluster, 0 for one server), "masters" and "replicas";
// locks add "acquisitions", "overlaps" and "lost_leases".
package redis
