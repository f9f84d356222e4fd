package filelocks

import (
	"context"
	"time"
)

// Mode is the kind of lock asked for.
type Mode uint8

const (
	// Shared admits any number of Shared holders at once and no Exclusive one.
	Shared Mode = iota
	// Exclusive admits a single holder.
	Exclusive
)

// String returns "shared" or "exclusive".
func (m Mode) String() string {
	if m == Shared {
		return "shared"
	}
	return "exclusive"
}

// Locker is one holder's handle on a lock file. A Locker is not safe for concurrent
// use: give each goroutine its own, which for flock and ofd is also what makes
// goroutines exclude each other.
type Locker interface {
	// Lock waits until the lock is held in mode, or returns ctx.Err() (wrapped)
	// once ctx is done. Locking a Locker that is already locked is an error of
	// the caller and its effect depends on the kind.
	Lock(ctx context.Context, mode Mode) error
	// Unlock releases the lock taken by the last successful Lock.
	Unlock() error
	// Close releases the lock if held and the Locker's descriptor.
	Close() error
}

// WithLock runs fn while holding l in mode and releases the lock afterwards, even if
// fn panics. It returns the error of Lock (fn is not run), else fn's error, else
// the error of Unlock.
func WithLock(ctx context.Context, l Locker, mode Mode, fn func() error) (err error) {
	if err := l.Lock(ctx, mode); err != nil {
		return err
	}
	defer func() {
		if uerr := l.Unlock(); err == nil {
			err = uerr
		}
	}()
	return fn()
}

// Backoff bounds for poll. The floor keeps an uncontended-but-busy wait close to
// the holder's release; the ceiling keeps a long wait from costing a syscall per
// few microseconds while still noticing a release within about a millisecond.
const (
	minBackoff = 20 * time.Microsecond
	maxBackoff = time.Millisecond
)

// poll calls try until it reports the lock taken or an error, sleeping with
// exponential backoff between calls, and returns ctx.Err() once ctx is done. A
// kernel lock wait cannot be interrupted by a context, so polling the
// non-blocking call is how waits stay bounded; the backoff ceiling is the
// latency it adds after a release in the worst case.
func poll(ctx context.Context, try func() (bool, error)) error {
	var timer *time.Timer
	delay := minBackoff
	for {
		ok, err := try()
		if err != nil || ok {
			return err
		}
		if timer == nil {
			timer = time.NewTimer(delay)
			defer timer.Stop()
		} else {
			timer.Reset(delay)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		}
		delay = min(2*delay, maxBackoff)
	}
}
