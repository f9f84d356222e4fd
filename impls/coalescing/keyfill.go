package coalescing

import (
	"context"
	"sync"
	"sync/atomic"
)

// keyFill is the hand-made alternative to singleflight: a mutex per key slot
// and a fill count. A caller reads the slot's count, takes its mutex, and if a
// fill finished meanwhile (the count moved) takes that fill's answer; otherwise
// it fetches itself, stores the answer and moves the count. So callers that
// arrive during a fill share it, as singleflight's do, but they wake one at a
// time (each takes the mutex in turn), a caller cannot leave while it waits
// (sync.Mutex has no context), and a failed fill is not shared: the next waiter
// fetches again.
//
// Keys share slots modulo the slot count, so a slot's answer is taken only
// when it is for the caller's own key.
type keyFill struct {
	slots []fillSlot
}

type fillSlot struct {
	mu    sync.Mutex
	fills atomic.Uint64
	ans   Answer // the last successful fill's; guarded by mu
	ok    bool   // whether the last fill succeeded; guarded by mu
	_     [64 - 8 - 8 - 16 - 8]byte
}

func newKeyFill(keys int) *keyFill {
	return &keyFill{slots: make([]fillSlot, min(max(keys, 1), maxKeyTable))}
}

func (k *keyFill) Get(ctx context.Context, req Request, fetch Fetch) (Answer, error) {
	s := &k.slots[req.Key%uint64(len(k.slots))]
	seen := s.fills.Load()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fills.Load() != seen && s.ok && s.ans.Key == req.Key {
		return s.ans, nil
	}
	a, err := fetch(ctx, req)
	s.ans, s.ok = a, err == nil
	s.fills.Add(1)
	return a, err
}
