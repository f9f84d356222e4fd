package redis

import (
	"context"
	"crypto/tls"
	"fmt"
	"maps"
	"os"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/syncbench/syncbench/impls"
)

// Defaults for zero Config fields.
const (
	// DefaultAddr is the Redis server used when Config.RedisAddr is empty.
	DefaultAddr = "127.0.0.1:6379"
	// DefaultOpTimeout bounds each Redis command (dial, write, read) when
	// Config.Timeout is zero, so an unreachable server costs at most this per op.
	DefaultOpTimeout = time.Second
	// DefaultKeyPrefix prefixes the impl name to form the default Config.RedisKey.
	DefaultKeyPrefix = "syncbench:"
)

// clusterReloadInterval bounds how long a cluster client keeps routing a slot
// to a master that has gone away: go-redis re-reads the slot map on a MOVED
// reply at once, but a dead master answers nothing, so only this periodic
// reload finds the replica promoted in its place. One CLUSTER SLOTS per
// interval is noise next to the ops' round trips (and is counted among them).
const clusterReloadInterval = 2 * time.Second

// conn is the client side shared by every target: the go-redis client, the
// round-trip count, and the settings derived from Config.
type conn struct {
	client    goredis.UniversalClient
	topo      Topology
	trips     *roundTrips
	poolSize  int
	key       string // base key
	opTimeout time.Duration
	ops       atomic.Int64
}

func newConn(name string, cfg impls.Config) (*conn, error) {
	addr := cfg.RedisAddr
	if addr == "" {
		addr = DefaultAddr
	}
	ep, err := ParseEndpoint(addr, os.Getenv)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	opTimeout := cfg.Timeout
	if opTimeout <= 0 {
		opTimeout = DefaultOpTimeout
	}
	// Enough connections that no worker waits for the pool: the pool is then not
	// what is measured. On a cluster this is per node.
	poolSize := max(cfg.Workers, 10*runtime.GOMAXPROCS(0))
	ctx, cancel := context.WithTimeout(context.Background(), 2*opTimeout)
	defer cancel()
	trips := &roundTrips{}
	client, topo, err := Connect(ctx, ep, ClientOptions{PoolSize: poolSize, Timeout: opTimeout, Hook: trips})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	trips.n.Store(0) // the PING and the cluster discovery are not an op's round trips
	c := &conn{client: client, topo: topo, trips: trips, poolSize: poolSize, opTimeout: opTimeout}
	c.key = cfg.RedisKey
	if c.key == "" {
		c.key = DefaultKeyPrefix + name
	}
	return c, nil
}

// ClientOptions are the client settings Connect applies to every connection.
type ClientOptions struct {
	// PoolSize is the connection pool size (per node on a cluster); 0 means
	// go-redis's default.
	PoolSize int
	// Timeout bounds each command's dial, write and read, and the pool wait;
	// 0 means DefaultOpTimeout.
	Timeout time.Duration
	// Hook, when set, is added to the client of every node, so that it sees
	// each round trip (on a cluster the cluster client's own hooks see one
	// command however many nodes it tried).
	Hook goredis.Hook
}

