package semaphores

import (
	"context"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// TestAHeldWeightIsReleasedOnInterrupt: an op holding its weight for an hour
// ends when its context is cancelled, for every semaphore, so one SIGINT stops
// a -hold run at once. The minute-long guard only turns a hang into a failure.
func TestAHeldWeightIsReleasedOnInterrupt(t *testing.T) {
	for _, impl := range impls.All() {
		if impl.Family != impls.FamilySemaphores {
			continue
		}
		t.Run(impl.Name, func(t *testing.T) {
			target, err := impl.New(impls.Config{Workers: 1, Capacity: 1})
			if err != nil {
				t.Fatal(err)
			}
			defer target.Close()
			ctx, cancel := context.WithCancel(context.Background())
			started := make(chan struct{})
			done := make(chan struct{})
			go func() {
				defer close(done)
				close(started)
				target.Do(ctx, impls.Op{Kind: impls.OpWrite, Hold: time.Hour})
			}()
			<-started
			// Give the op time to acquire and start its hold; were it slower,
			// the test would pass without testing, never fail falsely.
			time.Sleep(50 * time.Millisecond)
			cancel()
			select {
			case <-done:
			case <-time.After(time.Minute):
				t.Fatal("an hour-long hold ignored its cancelled context")
			}
		})
	}
}
