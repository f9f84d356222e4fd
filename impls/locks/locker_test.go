package locks_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/locks"
)

// countingRWMutex is a user's reader/writer lock that counts how it is taken.
type countingRWMutex struct {
	sync.RWMutex
	locks, rlocks int
	count         sync.Mutex // guards the counters: readers take RLock together
}

func (m *countingRWMutex) Lock() {
	m.RWMutex.Lock()
	m.count.Lock()
	m.locks++
	m.count.Unlock()
}

func (m *countingRWMutex) RLock() {
	m.RWMutex.RLock()
	m.count.Lock()
	m.rlocks++
	m.count.Unlock()
}

// exclusiveOnly hides RLock: a plain sync.Locker.
type exclusiveOnly struct{ mu *countingRWMutex }

func (e exclusiveOnly) Lock()   { e.mu.Lock() }
func (e exclusiveOnly) Unlock() { e.mu.Unlock() }

func run(t *testing.T, tg impls.Target, workers, reads, writes int) {
	t.Helper()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range reads + writes {
				kind := impls.OpRead
				if i < writes {
					kind = impls.OpWrite
				}
				if got := tg.Do(context.Background(), impls.Op{Kind: kind, Worker: w}); got != impls.OK {
					t.Errorf("Do = %v, want ok", got)
				}
			}
		})
	}
	wg.Wait()
}

func TestNewTargetTakesRLockForReadsWhenTheLockHasOne(t *testing.T) {
	mu := &countingRWMutex{}
	tg, err := locks.NewTarget(mu, impls.Config{Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	run(t, tg, 4, 30, 20)
	if mu.locks != 80 || mu.rlocks != 120 {
		t.Fatalf("%d Lock and %d RLock calls, want 80 writes under Lock and 120 reads under RLock", mu.locks, mu.rlocks)
	}
	if err := tg.Verify(); err != nil {
		t.Fatalf("a correct lock failed the check: %v", err)
	}
}

func TestNewTargetTakesLockForEverythingWithoutRLock(t *testing.T) {
	mu := &countingRWMutex{}
	tg, _ := locks.NewTarget(exclusiveOnly{mu}, impls.Config{Workers: 2})
	run(t, tg, 2, 5, 5)
	if mu.locks != 20 || mu.rlocks != 0 {
		t.Fatalf("%d Lock and %d RLock calls, want all 20 ops under Lock", mu.locks, mu.rlocks)
	}
	if err := tg.Verify(); err != nil {
		t.Fatal(err)
	}
}

func ExampleNewTarget() {
	impls.Register(impls.Impl{
		Name:    "example-mutex",
		Family:  impls.FamilyLocks,
		Summary: "sync.Mutex through the public adapter (example)",
		New: func(cfg impls.Config) (impls.Target, error) {
			return locks.NewTarget(&sync.Mutex{}, cfg)
		},
	})
	impl, _ := impls.Lookup("example-mutex")
	tg, _ := impl.New(impls.Config{Workers: 1})
	for range 3 {
		tg.Do(context.Background(), impls.Op{Kind: impls.OpWrite})
	}
	var inv *impls.InvariantError
	fmt.Println(tg.Verify() == nil, errors.As(tg.Verify(), &inv))
	// Output: true false
}
