package locks

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// mapTarget is what every map target offers the tests besides impls.Target.
type mapTarget interface {
	impls.Target
	impls.StatsReporter
	totals() mapCounts
}

// mapImpls returns the registered map targets, in name order.
func mapImpls(t testing.TB) []impls.Impl {
	t.Helper()
	var out []impls.Impl
	for _, impl := range familyImpls(t) {
		if strings.HasPrefix(impl.Name, "map-") {
			out = append(out, impl)
		}
	}
	if len(out) != 4 {
		t.Fatalf("found %d map targets, want the 4 documented", len(out))
	}
	return out
}

func newMapTarget(t *testing.T, impl impls.Impl, cfg impls.Config) mapTarget {
	t.Helper()
	target, ok := newTarget(t, impl, cfg).(mapTarget)
	if !ok {
		t.Fatalf("%s does not keep a mapLedger or report stats", impl.Name)
	}
	return target
}

func TestMapsAreFilledAtConstruction(t *testing.T) {
	for _, impl := range mapImpls(t) {
		for _, keys := range []int{0, 1, 1000} {
			want := max(cmp.Or(keys, DefaultMapKeys), 1) // 0 keys: the default
			t.Run(fmt.Sprintf("%s with Keys=%d holds %d entries before any op", impl.Name, keys, want), func(t *testing.T) {
				target := newMapTarget(t, impl, impls.Config{Workers: 2, Keys: keys})
				if got := target.Stats()["entries_filled"]; got != float64(want) {
					t.Errorf("entries_filled = %v, want %d", got, want)
				}
				for k := range uint64(want) {
					target.Do(context.Background(), impls.Op{Kind: impls.OpRead, Worker: int(k % 2), Key: k})
				}
				if err := target.Verify(); err != nil {
					t.Fatalf("Verify: %v", err)
				}
				stats := target.Stats()
				if stats["loads_hit"] != float64(want) || stats["loads_missed"] != 0 {
					t.Errorf("loading every key once: %v hits and %v misses, want %d and 0",
						stats["loads_hit"], stats["loads_missed"], want)
				}
				if stats["entries_final"] != float64(want) {
					t.Errorf("entries_final = %v, want %d", stats["entries_final"], want)
				}
			})
		}
	}
}

func TestMapKeysAboveTheValueTagAreRefused(t *testing.T) {
	if _, err := newMapLedger("test", maxMapKeys+1, 1); err == nil || !strings.Contains(err.Error(), "allowed: 1 to") {
		t.Errorf("newMapLedger(2^32+1 keys) = %v, want an error naming the allowed range", err)
	}
	if _, err := newMapLedger("test", maxMapKeys, 1); err != nil {
		t.Errorf("newMapLedger(2^32 keys) = %v, want no error", err)
	}
}

// TestMapChurnKeepsTheInvariant runs loads, stores and deletes from many workers
// on few keys, so inserts, overwrites, removals and misses all race, and checks
// that every op is booked exactly once and the map agrees with the ledger.
func TestMapChurnKeepsTheInvariant(t *testing.T) {
	const (
		workers      = 8
		opsPerWorker = 2000
		keys         = 16
	)
	// 6 loads, 1 store, 1 delete in every 8 ops: the 75/12.5/12.5 mix.
	kindOf := func(i int) impls.OpKind {
		switch i % 8 {
		case 3:
			return impls.OpWrite
		case 6:
			return impls.OpDelete
		}
		return impls.OpRead
	}
	for _, impl := range mapImpls(t) {
		t.Run(impl.Name+" books every op once and ends with the entries the ledger expects", func(t *testing.T) {
			target := newMapTarget(t, impl, impls.Config{Workers: workers, Keys: keys})
			var wg sync.WaitGroup
			for w := range workers {
				wg.Go(func() {
					rng := rand.New(rand.NewPCG(1, uint64(w))) // keys independent of kinds
					for i := range opsPerWorker {
						op := impls.Op{Kind: kindOf(i + w), Worker: w, Key: rng.Uint64N(keys)}
						if i%500 == 0 {
							op.Hold = time.Microsecond // exercise the sleeping path
						}
						if got := target.Do(context.Background(), op); got != impls.OK {
							t.Errorf("worker %d op %d: Do = %v, want ok", w, i, got)
							return
						}
					}
				})
			}
			wg.Wait()
			if err := target.Verify(); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			c := target.totals()
			const total = workers * opsPerWorker
			if loads := c.loadsHit + c.loadsMissed; loads != total*6/8 {
				t.Errorf("loads booked = %d, want %d", loads, total*6/8)
			}
			if stores := c.inserted + c.overwrote; stores != total/8 {
				t.Errorf("stores booked = %d, want %d", stores, total/8)
			}
			if deletes := c.removed + c.deleteMissed; deletes != total/8 {
				t.Errorf("deletes booked = %d, want %d", deletes, total/8)
			}
			if c.removed == 0 || c.inserted == 0 || c.loadsMissed == 0 {
				t.Errorf("no churn: %d removed, %d inserted, %d missed loads; the test needs all three", c.removed, c.inserted, c.loadsMissed)
			}
			stats := target.Stats()
			if got, want := stats["entries_final"], float64(keys+c.inserted-c.removed); got != want {
				t.Errorf("entries_final = %v, want %v (%d filled + %d inserted − %d removed)", got, want, keys, c.inserted, c.removed)
			}
		})
	}
}

