//go:build linux

package redis

import (
	"context"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/syncbench/syncbench/internal/redistest"
)

func TestKilledHolderLockFreesWithinItsTTL(t *testing.T) {
	srv := redistest.Start(t)
	const ttl = time.Second
	child, line := startHolder(t, srv.Addr(), "vanishing", ttl)
	granted := time.Now() // no earlier than the child's grant
	childFence, err := strconv.ParseInt(line, 10, 64)
	if err != nil {
		t.Fatalf("child said %q", line)
	}
	lock := NewLock(newClient(t, srv), "vanishing", ttl)
	ctx := context.Background()
	if _, ok, err := lock.TryAcquire(ctx); ok || err != nil {
		t.Fatalf("TryAcquire while the child holds it = %v, %v; want refused", ok, err)
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	// Unlike a file lock, nothing releases a Redis lock when its holder dies:
	// only the lease's expiry does.
	wctx, cancel := context.WithTimeout(ctx, ttl+time.Second)
	defer cancel()
	lease, err := lock.Acquire(wctx)
	if err != nil {
		t.Fatalf("lock still taken %v after the holder died: %v", time.Since(granted), err)
	}
	t.Logf("acquired %v after the dead holder's grant (TTL %v)", time.Since(granted), ttl)
	if lease.Fence <= childFence {
		t.Fatalf("fence %d not above the dead holder's %d", lease.Fence, childFence)
	}
}
