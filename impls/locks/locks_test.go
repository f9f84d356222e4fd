package locks

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// wantNames is the lock family as documented; adding or dropping one is a
// deliberate change that should show up here.
var wantNames = []string{
	"actor", "atomic", "casspin", "counter-xsync", "map-mutex", "map-rwmutex",
	"map-sync", "map-xsync", "mutex", "rbmutex", "rwmutex", "sharded",
}

// familyImpls returns the registered lock implementations, in name order.
func familyImpls(t testing.TB) []impls.Impl {
	t.Helper()
	var out []impls.Impl
	for _, impl := range impls.All() {
		if impl.Family == impls.FamilyLocks {
			out = append(out, impl)
		}
	}
	if len(out) == 0 {
		t.Fatal("no implementation registered in the locks family")
	}
	return out
}

// ledgered is satisfied by every unkeyed target through its embedded ledger,
// which lets the tests read what a target acknowledged.
type ledgered interface {
	totals() (writes, anomalies int64)
}

// tamperable is satisfied by every target, through its ledger or mapLedger: it
// books a write the target never performed.
type tamperable interface {
	phantomWrite(worker int)
}

func (l *ledger) phantomWrite(worker int)    { l.ackWrite(worker) }
func (l *mapLedger) phantomWrite(worker int) { l.stored(worker, 0, true) }

func newTarget(t testing.TB, impl impls.Impl, cfg impls.Config) impls.Target {
	t.Helper()
	target, err := impl.New(cfg)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	t.Cleanup(func() { _ = target.Close() })
	return target
}

func TestRegistry(t *testing.T) {
	var names []string
	for _, impl := range familyImpls(t) {
		names = append(names, impl.Name)
		t.Run(impl.Name+" has a one-line summary", func(t *testing.T) {
			if impl.Summary == "" {
				t.Error("empty summary")
			}
		})
	}
	if !slices.Equal(names, wantNames) {
		t.Errorf("locks family = %q, want %q", names, wantNames)
	}
}

func TestConcurrentOpsLoseNoWrite(t *testing.T) {
	const (
		workers      = 8
		opsPerWorker = 400
	)
	for _, impl := range familyImpls(t) {
		for _, keys := range []int{0, 1, 16} {
			t.Run(impl.Name+" keeps every acknowledged write with keys="+strconv.Itoa(keys), func(t *testing.T) {
				target := newTarget(t, impl, impls.Config{Workers: workers, Keys: keys})
				var wg sync.WaitGroup
				var issued [workers]int64
				for w := range workers {
					wg.Go(func() {
						for i := range opsPerWorker {
							op := impls.Op{Kind: impls.OpRead, Worker: w, Key: uint64(i*7 + w)}
							if n := cmp.Or(keys, impl.DefaultKeys); n > 1 {
								op.Key %= uint64(n) // 0 keys: the implementation's default
							}
							if (i+w)%3 == 0 {
								op.Kind = impls.OpWrite
							}
							if i%10 == 0 {
								op.Work = 200 * time.Nanosecond // widen the critical section
							}
							if i%100 == 0 {
								op.Hold = time.Microsecond // exercise the sleeping path
							}
							if got := target.Do(context.Background(), op); got != impls.OK {
								t.Errorf("worker %d op %d: Do = %v, want ok", w, i, got)
								return
							}
							if op.Kind == impls.OpWrite {
								issued[w]++
							}
						}
					})
				}
				wg.Wait()
				if err := target.Verify(); err != nil {
					t.Fatalf("Verify: %v", err)
				}
				var want int64
				for _, n := range issued {
					want += n
				}
				var got int64
				switch l := target.(type) {
				case ledgered:
					got, _ = l.totals()
				case interface{ totals() mapCounts }:
					c := l.totals()
					got = c.inserted + c.overwrote
				default:
					t.Fatalf("%T keeps neither a ledger nor a mapLedger", target)
				}
				if got != want {
					t.Errorf("acknowledged writes = %d, want the %d issued", got, want)
				}
			})
		}
	}
}

func TestVerifyCatchesAPhantomWrite(t *testing.T) {
	for _, impl := range familyImpls(t) {
		t.Run(impl.Name+" reports a write acknowledged but never performed", func(t *testing.T) {
			target := newTarget(t, impl, impls.Config{Workers: 2, Keys: 4})
			for i := range 3 {
				target.Do(context.Background(), impls.Op{Kind: impls.OpWrite, Worker: i % 2, Key: uint64(i)})
			}
			if err := target.Verify(); err != nil {
				t.Fatalf("Verify before tampering: %v", err)
			}
			target.(tamperable).phantomWrite(1)
			err := target.Verify()
			var inv *impls.InvariantError
			if !errors.As(err, &inv) {
				t.Fatalf("Verify after tampering = %v, want an *impls.InvariantError", err)
			}
			if inv.Impl != impl.Name {
				t.Errorf("InvariantError.Impl = %q, want %q", inv.Impl, impl.Name)
			}
		})
	}
}