// TestMapOpsOnOneKey follows one key through a sequence whose every result is
// known, so each target's insert/overwrite/remove/miss reporting is checked
// exactly, not only in sum.
func TestMapOpsOnOneKey(t *testing.T) {
	seq := []impls.OpKind{impls.OpRead, impls.OpWrite, impls.OpDelete, impls.OpRead, impls.OpDelete, impls.OpWrite, impls.OpRead}
	want := mapCounts{loadsHit: 2, loadsMissed: 1, inserted: 1, overwrote: 1, removed: 1, deleteMissed: 1}
	for _, impl := range mapImpls(t) {
		t.Run(impl.Name+" reports what each op found", func(t *testing.T) {
			target := newMapTarget(t, impl, impls.Config{Workers: 1, Keys: 1})
			for _, kind := range seq {
				target.Do(context.Background(), impls.Op{Kind: kind})
			}
			if err := target.Verify(); err != nil {
				t.Fatalf("Verify: %v", err)
			}
			got := target.totals()
			got.keySum, got.stores = 0, 0
			if got != want {
				t.Errorf("counts = %+v, want %+v", got, want)
			}
			if n := target.Stats()["entries_final"]; n != 1 {
				t.Errorf("entries_final = %v, want 1", n)
			}
		})
	}
}

func TestMapLedgerVerify(t *testing.T) {
	const keys = 8
	full := func() map[uint64]uint64 {
		m := map[uint64]uint64{}
		for k := range uint64(keys) {
			m[k] = entryValue(k, 0)
		}
		return m
	}
	without := func(m map[uint64]uint64, k uint64) map[uint64]uint64 { delete(m, k); return m }
	with := func(m map[uint64]uint64, k, v uint64) map[uint64]uint64 { m[k] = v; return m }
	tests := []struct {
		name    string
		book    func(l *mapLedger)
		entries map[uint64]uint64
		want    string
	}{
		{"the untouched fill passes", func(*mapLedger) {}, full(), ""},
		{"a removal and a re-insert of the same key pass",
			func(l *mapLedger) { l.deleted(0, 3, true); l.stored(1, 3, true) }, full(), ""},
		{"a removed key that is gone passes",
			func(l *mapLedger) { l.deleted(0, 3, true); l.deleted(1, 3, false) }, without(full(), 3), ""},
		{"an entry that vanished is reported as lost",
			func(*mapLedger) {}, without(full(), 5), "holds 7 entries but the ledger expects 8 (8 filled + 0 inserted − 0 removed): 1 entries lost"},
		{"a removal the map did not perform is reported",
			func(l *mapLedger) { l.deleted(0, 5, true) }, full(), "1 entries present that no acknowledged store inserted"},
		{"the wrong key removed is caught by the fingerprint",
			func(l *mapLedger) { l.deleted(0, 5, true) }, without(full(), 6), "key fingerprint differs"},
		{"a value under another key is reported",
			func(*mapLedger) {}, with(full(), 2, entryValue(4, 9)), "key 2 holds value 0x400000009, which was stored under key 4"},
		{"a key outside the key space is reported",
			func(*mapLedger) {}, with(full(), keys, entryValue(keys, 0)), "holds key 8, outside the 8 keys"},
		{"a misplaced value handed back by an op is reported",
			func(l *mapLedger) { l.loaded(1, 2, entryValue(4, 1), true) }, full(), "1 values were handed back under a key they were not stored under (first: key 2, value 0x400000001 from key 4)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := newMapLedger("test", keys, 2)
			if err != nil {
				t.Fatal(err)
			}
			l.fill(func(uint64, uint64) {})
			tt.book(&l)
			wantViolation(t, l.verify(maps.All(tt.entries)), "test", tt.want)
		})
	}
}
