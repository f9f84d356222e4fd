package impls

import (
	"errors"
	"fmt"
	"time"
)

// Config is what a constructor gets. Every family reads the fields that concern it
// and ignores the rest; zero values mean "use the family's default" unless a field
// says otherwise.
type Config struct {
	// Workers is the number of goroutines that will call Do concurrently; Op.Worker
	// is always below it. At least 1.
	Workers int
	// Keys is the number of distinct keys ops are spread over (maps, keyed
	// limiters). Zero means the implementation's Impl.DefaultKeys (1000 for the
	// maps, a single key elsewhere); 1 means a single key.
	Keys int
	// Seed seeds any randomness inside the target.
	Seed int64

	// Capacity is a semaphore's total weight.
	Capacity int64
	// Timeout bounds a blocking acquire; zero means wait for the op's context only.
	Timeout time.Duration
	// Mode selects the blocking style: for semaphores "acquire" (default) or "try";
	// for limiters "allow" (default) or "wait". Empty means the family's default.
	Mode Mode

	// Limit is a rate limiter's sustained rate in events per second.
	Limit float64
	// Burst is a rate limiter's bucket size (the events it admits at once).
	Burst int
	// Window is the window length of window-based limiters.
	Window time.Duration
	// KeyTTL evicts keyed limiters idle for longer than this; zero never evicts.
	KeyTTL time.Duration
	// Now is the clock limiters read; nil means time.Now. Tests inject a fake.
	Now func() time.Time

	// LockFile is the path file locks contend on; empty means a fresh temp file.
	LockFile string
	// SharedRatio is the fraction of file-lock ops taken in shared mode.
	SharedRatio float64

	// RedisAddr is the host:port of the Redis server for the redis family.
	RedisAddr string
	// RedisKey is the key (or key prefix) Redis-backed targets use, so several
	// processes share one limit or lock. Empty means a default derived from the impl.
	RedisKey string

	// Backend is the schedule of the model backend the breakers and adaptive
	// families sit in front of, in the spec syntax of package impls/backend
	// (e.g. "capacity=16x3s,4x4s,16;failure=0"). Empty, or a part left out,
	// means the family's default for it.
	Backend string

	// Size is the size in bytes of a pool's objects; zero means the family's
	// default.
	Size int
	// CancelRatio is the share of coalescing callers, in [0, 1], that give up
	// after Timeout: what one cancelled caller costs the others sharing its call.
	CancelRatio float64

	// Consumers is the number of goroutines a queue target runs to take its
	// items (the workers are its producers); 0 means 1.
	Consumers int
}

// Clock returns c.Now, or time.Now when it is nil.
func (c Config) Clock() func() time.Time {
	if c.Now != nil {
		return c.Now
	}
	return time.Now
}

// Validate reports the values of c that no family accepts, each as a
// *FieldError, joined (errors.Join); nil otherwise. It checks what holds for
// every family (no negative count, duration or rate, a ratio in [0,1]); what a
// family accepts beyond that (a limiter's largest rate, a semaphore's largest
// capacity, its modes) its constructor checks, since only it knows.
func (c Config) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	if c.Keys < 0 {
		bad("keys", "%d is negative (allowed: 0 or more)", c.Keys)
	}
	if c.Capacity < 0 {
		bad("capacity", "%d is negative (allowed: 1 or more, or 0 for the family's default)", c.Capacity)
	}
	if c.Timeout < 0 {
		bad("timeout", "%v is negative (allowed: 0 for none, or more)", c.Timeout)
	}
	if !(c.Limit >= 0) {
		bad("limit", "%v is not a rate (allowed: > 0 events/s, or 0 for the family's default)", c.Limit)
	}
	if c.Burst < 0 {
		bad("burst", "%d is negative (allowed: 1 or more, or 0 for the family's default)", c.Burst)
	}
	if c.Window < 0 {
		bad("window", "%v is negative (allowed: > 0, or 0 for the family's default)", c.Window)
	}
	if c.KeyTTL < 0 {
		bad("key-ttl", "%v is negative (allowed: 0 to never evict, or more)", c.KeyTTL)
	}
	if !(c.SharedRatio >= 0 && c.SharedRatio <= 1) {
		bad("shared-ratio", "%v is outside [0,1]", c.SharedRatio)
	}
	if c.Size < 0 {
		bad("size", "%d is negative (allowed: 0 for the family's default, or more)", c.Size)
	}
	if !(c.CancelRatio >= 0 && c.CancelRatio <= 1) {
		bad("cancel-ratio", "%v is outside [0,1]", c.CancelRatio)
	}
	if c.Consumers < 0 {
		bad("consumers", "%d is negative (allowed: 1 or more, or 0 for one)", c.Consumers)
	}
	return errors.Join(errs...)
}
