package queues

import "context"

// chanQueue is the Go idiom: a buffered channel of items. Its blocking calls
// park the goroutine on the channel's wait queue, so an idle consumer costs
// nothing; the runtime keeps one FIFO order over the buffer and the senders
// waiting on it.
type chanQueue chan Item

func newChanQueue(capacity int) chanQueue { return make(chanQueue, capacity) }

func (q chanQueue) Enqueue(ctx context.Context, item Item) error {
	select {
	case q <- item:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (q chanQueue) Dequeue(ctx context.Context) (Item, error) {
	select {
	case item := <-q:
		return item, nil
	case <-ctx.Done():
		return Item{}, ctx.Err()
	}
}

func (q chanQueue) TryEnqueue(item Item) bool {
	select {
	case q <- item:
		return true
	default:
		return false
	}
}

func (q chanQueue) TryDequeue() (Item, bool) {
	select {
	case item := <-q:
		return item, true
	default:
		return Item{}, false
	}
}