// Connect connects to ep and returns a client for its topology: a plain client for
// one standalone server, a cluster client when ep has several addresses or its
// one address is a cluster node (CLUSTER INFO answers). It checks that the
// server answers (and, for a cluster, that cluster_state is ok) so an
// unreachable or broken endpoint fails here, naming the address but never the
// password. The caller closes the client.
//
// Commands are not retried beyond what a cluster needs: a MOVED or ASK
// redirect is followed (at most twice) and a failed dial is tried once more,
// without backoff, so that an outage shows as errors rather than as slow ops.
func Connect(ctx context.Context, ep Endpoint, o ClientOptions) (goredis.UniversalClient, Topology, error) {
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultOpTimeout
	}
	opts := &goredis.UniversalOptions{
		Addrs:                 ep.Addrs,
		Username:              ep.Username,
		Password:              ep.Password,
		DB:                    ep.DB,
		PoolSize:              o.PoolSize,
		MaxRetries:            -1, // an outage must show as errors, not as slow retried ops
		MinRetryBackoff:       -1,
		MaxRetryBackoff:       -1,
		MaxRedirects:          2,
		DialTimeout:           timeout,
		DialerRetries:         1, // likewise: a refused dial fails the op at once
		ReadTimeout:           timeout,
		WriteTimeout:          timeout,
		PoolTimeout:           timeout,
		ContextTimeoutEnabled: true,
	}
	if ep.TLS {
		opts.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	cluster := len(ep.Addrs) > 1
	if !cluster {
		probe := goredis.NewClient(opts.Simple())
		var err error
		cluster, err = isClusterNode(ctx, probe)
		_ = probe.Close()
		if err != nil {
			return nil, Topology{}, fmt.Errorf("cannot reach Redis at %s: %w", ep, err)
		}
	}
	if !cluster {
		client := goredis.NewClient(opts.Simple())
		if o.Hook != nil {
			client.AddHook(o.Hook)
		}
		if err := client.Ping(ctx).Err(); err != nil {
			_ = client.Close()
			return nil, Topology{}, fmt.Errorf("cannot reach Redis at %s: %w", ep, err)
		}
		return client, Topology{Masters: 1}, nil
	}
	if ep.DB != 0 {
		return nil, Topology{}, fmt.Errorf("cannot use database %d: Redis at %s is a cluster, which has only database 0", ep.DB, ep)
	}
	copts := opts.Cluster()
	copts.ClusterStateReloadInterval = clusterReloadInterval
	client := goredis.NewClusterClient(copts)
	if o.Hook != nil {
		client.OnNewNode(func(node *goredis.Client) { node.AddHook(o.Hook) })
	}
	topo, err := clusterTopology(ctx, client)
	if err != nil {
		_ = client.Close()
		return nil, Topology{}, fmt.Errorf("cannot use the Redis Cluster at %s: %w", ep, err)
	}
	return client, topo, nil
}

// keyFor returns the Redis key of op's key: the base key for unkeyed runs. The
// keys of different op keys have no hash tag in common, so on a cluster they
// hash to different slots and spread over the masters.
func (c *conn) keyFor(cfg impls.Config, op impls.Op) string {
	if cfg.Keys <= 1 {
		return c.key
	}
	return c.key + ":" + strconv.FormatUint(op.Key%uint64(cfg.Keys), 10)
}

// stats returns the figures every Redis target reports.
func (c *conn) stats() map[string]float64 {
	s := map[string]float64{"pool_size": float64(c.poolSize)}
	if ops := c.ops.Load(); ops > 0 {
		s["round_trips_per_op"] = float64(c.trips.n.Load()) / float64(ops)
	}
	maps.Copy(s, c.topo.stats())
	return s
}

func (c *conn) close() error { return c.client.Close() }

// outcome maps an error of an op run under parent to an Outcome: the caller's
// context ending is a Timeout, anything else (refused connection, command
// timeout, server error) is an Error. A parent whose deadline has passed counts
// as ended even before its Done fires: go-redis puts the same deadline on the
// socket, whose read can time out a moment before the context's own timer.
func outcome(parent context.Context, err error) impls.Outcome {
	if err == nil {
		return impls.OK
	}
	if parent.Err() != nil {
		return impls.Timeout
	}
	if dl, ok := parent.Deadline(); ok && !time.Now().Before(dl) {
		return impls.Timeout
	}
	return impls.Error
}

// roundTrips is a go-redis hook counting round trips: one per command, one per
// pipeline. It is safe for concurrent use.
type roundTrips struct{ n atomic.Int64 }

func (h *roundTrips) DialHook(next goredis.DialHook) goredis.DialHook { return next }

func (h *roundTrips) ProcessHook(next goredis.ProcessHook) goredis.ProcessHook {
	return func(ctx context.Context, cmd goredis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmd)
	}
}

func (h *roundTrips) ProcessPipelineHook(next goredis.ProcessPipelineHook) goredis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []goredis.Cmder) error {
		h.n.Add(1)
		return next(ctx, cmds)
	}
}
