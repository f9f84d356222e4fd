// Command external is loadgen built in another module with that module's own
// limiter and locks registered through the public adapters.
package main

import (
	"context"
	"os"
	"sync"
	"time"

	"github.com/syncbench/syncbench/cli"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/limiters"
	"github.com/syncbench/syncbench/impls/locks"
)

func main() {
	impls.Register(impls.Impl{
		Name: "ext-limiter", Family: impls.FamilyLimiters,
		Summary: "evenly spaced admissions, one per 1/limit (external module)",
		New: func(cfg impls.Config) (impls.Target, error) {
			return limiters.NewTarget(newSpacer(cfg), cfg)
		},
	})
	impls.Register(impls.Impl{
		Name: "ext-lock", Family: impls.FamilyLocks,
		Summary: "sync.Mutex behind a type of the external module",
		New:     func(cfg impls.Config) (impls.Target, error) { return locks.NewTarget(&guard{}, cfg) },
	})
	impls.Register(impls.Impl{
		Name: "ext-nolock", Family: impls.FamilyLocks,
		Summary: "a lock that excludes nobody: its runs must fail the lost-update check",
		New:     func(cfg impls.Config) (impls.Target, error) { return locks.NewTarget(noLock{}, cfg) },
	})
	os.Exit(cli.Main(os.Args[1:]))
}

// spacer admits one event per 1/limit seconds, with no burst beyond one.
type spacer struct {
	mu       sync.Mutex
	now      func() time.Time
	interval time.Duration
	next     time.Time
}

func newSpacer(cfg impls.Config) *spacer {
	limit := cfg.Limit
	if limit <= 0 {
		limit = limiters.DefaultLimit
	}
	return &spacer{now: cfg.Clock(), interval: time.Duration(float64(time.Second) / limit)}
}

func (s *spacer) AllowN(n int64) bool {
	if n < 1 {
		return true
	}
	if n > 1 {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.now()
	if t.Before(s.next) {
		return false
	}
	s.next = t.Add(s.interval)
	return true
}

func (s *spacer) WaitN(ctx context.Context, n int64) error {
	if n > 1 {
		return limiters.ErrExceedsBurst
	}
	for !s.AllowN(n) {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(s.interval / 4):
		}
	}
	return nil
}

// guard is the module's own lock type.
type guard struct{ mu sync.Mutex }

func (g *guard) Lock()   { g.mu.Lock() }
func (g *guard) Unlock() { g.mu.Unlock() }

// noLock excludes nobody.
type noLock struct{}

func (noLock) Lock()   {}
func (noLock) Unlock() {}
