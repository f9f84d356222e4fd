package semaphores_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/semaphores"
	"golang.org/x/sync/semaphore"
)

// leaky is a user's semaphore whose Release forgets the weight it is given, and
// which says how much it thinks is held.
type leaky struct {
	mu        sync.Mutex
	free, cap int64
}

func (l *leaky) Acquire(ctx context.Context, n int64) error {
	if !l.TryAcquire(n) {
		return errors.New("leaky: no weight left")
	}
	return nil
}

func (l *leaky) TryAcquire(n int64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n > l.free {
		return false
	}
	l.free -= n
	return true
}

func (l *leaky) Release(int64) {}

func (l *leaky) Held() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cap - l.free
}

func TestNewTargetTryModeDeniesWhatTheSemaphoreRefuses(t *testing.T) {
	sem := &leaky{free: 4, cap: 4}
	tg, err := semaphores.NewTarget(sem, impls.Config{Capacity: 4, Mode: semaphores.ModeTry, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := map[impls.Outcome]int{}
	for _, w := range []int64{3, 1, 1, 5} {
		got[tg.Do(context.Background(), impls.Op{Kind: impls.OpAcquire, Weight: w})]++
	}
	// 3 and 1 are granted (and never given back), the next 1 is refused, and 5
	// is above the capacity: an error, whatever the semaphore would say.
	if got[impls.OK] != 2 || got[impls.Denied] != 1 || got[impls.Error] != 1 {
		t.Fatalf("outcomes %v, want 2 ok, 1 denied, 1 error", got)
	}
	err = tg.Verify()
	if err == nil || !strings.Contains(err.Error(), "still counts 4 weight held") {
		t.Fatalf("Verify = %v, want the leaked weight reported", err)
	}
	stats := tg.(impls.StatsReporter).Stats()
	if stats["acquisitions"] != 2 || stats["denials"] != 1 || stats["errors"] != 1 || stats["capacity"] != 4 {
		t.Fatalf("stats %v", stats)
	}
}

func TestNewTargetRefusesABadConfig(t *testing.T) {
	for _, cfg := range []impls.Config{{Capacity: -1}, {Mode: "wait"}, {Timeout: -1}} {
		if _, err := semaphores.NewTarget(semaphore.NewWeighted(1), cfg); err == nil || strings.HasPrefix(err.Error(), ":") {
			t.Errorf("NewTarget(%+v) = %v, want an error naming the value", cfg, err)
		}
	}
}

// ExampleNewTarget measures golang.org/x/sync/semaphore.Weighted through the
// adapter a semaphore of your own would use: capacity, waits and fairness come
// with it.
func ExampleNewTarget() {
	impls.Register(impls.Impl{
		Name:    "example-weighted",
		Family:  impls.FamilySemaphores,
		Summary: "x/sync Weighted through the public adapter (example)",
		New: func(cfg impls.Config) (impls.Target, error) {
			capacity := cfg.Capacity
			if capacity == 0 {
				capacity = semaphores.DefaultCapacity
			}
			return semaphores.NewTarget(semaphore.NewWeighted(capacity), cfg)
		},
	})
	impl, _ := impls.Lookup("example-weighted")
	tg, _ := impl.New(impls.Config{Capacity: 2, Workers: 1})
	for _, w := range []int64{1, 2, 3} {
		fmt.Print(tg.Do(context.Background(), impls.Op{Kind: impls.OpAcquire, Weight: w}), " ")
	}
	fmt.Println(tg.Verify())
	// Output: ok ok error <nil>
}
