package locks

import (
	"context"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// TestAHeldLockIsReleasedOnInterrupt: an op holding the lock for an hour ends
// when its context is cancelled, for every lock, so one SIGINT stops a -hold
// run at once. The minute-long guard only turns a hang into a failure.
func TestAHeldLockIsReleasedOnInterrupt(t *testing.T) {
	for _, impl := range impls.All() {
		if impl.Family != impls.FamilyLocks {
			continue
		}
		t.Run(impl.Name, func(t *testing.T) {
			target, err := impl.New(impls.Config{Workers: 1, Keys: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer target.Close()
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				defer close(done)
				target.Do(ctx, impls.Op{Kind: impls.OpWrite, Hold: time.Hour})
			}()
			cancel()
			select {
			case <-done:
			case <-time.After(time.Minute):
				t.Fatal("an hour-long hold ignored its cancelled context")
			}
		})
	}
}
