package semaphores

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

var implNames = []string{"chansem", "weighted", "fifo", "condsem", "errgroup", "marusama"}

// weightedImpls are the implementations that accept weights above 1.
var weightedImpls = []string{"chansem", "weighted", "fifo", "condsem", "marusama"}

func newImpl(t *testing.T, name string, cfg impls.Config) impls.Target {
	t.Helper()
	impl, ok := impls.Lookup(name)
	if !ok {
		t.Fatalf("%s is not registered", name)
	}
	tg, err := impl.New(cfg)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	t.Cleanup(func() { _ = tg.Close() })
	return tg
}

func TestEveryImplementationIsRegisteredInTheSemaphoreFamily(t *testing.T) {
	for _, name := range implNames {
		impl, ok := impls.Lookup(name)
		if !ok {
			t.Errorf("%s is not registered", name)
			continue
		}
		if impl.Family != impls.FamilySemaphores || impl.Summary == "" {
			t.Errorf("%s: family %q, summary %q", name, impl.Family, impl.Summary)
		}
		if _, ok := newImpl(t, name, impls.Config{Workers: 1}).(impls.StatsReporter); !ok {
			t.Errorf("%s does not report stats", name)
		}
	}
}

func TestConstructorsValidateTheConfig(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     impls.Config
		wantErr bool
	}{
		{"a zero config uses the defaults", impls.Config{}, false},
		{"acquire mode is accepted", impls.Config{Mode: "acquire", Capacity: 2}, false},
		{"try mode is accepted", impls.Config{Mode: "try"}, false},
		{"an unknown mode is rejected", impls.Config{Mode: "wait"}, true},
		{"a negative capacity is rejected", impls.Config{Capacity: -1}, true},
		{"a negative timeout is rejected", impls.Config{Timeout: -time.Second}, true},
	} {
		for _, name := range implNames {
			t.Run(name+": "+tc.name, func(t *testing.T) {
				tg, err := mustLookup(t, name).New(tc.cfg)
				if (err != nil) != tc.wantErr {
					t.Fatalf("New(%+v) error = %v, want error %v", tc.cfg, err, tc.wantErr)
				}
				if err == nil {
					_ = tg.Close()
				}
			})
		}
	}
	t.Run("marusama rejects a capacity its 32-bit count cannot hold", func(t *testing.T) {
		if _, err := mustLookup(t, "marusama").New(impls.Config{Capacity: 1 << 33}); err == nil {
			t.Error("no error")
		}
	})
	t.Run("fifo rejects a capacity above MaxFIFOSize", func(t *testing.T) {
		if _, err := mustLookup(t, "fifo").New(impls.Config{Capacity: MaxFIFOSize + 1}); err == nil {
			t.Error("no error")
		}
	})
}

func mustLookup(t *testing.T, name string) impls.Impl {
	t.Helper()
	impl, ok := impls.Lookup(name)
	if !ok {
		t.Fatalf("%s is not registered", name)
	}
	return impl
}

func TestAWeightAboveCapacityIsAnError(t *testing.T) {
	for _, name := range implNames {
		for _, mode := range []impls.Mode{ModeAcquire, ModeTry} {
			t.Run(name+" in "+string(mode)+" mode", func(t *testing.T) {
				tg := newImpl(t, name, impls.Config{Workers: 1, Capacity: 4, Mode: mode})
				if got := tg.Do(context.Background(), impls.Op{Kind: impls.OpAcquire, Weight: 5}); got != impls.Error {
					t.Errorf("weight 5 of capacity 4: %v, want error", got)
				}
				if err := tg.Verify(); err != nil {
					t.Error(err)
				}
			})
		}
	}
	t.Run("errgroup cannot take a weight above 1", func(t *testing.T) {
		tg := newImpl(t, "errgroup", impls.Config{Workers: 1, Capacity: 4})
		if got := tg.Do(context.Background(), impls.Op{Weight: 2}); got != impls.Error {
			t.Errorf("weight 2: %v, want error", got)
		}
	})
}

// fill takes the whole capacity of tg's semaphore from outside the target and
// returns a function that gives it back.
func fill(t *testing.T, tg impls.Target, capacity int64) (release func()) {
	t.Helper()
	switch tg := tg.(type) {
	case *target:
		if !tg.sem.TryAcquire(capacity) {
			t.Fatal("could not fill an idle semaphore")
		}
		return func() { tg.sem.Release(capacity) }
	case *errgroupTarget:
		block := make(chan struct{})
		for range capacity {
			if !tg.g.TryGo(func() error { <-block; return nil }) {
				t.Fatal("could not fill an idle group")
			}
		}
		return func() { close(block); _ = tg.g.Wait() }
	}
	t.Fatalf("unknown target type %T", tg)
	return nil
}

func TestTryModeDeniesWhenFull(t *testing.T) {
	for _, name := range implNames {
		t.Run(name, func(t *testing.T) {
			tg := newImpl(t, name, impls.Config{Workers: 1, Capacity: 3, Mode: ModeTry})
			release := fill(t, tg, 3)
			if got := tg.Do(context.Background(), impls.Op{Kind: impls.OpAcquire}); got != impls.Denied {
				t.Fatalf("try when full: %v, want denied", got)
			}
			release()
			if got := tg.Do(context.Background(), impls.Op{Kind: impls.OpAcquire}); got != impls.OK {
				t.Fatalf("try when free: %v, want ok", got)
			}
			if err := tg.Verify(); err != nil {
				t.Fatal(err)
			}
			st := tg.(impls.StatsReporter).Stats()
			if st["denials"] != 1 || st["acquisitions"] != 1 {
				t.Errorf("stats %v: want 1 denial and 1 acquisition", st)
			}
		})
	}
}

