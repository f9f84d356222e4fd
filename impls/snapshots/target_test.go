package snapshots_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/snapshots"
)

func family(t *testing.T) []impls.Impl {
	t.Helper()
	var out []impls.Impl
	for _, impl := range impls.All() {
		if impl.Family == impls.FamilySnapshots {
			out = append(out, impl)
		}
	}
	if len(out) < 5 {
		t.Fatalf("%d snapshot stores registered, want at least 5", len(out))
	}
	return out
}

// drive runs ops ops on each of workers goroutines, every writeEvery-th a
// reload, the keys walking the state; it returns the reloads issued.
func drive(t *testing.T, tg impls.Target, workers, ops, writeEvery int) int {
	t.Helper()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range ops {
				op := impls.Op{Worker: w, Kind: impls.OpRead, Key: uint64(i * 7)}
				if i%writeEvery == writeEvery-1 {
					op.Kind = impls.OpWrite
				}
				if o := tg.Do(context.Background(), op); o != impls.OK {
					t.Errorf("worker %d op %d: %v, want ok", w, i, o)
					return
				}
			}
		})
	}
	wg.Wait()
	return workers * (ops / writeEvery)
}

func TestEveryStoreGivesConsistentReadsWhileReloadsRun(t *testing.T) {
	const workers, ops, writeEvery = 4, 4000, 10
	for _, impl := range family(t) {
		t.Run(impl.Name, func(t *testing.T) {
			tg, err := impl.New(impls.Config{Workers: workers, Keys: 64})
			if err != nil {
				t.Fatal(err)
			}
			defer tg.Close()
			reloads := drive(t, tg, workers, ops, writeEvery)
			if err := tg.Verify(); err != nil {
				t.Fatal(err)
			}
			st := tg.(impls.StatsReporter).Stats()
			if st["reloads"] != float64(reloads) || st["final_version"] != float64(1+reloads) || st["reads"] != float64(workers*ops-reloads) {
				t.Fatalf("reloads %v, final version %v, reads %v; want %d, %d, %d", st["reloads"], st["final_version"], st["reads"], reloads, 1+reloads, workers*ops-reloads)
			}
			if st["torn_reads"] != 0 || st["stale_reads"] != 0 || st["keys"] != 64 {
				t.Fatalf("stats %v", st)
			}
			copies := map[string]float64{"snap-pointer": 1, "snap-value": 1}[impl.Name]
			if st["copies_on_reload"] != copies {
				t.Fatalf("copies_on_reload %v, want %v", st["copies_on_reload"], copies)
			}
		})
	}
}

func TestStoresRefuseABadConfig(t *testing.T) {
	for _, impl := range family(t) {
		for _, keys := range []int{-1, snapshots.MaxKeys + 1} {
			if tg, err := impl.New(impls.Config{Keys: keys}); err == nil {
				tg.Close()
				t.Errorf("%s accepted %d keys", impl.Name, keys)
			} else if !strings.HasPrefix(err.Error(), impl.Name+": ") {
				t.Errorf("%s: error %q does not name the implementation", impl.Name, err)
			}
		}
	}
}

func TestTheDefaultStateHasDefaultKeysEntries(t *testing.T) {
	impl, _ := impls.Lookup("snap-pointer")
	tg, err := impl.New(impls.Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if st := tg.(impls.StatsReporter).Stats(); st["keys"] != snapshots.DefaultKeys || st["state_bytes"] != float64(32+16*snapshots.DefaultKeys) {
		t.Fatalf("keys %v, state_bytes %v", st["keys"], st["state_bytes"])
	}
}

// locked is a user's store under a mutex whose reload is broken in a chosen
// way; reads are exclusive, so the tests are free of data races and exactly
// reproducible.
type locked struct {
	mu     sync.Mutex
	s      *snapshots.State
	prev   *snapshots.State // the version before the last reload
	loads  int
	reload func(l *locked, b snapshots.Builder)
	load   func(l *locked) *snapshots.State
}

func newLocked() *locked { return &locked{s: snapshots.NewState(64)} }

func (l *locked) Load() (*snapshots.State, any) {
	l.mu.Lock()
	l.loads++
	if l.load != nil {
		return l.load(l), nil
	}
	return l.s, nil
}

func (l *locked) Done(any) { l.mu.Unlock() }

func (l *locked) Reload(b snapshots.Builder) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reload(l, b)
}

