package locks

import (
	"context"
	"testing"

	"github.com/syncbench/syncbench/impls"
)

func TestActorClose(t *testing.T) {
	target, err := newActor(impls.Config{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	actor := target.(*actorTarget)
	if got := actor.Do(context.Background(), write(1)); got != impls.OK {
		t.Fatalf("Do before Close = %v, want ok", got)
	}
	if err := actor.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	t.Run("Close stops the owner goroutine before returning", func(t *testing.T) {
		select {
		case <-actor.done:
		default:
			t.Fatal("owner goroutine still running after Close returned")
		}
	})
	t.Run("Do after Close fails instead of blocking", func(t *testing.T) {
		if got := actor.Do(context.Background(), write(0)); got != impls.Error {
			t.Errorf("Do after Close = %v, want error", got)
		}
	})
	t.Run("Close twice is harmless", func(t *testing.T) {
		if err := actor.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
	})
	t.Run("Verify after Close still sees the count", func(t *testing.T) {
		if err := actor.Verify(); err != nil {
			t.Errorf("Verify: %v", err)
		}
		if got := actor.count(); got != 1 {
			t.Errorf("count = %d, want 1", got)
		}
	})
}

func TestActorGivesUpOnACancelledContextWhileQueueing(t *testing.T) {
	// No owner goroutine, and the queue already full: the request can never be
	// accepted, so only the context can end the wait.
	actor := newIdleActor(impls.Config{Workers: 1})
	actor.requests <- actorRequest{op: read(0), reply: make(chan int64, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := actor.Do(ctx, write(0)); got != impls.Timeout {
		t.Errorf("Do with a cancelled context and a full queue = %v, want timeout", got)
	}
	if writes, _ := actor.totals(); writes != 0 {
		t.Errorf("acknowledged writes = %d, want 0", writes)
	}
}
