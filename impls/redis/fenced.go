package redis

import (
	"context"
	"fmt"
	"strconv"

	goredis "github.com/redis/go-redis/v9"
)

// FencedStore is a value in Redis (a hash at one key) guarded by fencing tokens:
// a write carrying a token lower than the highest token already written is
// rejected. Writing with Lease.Fence makes a holder whose lease expired unable to
// overwrite the work of the holder that replaced it, which the lock alone cannot
// prevent. A FencedStore is safe for concurrent use.
type FencedStore struct {
	client goredis.Cmdable
	keys   []string
}

// NewFencedStore returns the store at key.
func NewFencedStore(client goredis.Cmdable, key string) *FencedStore {
	return &FencedStore{client: client, keys: []string{key}}
}

// Write stores value if fence is at least the highest fence written so far
// (equal is accepted so that one holder may write several times) and reports
// whether it did; a stale fence is false with a nil error.
func (s *FencedStore) Write(ctx context.Context, fence int64, value string) (bool, error) {
	n, err := fencedWriteScript.Run(ctx, s.client, s.keys, fence, value).Int64()
	return n == 1, err
}

// Read returns the stored value and the fence it was written with; an empty store
// reads as "", 0.
func (s *FencedStore) Read(ctx context.Context) (value string, fence int64, err error) {
	v, err := s.client.HMGet(ctx, s.keys[0], "value", "fence").Result()
	if err != nil {
		return "", 0, err
	}
	if v[0] == nil {
		return "", 0, nil
	}
	value, _ = v[0].(string)
	fs, _ := v[1].(string)
	if fence, err = strconv.ParseInt(fs, 10, 64); err != nil {
		return "", 0, fmt.Errorf("fenced store %s: malformed fence %q", s.keys[0], fs)
	}
	return value, fence, nil
}
