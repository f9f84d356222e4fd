package limiters_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/limiters"
)

// quota is a user's limiter: it admits the first n events ever, then refuses.
// WaitN cannot wait for a quota that never refills, so it fails at once when
// the quota is spent, unless ctx is already done.
type quota struct {
	mu   sync.Mutex
	left int64
}

func (q *quota) AllowN(n int64) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if n > q.left {
		return false
	}
	q.left -= n
	return true
}

func (q *quota) WaitN(ctx context.Context, n int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !q.AllowN(n) {
		return limiters.ErrExceedsBurst
	}
	return nil
}

func do(t *testing.T, tg impls.Target, ctx context.Context, n int, op impls.Op) map[impls.Outcome]int {
	t.Helper()
	got := map[impls.Outcome]int{}
	for range n {
		got[tg.Do(ctx, op)]++
	}
	return got
}

func TestNewTargetAllowModeAdmitsWhatTheLimiterAdmits(t *testing.T) {
	tg, err := limiters.NewTarget(&quota{left: 7}, impls.Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := do(t, tg, context.Background(), 10, impls.Op{Kind: impls.OpAcquire, Weight: 1})
	if got[impls.OK] != 7 || got[impls.Denied] != 3 {
		t.Fatalf("outcomes %v, want 7 OK and 3 denied", got)
	}
	if err := tg.Verify(); err != nil {
		t.Fatal(err)
	}
}

func TestNewTargetWaitModeMapsErrorsToOutcomes(t *testing.T) {
	tg, err := limiters.NewTarget(&quota{left: 2}, impls.Config{Mode: limiters.ModeWait, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	op := impls.Op{Kind: impls.OpAcquire, Weight: 1}
	if got := do(t, tg, context.Background(), 3, op); got[impls.OK] != 2 || got[impls.Denied] != 1 {
		t.Fatalf("outcomes %v, want 2 OK, then the impossible wait denied", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := tg.Do(ctx, op); got != impls.Timeout {
		t.Fatalf("a wait whose context ended is %v, want timeout", got)
	}
}

func TestNewTargetRefusesWhatOneLimiterCannotDo(t *testing.T) {
	for _, cfg := range []impls.Config{{Keys: 10}, {Mode: "try"}} {
		if _, err := limiters.NewTarget(&quota{}, cfg); err == nil {
			t.Errorf("NewTarget accepted %+v", cfg)
		}
	}
}

func TestNewKeyedTargetGivesEveryKeyItsOwnLimiter(t *testing.T) {
	made := 0
	newQuota := func() (limiters.Limiter, error) { made++; return &quota{left: 2}, nil }
	tg, err := limiters.NewKeyedTarget(newQuota, impls.Config{Keys: 3, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := map[impls.Outcome]int{}
	for key := range uint64(3) {
		for range 3 {
			got[tg.Do(context.Background(), impls.Op{Kind: impls.OpAcquire, Weight: 1, Key: key})]++
		}
	}
	if got[impls.OK] != 6 || got[impls.Denied] != 3 {
		t.Fatalf("outcomes %v, want 2 admitted and 1 denied per key", got)
	}
	stats := tg.(impls.StatsReporter).Stats()
	if stats["created_limiters"] != 3 || stats["live_limiters"] != 3 {
		t.Fatalf("stats %v, want 3 limiters created and live", stats)
	}
	if err := tg.Verify(); err != nil {
		t.Fatal(err)
	}
	tg.Close()
}

func TestNewKeyedTargetReturnsTheConstructorsError(t *testing.T) {
	boom := errors.New("no limiter today")
	_, err := limiters.NewKeyedTarget(func() (limiters.Limiter, error) { return nil, boom }, impls.Config{Keys: 2})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v, want the constructor's", err)
	}
}

// ExampleNewTarget registers a limiter of your own so that loadgen (cli.Main)
// measures it beside the built-ins, accuracy included. Here its target is driven
// by hand: a quota of 3 admits 3 of 5 ops.
func ExampleNewTarget() {
	impls.Register(impls.Impl{
		Name:    "example-quota",
		Family:  impls.FamilyLimiters,
		Summary: "a fixed quota of events (example)",
		New: func(cfg impls.Config) (impls.Target, error) {
			return limiters.NewTarget(&quota{left: int64(cfg.Burst)}, cfg)
		},
	})
	impl, _ := impls.Lookup("example-quota")
	tg, _ := impl.New(impls.Config{Burst: 3, Workers: 1})
	defer tg.Close()
	for range 5 {
		fmt.Print(tg.Do(context.Background(), impls.Op{Kind: impls.OpAcquire, Weight: 1}), " ")
	}
	fmt.Println()
	// Output: ok ok ok denied denied
}

// ExampleNewKeyedTarget gives every key its own quota, as a per-user limit
// would.
func ExampleNewKeyedTarget() {
	tg, _ := limiters.NewKeyedTarget(func() (limiters.Limiter, error) { return &quota{left: 1}, nil },
		impls.Config{Keys: 2, Workers: 1})
	defer tg.Close()
	for _, key := range []uint64{0, 0, 1, 1} {
		fmt.Print(tg.Do(context.Background(), impls.Op{Kind: impls.OpAcquire, Weight: 1, Key: key}), " ")
	}
	fmt.Println()
	// Output: ok denied ok denied
}
