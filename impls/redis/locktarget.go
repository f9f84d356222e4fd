package redis

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/go-redsync/redsync/v4"
	redsyncpool "github.com/go-redsync/redsync/v4/redis/goredis/v9"
	"github.com/syncbench/syncbench/impls"
)

// Lock impl names.
const (
	NameRedisLock = "redislock"
	NameRedsync   = "redsync"
)

// releaser ends one grant: false means the lease had expired before the release.
type releaser func(ctx context.Context) (bool, error)

// lockTarget takes a Redis lock around each op. Every op kind is exclusive (Redis
// locks have no shared mode) and op.Key is ignored: all workers contend on one lock
// key, so the in-process exclusion check below sees every holder of this process.
type lockTarget struct {
	*conn
	name    string
	timeout time.Duration // bounds an acquisition; zero: only the op's context
	acquire func(ctx context.Context, worker int) (releaser, error)

	inside   atomic.Int32
	count    atomic.Int64 // read on entry, written +1 on exit: lost updates show overlap
	acks     atomic.Int64
	overlaps atomic.Int64
	lost     atomic.Int64
}

// newLockTarget builds redislock or redsync with leases of ttl.
func newLockTarget(name string, cfg impls.Config, ttl time.Duration) (*lockTarget, error) {
	if name != NameRedisLock && name != NameRedsync {
		return nil, fmt.Errorf("redis: unknown lock %q", name)
	}
	conn, err := newConn(name, cfg)
	if err != nil {
		return nil, err
	}
	t := &lockTarget{conn: conn, name: name, timeout: cfg.Timeout}
	// Both locks live at the hash-tagged key (NewLock's rule), so that redislock
	// and redsync given the same Config.RedisKey contend on the same key.
	t.key = hashTagged(t.key)
	switch name {
	case NameRedisLock:
		lock := NewLock(t.client, t.key, ttl)
		t.acquire = func(ctx context.Context, _ int) (releaser, error) {
			lease, err := lock.Acquire(ctx)
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context) (bool, error) { return lock.Release(ctx, lease) }, nil
		}
	case NameRedsync:
		rs := redsync.New(redsyncpool.NewPool(t.client))
		// One Mutex per worker: a Mutex remembers the value of its own grant.
		// Tries(1) hands the retry loop to retryAcquire, so both locks wait with
		// the same backoff and a network error is reported, not retried away.
		mutexes := make([]*redsync.Mutex, max(cfg.Workers, 1))
		for i := range mutexes {
			mutexes[i] = rs.NewMutex(t.key, redsync.WithExpiry(ttl), redsync.WithTries(1))
		}
		t.acquire = func(ctx context.Context, worker int) (releaser, error) {
			m := mutexes[worker]
			_, err := retryAcquire(ctx, func() (struct{}, bool, error) {
				err := m.TryLockContext(ctx)
				if _, ok := errors.AsType[*redsync.ErrTaken](err); ok {
					return struct{}{}, false, nil
				}
				return struct{}{}, err == nil, err
			})
			if err != nil {
				return nil, err
			}
			return func(ctx context.Context) (bool, error) {
				ok, err := m.UnlockContext(ctx)
				if errors.Is(err, redsync.ErrLockAlreadyExpired) {
					return false, nil
				}
				return ok, err
			}, nil
		}
	}
	return t, nil
}

// Do acquires the lock (Timeout if ctx or Config.Timeout ends first, Error if a
// command fails), spends op.Work busy and op.Hold asleep inside, and releases it.
// A release that finds the lease expired (the section outlived the TTL) is an
// Error: the op did not have the lock throughout.
func (t *lockTarget) Do(ctx context.Context, op impls.Op) impls.Outcome {
	t.ops.Add(1)
	actx := ctx
	if t.timeout > 0 {
		var cancel context.CancelFunc
		actx, cancel = context.WithTimeout(ctx, t.timeout)
		defer cancel()
	}
	release, err := t.acquire(actx, op.Worker)
	if err != nil {
		return outcome(actx, err)
	}

	if t.inside.Add(1) != 1 {
		t.overlaps.Add(1)
	}
	c := t.count.Load()
	impls.BusyWork(op.Work)
	impls.Hold(ctx, op.Hold) // ends on interrupt
	t.count.Store(c + 1)
	t.inside.Add(-1)
	t.acks.Add(1)

	// Release even when ctx is already done, or the lock stays taken for its TTL.
	rctx, cancel := context.WithTimeout(context.Background(), t.opTimeout)
	defer cancel()
	ok, err := release(rctx)
	if err != nil {
		return impls.Error
	}
	if !ok {
		t.lost.Add(1)
		return impls.Error
	}
	return impls.OK
}

// Verify fails if two workers of this process were ever inside at once, or if
// the counter incremented inside the lock lost updates.
func (t *lockTarget) Verify() error {
	if n := t.overlaps.Load(); n > 0 {
		return &impls.InvariantError{Impl: t.name, Detail: fmt.Sprintf("%d critical sections overlapped with another holder", n)}
	}
	if c, a := t.count.Load(), t.acks.Load(); c != a {
		return &impls.InvariantError{Impl: t.name, Detail: fmt.Sprintf("counter incremented under the lock is %d, want %d acquisitions (lost updates)", c, a)}
	}
	return nil
}

// Stats adds "acquisitions", "overlaps" and "lost_leases" (releases that found
// the lease expired) to the connection figures.
func (t *lockTarget) Stats() map[string]float64 {
	s := t.stats()
	s["acquisitions"] = float64(t.acks.Load())
	s["overlaps"] = float64(t.overlaps.Load())
	s["lost_leases"] = float64(t.lost.Load())
	return s
}

// Close closes the client.
func (t *lockTarget) Close() error { return t.close() }
