package locks

import (
	"context"
	"testing"

	"github.com/syncbench/syncbench/impls"
)

func TestCasspinGivesUpOnACancelledContextWhileSpinning(t *testing.T) {
	target := &casspinTarget{ledger: newLedger("casspin", 1)}
	target.held.Store(true) // as if another worker held the lock
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := target.Do(ctx, write(0)); got != impls.Timeout {
		t.Fatalf("Do on a held lock with a cancelled context = %v, want timeout", got)
	}
	if target.n != 0 {
		t.Fatalf("count = %d after a timed-out write, want 0", target.n)
	}

	target.held.Store(false)
	if got := target.Do(ctx, write(0)); got != impls.OK {
		t.Fatalf("Do on a free lock with a cancelled context = %v, want ok (an uncontended acquire ignores ctx)", got)
	}
	if target.held.Load() {
		t.Error("lock still held after Do returned")
	}
	if err := target.Verify(); err != nil {
		t.Errorf("Verify: %v", err)
	}
}
