package queues

import (
	"context"
	"errors"
	"testing"
)

func TestACondWaitEndsWithItsContext(t *testing.T) {
	q := newCondQueue(1)
	for i := range maxWatched + 3 {
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error)
		go func() {
			_, err := q.Dequeue(ctx) // the queue is empty: it waits
			errc <- err
		}()
		cancel()
		if err := <-errc; !errors.Is(err, context.Canceled) {
			t.Fatalf("wait %d: Dequeue = %v, want its context's error", i, err)
		}
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.watched) > maxWatched {
		t.Fatalf("%d contexts watched, want at most %d", len(q.watched), maxWatched)
	}
}