// TestAFailedAcquireLeavesTheCountUnchanged holds all but one unit, asks for two
// (so chansem sends one token before it blocks), lets the wait end by timeout or
// cancellation, and then checks that the whole capacity can be taken again.
func TestAFailedAcquireLeavesTheCountUnchanged(t *testing.T) {
	const capacity = 4
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, name := range weightedImpls {
		for _, tc := range []struct {
			how     string
			ctx     context.Context
			timeout time.Duration
		}{
			{"the target's timeout", context.Background(), time.Millisecond},
			{"the op's context deadline", nil, 0},
			{"an already cancelled context", cancelled, 0},
		} {
			t.Run(name+" cut short by "+tc.how, func(t *testing.T) {
				tg := newImpl(t, name, impls.Config{Workers: 1, Capacity: capacity, Timeout: tc.timeout}).(*target)
				if !tg.sem.TryAcquire(capacity - 1) {
					t.Fatal("could not take capacity-1 of an idle semaphore")
				}
				ctx := tc.ctx
				if ctx == nil {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(context.Background(), time.Millisecond)
					defer cancel()
				}
				if got := tg.Do(ctx, impls.Op{Kind: impls.OpAcquire, Weight: 2}); got != impls.Timeout {
					t.Fatalf("weight 2 with 1 free: %v, want timeout", got)
				}
				tg.sem.Release(capacity - 1)
				if !tg.sem.TryAcquire(capacity) {
					t.Fatal("the full capacity is not acquirable after the failed acquire: weight leaked")
				}
				tg.sem.Release(capacity)
				if err := tg.Verify(); err != nil {
					t.Fatal(err)
				}
				if st := tg.Stats(); st["timeouts"] != 1 {
					t.Errorf("timeouts = %v, want 1", st["timeouts"])
				}
			})
		}
	}
	t.Run("errgroup refuses to start an op whose context is already done", func(t *testing.T) {
		tg := newImpl(t, "errgroup", impls.Config{Workers: 1})
		if got := tg.Do(cancelled, impls.Op{}); got != impls.Timeout {
			t.Fatalf("%v, want timeout", got)
		}
	})
}

// TestHeldWeightNeverExceedsCapacity hammers every implementation with mixed
// weights from more workers than cores, in every mode, and relies on Verify
// (the meter's peak and, where available, the semaphore's own count) to prove
// the capacity was never exceeded and nothing leaked.
func TestHeldWeightNeverExceedsCapacity(t *testing.T) {
	const (
		workers  = 8
		opsEach  = 300
		capacity = 5
	)
	modes := []struct {
		name    string
		mode    impls.Mode
		timeout time.Duration
	}{
		{"blocking", ModeAcquire, 0},
		{"blocking with a short timeout", ModeAcquire, 20 * time.Microsecond},
		{"try", ModeTry, 0},
	}
	for _, name := range implNames {
		for _, m := range modes {
			t.Run(name+" in "+m.name+" mode", func(t *testing.T) {
				tg := newImpl(t, name, impls.Config{Workers: workers, Capacity: capacity, Mode: m.mode, Timeout: m.timeout})
				maxWeight := int64(capacity)
				if name == "errgroup" {
					maxWeight = 1
				}
				var counts [impls.NumOutcomes]int64
				var mu sync.Mutex
				var wg sync.WaitGroup
				for w := range workers {
					wg.Go(func() {
						var mine [impls.NumOutcomes]int64
						for i := range opsEach {
							op := impls.Op{Kind: impls.OpAcquire, Worker: w, Weight: 1 + int64(i+w)%maxWeight, Work: time.Microsecond}
							mine[tg.Do(context.Background(), op)]++
						}
						mu.Lock()
						for o, c := range mine {
							counts[o] += c
						}
						mu.Unlock()
					})
				}
				wg.Wait()
				if err := tg.Verify(); err != nil {
					t.Fatal(err)
				}
				if counts[impls.Error] != 0 || counts[impls.OK] == 0 {
					t.Fatalf("outcomes %v: want no errors and some successes", counts)
				}
				if m.name == "blocking" && counts[impls.OK] != workers*opsEach {
					t.Fatalf("blocking without timeout: %d ok of %d", counts[impls.OK], workers*opsEach)
				}
				st := tg.(impls.StatsReporter).Stats()
				if st["acquisitions"] != float64(counts[impls.OK]) {
					t.Errorf("stats count %v acquisitions, Do returned ok %d times", st["acquisitions"], counts[impls.OK])
				}
				if p := st["peak_in_use"]; p < 1 || p > capacity {
					t.Errorf("peak_in_use %v outside [1, %d]", p, capacity)
				}
				if f := st["jain_fairness"]; f <= 0 || f > 1 {
					t.Errorf("jain_fairness %v outside (0, 1]", f)
				}
			})
		}
	}
}

func ExampleJainIndex() {
	fmt.Printf("%.2f %.2f\n", JainIndex([]float64{5, 5, 5, 5}), JainIndex([]float64{20, 0, 0, 0}))
	// Output: 1.00 0.25
}
