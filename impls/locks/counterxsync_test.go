package locks

import (
	"context"
	"sync"
	"testing"

	"github.com/syncbench/syncbench/impls"
)

func TestCounterXsyncCountsEveryIncrement(t *testing.T) {
	const workers, writes = 8, 1000
	impl, ok := impls.Lookup("counter-xsync")
	if !ok {
		t.Fatal("counter-xsync is not registered")
	}
	target := newTarget(t, impl, impls.Config{Workers: workers})
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range writes {
				target.Do(context.Background(), write(w))
				if i%4 == 0 {
					target.Do(context.Background(), read(w))
				}
			}
		})
	}
	wg.Wait()
	if err := target.Verify(); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if got := target.(*counterXsyncTarget).c.Value(); got != workers*writes {
		t.Errorf("Value = %d, want exactly %d", got, workers*writes)
	}
}
