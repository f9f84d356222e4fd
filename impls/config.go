package impls

import "time"

// Config is what a constructor gets. Every family reads the fields that concern it
// and ignores the rest; zero values mean "use the family's default" unless a field
// says otherwise.
type Config struct {
	// Workers is the number of goroutines that will call Do concurrently; Op.Worker
	// is always below it. At least 1.
	Workers int
	// Keys is the number of distinct keys ops are spread over (maps, keyed
	// limiters). Zero or 1 means a single key.
	Keys int
	// Seed seeds any randomness inside the target.
	Seed int64

	// Capacity is a semaphore's total weight.
	Capacity int64
	// Timeout bounds a blocking acquire; zero means wait for the op's context only.
	Timeout time.Duration
	// Mode selects the blocking style: for semaphores "acquire" (default) or "try";
	// for limiters "allow" (default) or "wait".
	Mode string

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
}

// Clock returns c.Now, or time.Now when it is nil.
func (c Config) Clock() func() time.Time {
	if c.Now != nil {
		return c.Now
	}
	return time.Now
}
