package semaphores

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"
)

// waitQueued yields until s has n queued waiters, so a test knows the order in
// which its goroutines enqueued. It fails the test rather than hang.
func waitQueued(t *testing.T, s *FIFO, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for s.Waiting() != n {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %d queued waiters, have %d", n, s.Waiting())
		}
		runtime.Gosched()
	}
}

// acquireAsync starts Acquire(ctx, n) in a goroutine and returns where its
// result will arrive.
func acquireAsync(ctx context.Context, s *FIFO, n int64) <-chan error {
	res := make(chan error, 1)
	go func() { res <- s.Acquire(ctx, n) }()
	return res
}

func TestFIFOGrantsWaitersInArrivalOrder(t *testing.T) {
	ctx := context.Background()
	s := NewFIFO(4)
	if err := s.Acquire(ctx, 4); err != nil {
		t.Fatal(err)
	}
	const waiters = 6
	granted := make([]<-chan error, waiters)
	for i := range granted {
		granted[i] = acquireAsync(ctx, s, 1)
		waitQueued(t, s, i+1)
	}
	for i := range granted {
		s.Release(1) // frees exactly one unit: only the head may take it
		if err := <-granted[i]; err != nil {
			t.Fatalf("waiter %d: %v", i, err)
		}
		for j := i + 1; j < waiters; j++ {
			select {
			case <-granted[j]:
				t.Fatalf("waiter %d was granted before waiter %d had finished being granted", j, i)
			default:
			}
		}
		if got, want := s.Waiting(), waiters-i-1; got != want {
			t.Fatalf("after grant %d: %d waiting, want %d", i, got, want)
		}
	}
	// Each single release was handed straight to a waiter: 4 are still held.
	if h := s.Held(); h != 4 {
		t.Fatalf("held %d, want 4", h)
	}
	s.Release(4)
	if h := s.Held(); h != 0 {
		t.Fatalf("held %d after releasing everything, want 0", h)
	}
}

func TestFIFOHeavyHeadBlocksLighterWaitersBehindIt(t *testing.T) {
	ctx := context.Background()
	s := NewFIFO(4)
	if err := s.Acquire(ctx, 4); err != nil {
		t.Fatal(err)
	}
	heavy := acquireAsync(ctx, s, 4)
	waitQueued(t, s, 1)
	light := acquireAsync(ctx, s, 1)
	waitQueued(t, s, 2)

	s.Release(1) // one unit free: enough for light, not for heavy at the head
	if got := s.Waiting(); got != 2 {
		t.Fatalf("after freeing 1 unit, %d waiting, want both (head-of-line blocking)", got)
	}
	if s.TryAcquire(1) {
		t.Fatal("TryAcquire overtook the queue")
	}
	s.Release(3)
	if err := <-heavy; err != nil {
		t.Fatal(err)
	}
	select {
	case <-light:
		t.Fatal("light waiter granted while heavy holds all 4")
	default:
	}
	s.Release(4)
	if err := <-light; err != nil {
		t.Fatal(err)
	}
	s.Release(1)
	if s.Held() != 0 || s.Waiting() != 0 {
		t.Fatalf("held %d, waiting %d; want 0, 0", s.Held(), s.Waiting())
	}
}

func TestFIFOCancelledHeadWakesTheWaitersBehindIt(t *testing.T) {
	s := NewFIFO(4)
	if err := s.Acquire(context.Background(), 3); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	heavy := acquireAsync(ctx, s, 2)
	waitQueued(t, s, 1)
	light := acquireAsync(context.Background(), s, 1)
	waitQueued(t, s, 2)

	cancel()
	if err := <-heavy; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled heavy waiter returned %v, want context.Canceled", err)
	}
	if err := <-light; err != nil {
		t.Fatalf("light waiter behind the cancelled head: %v", err)
	}
	if s.Held() != 4 {
		t.Fatalf("held %d, want 4 (3 + the light waiter's 1; nothing of the cancelled one)", s.Held())
	}
	s.Release(4)
	if !s.TryAcquire(4) {
		t.Fatal("full size not acquirable after the cancellation")
	}
}

func TestFIFOCancelledMiddleWaiterKeepsOrder(t *testing.T) {
	s := NewFIFO(1)
	bg := context.Background()
	if err := s.Acquire(bg, 1); err != nil {
		t.Fatal(err)
	}
	first := acquireAsync(bg, s, 1)
	waitQueued(t, s, 1)
	ctx, cancel := context.WithCancel(bg)
	middle := acquireAsync(ctx, s, 1)
	waitQueued(t, s, 2)
	last := acquireAsync(bg, s, 1)
	waitQueued(t, s, 3)

	cancel()
	if err := <-middle; !errors.Is(err, context.Canceled) {
		t.Fatalf("middle waiter returned %v, want context.Canceled", err)
	}
	if got := s.Waiting(); got != 2 {
		t.Fatalf("%d waiting after removing the middle one, want 2", got)
	}
	s.Release(1)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	s.Release(1)
	if err := <-last; err != nil {
		t.Fatal(err)
	}
	s.Release(1)
	if s.Held() != 0 {
		t.Fatalf("held %d, want 0", s.Held())
	}
}

func TestFIFORejectsImpossibleAndDoneRequests(t *testing.T) {
	s := NewFIFO(2)
	if err := s.Acquire(context.Background(), 3); !errors.Is(err, ErrTooHeavy) {
		t.Errorf("Acquire(3) of size 2 returned %v, want ErrTooHeavy", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Acquire(ctx, 1); !errors.Is(err, context.Canceled) {
		t.Errorf("Acquire with a done ctx returned %v, want context.Canceled even though 1 fits", err)
	}
	if s.Held() != 0 {
		t.Errorf("held %d after failed acquires, want 0", s.Held())
	}
}

func TestFIFOPanicsOnMisuse(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"releasing more than is held panics", func() { NewFIFO(2).Release(1) }},
		{"releasing more than is held while waiters queue panics", func() {
			s := NewFIFO(1)
			_ = s.Acquire(context.Background(), 1)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go func() { _ = s.Acquire(ctx, 1) }()
			for s.Waiting() == 0 {
				runtime.Gosched()
			}
			s.Release(2)
		}},
		{"a negative weight panics", func() { _ = NewFIFO(2).Acquire(context.Background(), -1) }},
		{"a negative size panics", func() { NewFIFO(-1) }},
		{"a size above MaxFIFOSize panics", func() { NewFIFO(MaxFIFOSize + 1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("did not panic")
				}
			}()
			tc.f()
		})
	}
}
