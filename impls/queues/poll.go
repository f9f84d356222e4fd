package queues

import (
	"context"
	"runtime"
)

// pollEnqueue and pollDequeue give blocking calls to a queue that can only try,
// the way xsync v3's MPMCQueue blocked: try, yield the processor with
// runtime.Gosched, try again, until the try succeeds or ctx ends. A waiting
// goroutine never parks, so while it waits it keeps a processor busy whenever
// nothing else is runnable: that is the CPU an idle consumer of such a queue
// costs, and what the queue family's idle workload shows. They are the slow
// path only: the target tries first, calling the queue's own TryEnqueue.
func pollEnqueue[Q TryEnqueuer](ctx context.Context, q Q, item Item) error {
	done := ctx.Done()
	for !q.TryEnqueue(item) {
		select {
		case <-done:
			return ctx.Err()
		default:
			runtime.Gosched()
		}
	}
	return nil
}

func pollDequeue[Q TryDequeuer](ctx context.Context, q Q) (Item, error) {
	done := ctx.Done()
	for {
		if item, ok := q.TryDequeue(); ok {
			return item, nil
		}
		select {
		case <-done:
			return Item{}, ctx.Err()
		default:
			runtime.Gosched()
		}
	}
}
