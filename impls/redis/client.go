package redis

import (
	"context"
	"fmt"
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

// conn is the client side shared by every target: the go-redis client, the
// round-trip count, and the settings derived from Config.
type conn struct {
	client    *goredis.Client
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
	opTimeout := cfg.Timeout
	if opTimeout <= 0 {
		opTimeout = DefaultOpTimeout
	}
	// Enough connections that no worker waits for the pool: the pool is then not
	// what is measured.
	poolSize := max(cfg.Workers, 10*runtime.GOMAXPROCS(0))
	client := goredis.NewClient(&goredis.Options{
		Addr:                  addr,
		PoolSize:              poolSize,
		MaxRetries:            -1, // an outage must show as errors, not as slow retried ops
		DialTimeout:           opTimeout,
		DialerRetries:         1, // likewise: a refused dial fails the op at once
		ReadTimeout:           opTimeout,
		WriteTimeout:          opTimeout,
		PoolTimeout:           opTimeout,
		ContextTimeoutEnabled: true,
	})
	trips := &roundTrips{}
	client.AddHook(trips)
	c := &conn{client: client, trips: trips, poolSize: poolSize, opTimeout: opTimeout}
	c.key = cfg.RedisKey
	if c.key == "" {
		c.key = DefaultKeyPrefix + name
	}
	// Fail at construction, with the address, rather than with a run of errors.
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("%s: cannot reach Redis at %s: %w", name, addr, err)
	}
	trips.n.Store(0) // the PING is not an op's round trip
	return c, nil
}

// keyFor returns the Redis key of op's key: the base key for unkeyed runs.
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
	return s
}

func (c *conn) close() error { return c.client.Close() }

// outcome maps an error of an op run under parent to an Outcome: the caller's
// context ending is a Timeout, anything else (refused connection, command
// timeout, server error) is an Error.
func outcome(parent context.Context, err error) impls.Outcome {
	if err == nil {
		return impls.OK
	}
	if parent.Err() != nil {
		return impls.Timeout
	}
	return impls.Error
}

// roundTrips is a go-redis hook counting round trips: one per command, one per
// pipeline.
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
