package pools_test

import (
	"context"
	"fmt"
	"sync"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/pools"
)

// lockedList is a user's free list: a slice behind a mutex.
type lockedList struct {
	mu   sync.Mutex
	free []*pools.Object
	size int
}

func (l *lockedList) Get() *pools.Object {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.free); n > 0 {
		o := l.free[n-1]
		l.free = l.free[:n-1]
		return o
	}
	return pools.NewObject(l.size)
}

func (l *lockedList) Put(o *pools.Object) {
	l.mu.Lock()
	l.free = append(l.free, o)
	l.mu.Unlock()
}

// ExampleNewTarget measures a pool of your own through the adapter the built-in
// pools use: the owner check and the reuse counts come with it.
func ExampleNewTarget() {
	impls.Register(impls.Impl{
		Name:    "example-lockedlist",
		Family:  impls.FamilyPools,
		Summary: "a mutex-guarded slice free list (example)",
		New: func(cfg impls.Config) (impls.Target, error) {
			size := cfg.Size
			if size == 0 {
				size = pools.DefaultSize
			}
			return pools.NewTarget(&lockedList{size: size}, cfg)
		},
	})
	impl, _ := impls.Lookup("example-lockedlist")
	tg, _ := impl.New(impls.Config{Workers: 1, Size: 1024})
	for range 4 {
		tg.Do(context.Background(), impls.Op{Kind: impls.OpAcquire})
	}
	st := tg.(impls.StatsReporter).Stats()
	fmt.Println(tg.Verify(), st["gets"], st["new_objects"], st["reused_pct"])
	// Output: <nil> 4 1 75
}
