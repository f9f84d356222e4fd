package coalescing

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// ErrClosed is the error of a backend call still running when its target is
// closed.
var ErrClosed = errors.New("coalescing: target closed")

// backend is the slow service every coalescer of a target sits in front of. It
// counts its calls (a few atomic adds per call, which takes microseconds
// anyway), and close ends the calls still in flight (a detached call's context
// is never cancelled) and waits for them, so no goroutine outlives its target.
type backend struct {
	calls, aborted atomic.Int64
	// state is the calls in flight, with closedBit set once close began: one
	// word, so a call that starts as the target closes either is counted
	// before close reads it or sees the bit and does not run.
	state     atomic.Int64
	stop      chan struct{} // closed by close: ends the calls' sleeps
	drained   chan struct{} // closed when closing and no call is in flight
	drainOnce sync.Once
	stopOnce  sync.Once
}

const closedBit = 1 << 62

func newBackend() *backend {
	return &backend{stop: make(chan struct{}), drained: make(chan struct{})}
}

// fetch answers req after sleeping req.Hold and spinning req.Work, or fails
// when ctx ends or the backend closes first.
func (b *backend) fetch(ctx context.Context, req Request) (Answer, error) {
	if b.state.Add(1)&closedBit != 0 {
		b.leave()
		return Answer{}, ErrClosed
	}
	defer b.leave()
	b.calls.Add(1)
	if err := b.sleep(ctx, req.Hold); err != nil {
		b.aborted.Add(1)
		return Answer{}, err
	}
	impls.BusyWork(req.Work)
	return Answer{Key: req.Key, Value: ValueOf(req.Key)}, nil
}

func (b *backend) leave() {
	if b.state.Add(-1) == closedBit {
		b.drainOnce.Do(func() { close(b.drained) })
	}
}

func (b *backend) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-b.stop:
		return ErrClosed
	}
}

// close ends the calls in flight and waits for them. Safe to call more than
// once.
func (b *backend) close() {
	b.stopOnce.Do(func() {
		if b.state.Or(closedBit) == 0 {
			b.drainOnce.Do(func() { close(b.drained) })
		}
		close(b.stop)
	})
	<-b.drained
}
