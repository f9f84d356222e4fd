package semaphores

import "context"

// chanSem is the classic buffered-channel semaphore: the channel's buffer is the
// capacity and each token in it is one unit held, so acquiring is a send and
// releasing a receive.
//
// Weights above 1 are where the idiom breaks: two goroutines each sending their
// tokens one by one can each end up holding part of what they need, and wait for
// each other for ever. So a multi-token acquire first takes a turn (a one-slot
// channel, which unlike a mutex can be abandoned when ctx is done) and only the
// turn holder may hold a partial set; if ctx ends mid-way it receives back the
// tokens it sent, leaving the count as it found it. Weight-1 acquires skip the
// turn: a single send is atomic and cannot hold a partial set. They can therefore
// overtake a heavy acquire that is filling, so heavy acquires may starve: no order
// is promised beyond the runtime's channel queues.
type chanSem struct {
	tokens chan struct{}
	turn   chan struct{}
}

func newChanSem(capacity int64) *chanSem {
	return &chanSem{tokens: make(chan struct{}, capacity), turn: make(chan struct{}, 1)}
}

func (s *chanSem) Acquire(ctx context.Context, n int64) error {
	if n > int64(cap(s.tokens)) {
		return ErrTooHeavy
	}
	done := ctx.Done()
	if n == 1 {
		select {
		case s.tokens <- struct{}{}:
			return nil
		case <-done:
			return ctx.Err()
		}
	}
	if n <= 0 {
		return nil
	}
	select {
	case s.turn <- struct{}{}:
	case <-done:
		return ctx.Err()
	}
	for sent := range n {
		select {
		case s.tokens <- struct{}{}:
		case <-done:
			s.drain(sent)
			<-s.turn
			return ctx.Err()
		}
	}
	<-s.turn
	return nil
}

func (s *chanSem) TryAcquire(n int64) bool {
	if n > int64(cap(s.tokens)) {
		return false
	}
	if n == 1 {
		select {
		case s.tokens <- struct{}{}:
			return true
		default:
			return false
		}
	}
	if n <= 0 {
		return true
	}
	select {
	case s.turn <- struct{}{}:
	default:
		return false
	}
	defer func() { <-s.turn }()
	for sent := range n {
		select {
		case s.tokens <- struct{}{}:
		default:
			s.drain(sent)
			return false
		}
	}
	return true
}

// drain takes back k tokens this goroutine sent. It cannot block: nobody
// receives more tokens than they sent, so at least k are in the buffer.
func (s *chanSem) drain(k int64) {
	for ; k > 0; k-- {
		<-s.tokens
	}
}

func (s *chanSem) Release(n int64) {
	for ; n > 0; n-- {
		select {
		case <-s.tokens:
		default:
			panic("semaphores: chansem released more than held")
		}
	}
}

// Held is the number of tokens in the buffer, for the post-run check.
func (s *chanSem) Held() int64 { return int64(len(s.tokens)) }
