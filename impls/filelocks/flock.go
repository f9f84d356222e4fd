package filelocks

import (
	"context"

	"github.com/gofrs/flock"
)

// flockLocker is one worker's gofrs/flock handle.
type flockLocker struct{ f *flock.Flock }

// NewFlock returns a Locker taking flock(2) locks on path, created if missing. Each
// goroutine needs its own: one *flock.Flock shared by goroutines does not exclude
// them.
func NewFlock(path string) Locker { return &flockLocker{f: flock.New(path)} }

func (l *flockLocker) Lock(ctx context.Context, mode Mode) error {
	try, wait := l.f.TryLock, l.f.Lock
	if mode == Shared {
		try, wait = l.f.TryRLock, l.f.RLock
	}
	if ctx.Done() == nil {
		return wait()
	}
	return poll(ctx, try)
}

func (l *flockLocker) Unlock() error { return l.f.Unlock() }
func (l *flockLocker) Close() error  { return l.f.Close() }