// copyReload is a correct copy-on-write reload.
func copyReload(l *locked, b snapshots.Builder) {
	next := &snapshots.State{}
	b.Build(next, l.s)
	l.prev, l.s = l.s, next
}

func TestTheInvariantCatchesEveryWayOfBreakingAStore(t *testing.T) {
	for _, c := range []struct {
		name   string
		reload func(l *locked, b snapshots.Builder)
		load   func(l *locked) *snapshots.State
		want   string
	}{
		{"a reload that publishes half a copy", func(l *locked, b snapshots.Builder) {
			next := &snapshots.State{}
			b.Build(next, l.s)
			// The header and the first half of the entries: the rest stays
			// as the old version wrote it.
			l.s.Version = next.Version
			copy(l.s.Entries[:32], next.Entries[:32])
		}, nil, "torn reads"},
		{"a store that serves the previous version now and then", copyReload, func(l *locked) *snapshots.State {
			if l.prev != nil && l.loads%3 == 0 {
				return l.prev
			}
			return l.s
		}, "stale reads"},
		{"a reload that builds on the first version every time", func(l *locked, b snapshots.Builder) {
			next := &snapshots.State{}
			b.Build(next, snapshots.NewState(64))
			l.s = next
		}, nil, "reloads lost"},
		{"a reload that shrinks the state", func(l *locked, b snapshots.Builder) {
			next := &snapshots.State{}
			b.Build(next, l.s)
			next.Entries = next.Entries[:10]
			l.s = next
		}, nil, "torn reads"},
	} {
		t.Run(c.name, func(t *testing.T) {
			store := newLocked()
			store.reload, store.load = c.reload, c.load
			tg, err := snapshots.NewTarget(store, impls.Config{Workers: 1, Keys: 64})
			if err != nil {
				t.Fatal(err)
			}
			drive(t, tg, 1, 100, 5)
			err = tg.Verify()
			inv, ok := err.(*impls.InvariantError)
			if !ok || !strings.Contains(inv.Detail, c.want) {
				t.Fatalf("Verify = %v, want an invariant error saying %q", err, c.want)
			}
		})
	}
	t.Run("a store that works", func(t *testing.T) {
		store := newLocked()
		store.reload = copyReload
		tg, _ := snapshots.NewTarget(store, impls.Config{Workers: 1, Keys: 64})
		drive(t, tg, 1, 100, 5)
		if err := tg.Verify(); err != nil {
			t.Fatalf("Verify = %v for a working store", err)
		}
		if _, reported := tg.(impls.StatsReporter).Stats()["copies_on_reload"]; reported {
			t.Fatal("copies_on_reload reported for a store whose reloads the adapter cannot see")
		}
	})
}

func TestNewTargetRefusesBadKeys(t *testing.T) {
	if _, err := snapshots.NewTarget(newLocked(), impls.Config{Keys: -3}); err == nil || !strings.Contains(err.Error(), "-3") {
		t.Fatalf("NewTarget with -3 keys: %v, want an error naming it", err)
	}
}

// ExampleNewTarget measures a copy-on-write store of your own through the
// adapter every built-in store uses: the torn-read check comes with it.
func ExampleNewTarget() {
	store := newLocked()
	store.reload = copyReload
	impls.Register(impls.Impl{
		Name:    "example-snapshot",
		Family:  impls.FamilySnapshots,
		Summary: "a mutex-guarded copy-on-write store through the public adapter (example)",
		New:     func(cfg impls.Config) (impls.Target, error) { return snapshots.NewTarget(store, cfg) },
	})
	impl, _ := impls.Lookup("example-snapshot")
	tg, _ := impl.New(impls.Config{Workers: 1, Keys: 64})
	for _, kind := range []impls.OpKind{impls.OpRead, impls.OpWrite, impls.OpRead} {
		fmt.Print(tg.Do(context.Background(), impls.Op{Kind: kind}), " ")
	}
	fmt.Println(tg.Verify(), tg.(impls.StatsReporter).Stats()["final_version"])
	// Output: ok ok ok <nil> 2
}
