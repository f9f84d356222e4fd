package metrics

import (
	"runtime"
	"testing"
)

// TestThreadCPUNsCountsTheThreadsOwnWork: on a locked thread the clock reads,
// never goes back, and moves on over work that takes CPU (a loop of 10⁷
// multiplications takes milliseconds on any machine; no bound on how much is
// asserted, only that it is counted).
func TestThreadCPUNsCountsTheThreadsOwnWork(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if !ThreadCPUAvailable() {
		t.Fatal("no thread CPU clock on Linux")
	}
	before := ThreadCPUNs()
	x := uint64(1)
	for i := range 10_000_000 {
		x = x*6364136223846793005 + uint64(i)
	}
	after := ThreadCPUNs()
	if x == 0 {
		t.Log("unreachable: keeps the loop")
	}
	if before <= 0 || after <= before {
		t.Fatalf("thread CPU %d ns before 10⁷ multiplications, %d after; want it to grow", before, after)
	}
}
