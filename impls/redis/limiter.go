package redis

import (
	"context"
	"crypto/rand"
	"fmt"
	"math"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/syncbench/syncbench/impls"
)

// Limiter defaults for zero Config fields. They match the in-process limiter
// family's meaning of the fields.
const (
	// DefaultLimit is the sustained rate, in events per second.
	DefaultLimit = 1000.0
	// DefaultBurst is the bucket size of redis-gcra, redis-tokenbucket and redis-rate.
	DefaultBurst = 1
	// DefaultWindow is the window of redis-fixedwindow and redis-slidinglog.
	DefaultWindow = time.Second
)

// Limiter impl names.
const (
	NameGCRA        = "redis-gcra"
	NameTokenBucket = "redis-tokenbucket"
	NameFixedWindow = "redis-fixedwindow"
	NameSlidingLog  = "redis-slidinglog"
	NameRedisRate   = "redis-rate"
)

// limiterTarget asks a Redis-side limiter for admission: one script run per op.
type limiterTarget struct {
	*conn
	cfg   impls.Config
	admit func(ctx context.Context, key string, n int64) (bool, error)
	bound impls.AdmissionBound // see limiter_bound.go
}

// Mode is "allow": Redis limiters only refuse, never wait (see newLimiter).
func (t *limiterTarget) Mode() impls.Mode { return impls.ModeAllow }

// limits are the derived parameters of a limiter.
type limits struct {
	rate      float64       // events per second, > 0
	burst     int64         // >= 1
	window    time.Duration // > 0
	perWindow int64         // events admitted per window, >= 1
}

func limitsOf(cfg impls.Config) (limits, error) {
	l := limits{rate: cfg.Limit, burst: int64(cfg.Burst), window: cfg.Window}
	if l.rate == 0 {
		l.rate = DefaultLimit
	}
	if l.burst == 0 {
		l.burst = DefaultBurst
	}
	if l.window == 0 {
		l.window = DefaultWindow
	}
	switch {
	case l.rate < 0 || math.IsNaN(l.rate) || math.IsInf(l.rate, 0):
		return l, fmt.Errorf("limit %v events/s: want a positive finite rate", cfg.Limit)
	case l.burst < 0:
		return l, fmt.Errorf("burst %d: want at least 1", cfg.Burst)
	case l.window < time.Millisecond:
		return l, fmt.Errorf("window %v: want at least 1ms", cfg.Window)
	}
	l.perWindow = max(1, int64(math.Round(l.rate*l.window.Seconds())))
	return l, nil
}

// newLimiter builds the limiter target registered as name.
func newLimiter(name string, cfg impls.Config) (impls.Target, error) {
	if cfg.Mode != "" && cfg.Mode != "allow" {
		return nil, fmt.Errorf("%s: mode %q: Redis limiters only support \"allow\"", name, cfg.Mode)
	}
	l, err := limitsOf(cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	conn, err := newConn(name, cfg)
	if err != nil {
		return nil, err
	}
	t := &limiterTarget{conn: conn, cfg: cfg, bound: limiterBound(name, l, cfg.Keys)}
	c := t.client
	switch name {
	case NameGCRA:
		T := 1e6 / l.rate // µs per event
		tau := float64(l.burst) * T
		t.admit = func(ctx context.Context, key string, n int64) (bool, error) {
			v, err := gcraScript.Run(ctx, c, []string{key}, T, tau, n).Int64()
			return v == 1, err
		}
	case NameTokenBucket:
		perMicro := l.rate / 1e6
		t.admit = func(ctx context.Context, key string, n int64) (bool, error) {
			v, err := tokenBucketScript.Run(ctx, c, []string{key}, perMicro, l.burst, n).Int64()
			return v == 1, err
		}
	case NameFixedWindow:
		ms := l.window.Milliseconds()
		t.admit = func(ctx context.Context, key string, n int64) (bool, error) {
			v, err := fixedWindowScript.Run(ctx, c, []string{key}, ms, l.perWindow, n).Int64()
			return v == 1, err
		}
	case NameSlidingLog:
		us := l.window.Microseconds()
		// Log members must be unique across processes and calls.
		prefix := rand.Text()[:10]
		var seq atomic.Uint64
		t.admit = func(ctx context.Context, key string, n int64) (bool, error) {
			member := prefix + strconv.FormatUint(seq.Add(1), 36)
			v, err := slidingLogScript.Run(ctx, c, []string{key}, us, l.perWindow, n, member).Int64()
			return v == 1, err
		}
	case NameRedisRate:
		// redis_rate counts whole events per Period: keep the rate exact by
		// stretching the period rather than rounding the rate.
		events := max(1, int(math.Round(l.rate)))
		limit := redis_rate.Limit{
			Rate:   events,
			Burst:  int(l.burst),
			Period: time.Duration(float64(events) / l.rate * float64(time.Second)),
		}
		limiter := redis_rate.NewLimiter(c)
		t.admit = func(ctx context.Context, key string, n int64) (bool, error) {
			res, err := limiter.AllowN(ctx, key, limit, int(n))
			return err == nil && res.Allowed > 0, err
		}
	default:
		_ = t.close()
		return nil, fmt.Errorf("redis: unknown limiter %q", name)
	}
	return t, nil
}

// Do asks for op.Units() events under the key of op: OK if admitted, Denied if
// refused, Error if Redis could not answer within the per-command timeout.
func (t *limiterTarget) Do(ctx context.Context, op impls.Op) impls.Outcome {
	t.ops.Add(1)
	ctx2, cancel := context.WithTimeout(ctx, t.opTimeout)
	defer cancel()
	ok, err := t.admit(ctx2, t.keyFor(t.cfg, op), op.Units())
	if err != nil {
		return outcome(ctx, err)
	}
	if !ok {
		return impls.Denied
	}
	return impls.OK
}

// Verify has nothing to check: a limiter's accuracy is measured from the admitted
// rate, not asserted per target.
func (t *limiterTarget) Verify() error { return nil }

// Stats reports round trips per op and the pool size.
func (t *limiterTarget) Stats() map[string]float64 { return t.stats() }

// Close closes the client.
func (t *limiterTarget) Close() error { return t.close() }
