package redis

import (
	"context"
	crand "crypto/rand"
	"errors"
	"math/rand/v2"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// DefaultLockTTL is the lease of redislock and redsync grants: a holder that
// vanishes blocks others for at most this long, and a critical section longer than
// this loses its exclusivity (see Lease).
const DefaultLockTTL = 2 * time.Second

// Lock is a lease lock held in one Redis key: SET key token NX PX ttl, released by
// a script that deletes the key only if it still holds the holder's token. Every
// grant also increments a fence counter (the key + ":fence") and returns the new value
// as the lease's fencing token. A Lock is safe for concurrent use; it keeps no
// state between calls beyond its settings.
//
// The lease ends after its TTL whether or not the holder is done: a holder that
// pauses (GC, swap, SIGSTOP) past its TTL no longer holds the lock although it may
// believe so. Resources the lock protects must then reject that holder's writes,
// which is what the fencing token is for (see FencedStore). The fence counter is
// as durable as the server's persistence: a restart without it starts again at 1.
type Lock struct {
	client   goredis.Scripter
	keys     []string // lock key, fence counter key
	ttlMilli int64
}

// Lease is one grant of a Lock.
type Lease struct {
	// Token identifies this grant; only it can release the lock.
	Token string
	// Fence is the fencing token: greater than the Fence of every earlier grant of
	// the same Lock key.
	Fence int64
}

// NewLock returns a Lock on key whose grants last ttl (rounded down to whole
// milliseconds, at least 1ms). The grant script touches the lock and its fence
// counter at once, which a Redis Cluster allows only for keys of one slot: a key
// without a hash tag is stored as "{key}" and its counter as "{key}:fence"; a
// key with one ("lock:{orders}") is used as it is.
func NewLock(client goredis.Scripter, key string, ttl time.Duration) *Lock {
	key = hashTagged(key)
	return &Lock{client: client, keys: []string{key, key + ":fence"}, ttlMilli: max(1, ttl.Milliseconds())}
}

// TryAcquire makes one attempt (one round trip): ok is false if another holder has
// the lock.
func (l *Lock) TryAcquire(ctx context.Context) (lease Lease, ok bool, err error) {
	token := crand.Text()
	fence, err := acquireScript.Run(ctx, l.client, l.keys, token, l.ttlMilli).Int64()
	if err != nil || fence == 0 {
		return Lease{}, false, err
	}
	return Lease{Token: token, Fence: fence}, true, nil
}

// Acquisition backoff: the first retry comes after about a round trip, then the
// delay doubles up to the ceiling, each drawn with jitter in [d/2, d) so that
// waiters do not retry in lockstep.
const (
	minLockBackoff = 100 * time.Microsecond
	maxLockBackoff = 10 * time.Millisecond
)

// Acquire retries TryAcquire with jittered exponential backoff until it gets the
// lock, a command fails (that error), or ctx ends (ctx.Err()).
func (l *Lock) Acquire(ctx context.Context) (Lease, error) {
	return retryAcquire(ctx, func() (Lease, bool, error) { return l.TryAcquire(ctx) })
}

// Release ends lease: false (and no error) means the lease had already expired,
// and the lock, possibly someone else's by now, was left alone.
func (l *Lock) Release(ctx context.Context, lease Lease) (bool, error) {
	n, err := releaseScript.Run(ctx, l.client, l.keys[:1], lease.Token).Int64()
	return n == 1, err
}

// retryAcquire runs try with the lock backoff until it succeeds, fails or ctx ends.
func retryAcquire[T any](ctx context.Context, try func() (T, bool, error)) (T, error) {
	var timer *time.Timer
	delay := minLockBackoff
	for {
		v, ok, err := try()
		if ok || err != nil {
			if err != nil && ctx.Err() != nil {
				err = errors.Join(ctx.Err(), err)
			}
			return v, err
		}
		wait := delay/2 + rand.N(delay/2)
		if timer == nil {
			timer = time.NewTimer(wait)
			defer timer.Stop()
		} else {
			timer.Reset(wait)
		}
		select {
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		case <-timer.C:
		}
		delay = min(2*delay, maxLockBackoff)
	}
}
