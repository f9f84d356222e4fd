package pools

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

var implNames = []string{"syncpool", "alloc", "chanpool"}

func newImpl(t *testing.T, name string, cfg impls.Config) *target {
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
	return tg.(*target)
}

func TestEveryImplementationIsRegisteredInThePoolFamily(t *testing.T) {
	for _, name := range implNames {
		impl, ok := impls.Lookup(name)
		if !ok || impl.Family != impls.FamilyPools || impl.Summary == "" {
			t.Errorf("%s: registered %v, %+v", name, ok, impl)
		}
	}
}

func TestConstructorsValidateTheSize(t *testing.T) {
	for _, tc := range []struct {
		size    int
		wantErr bool
	}{{0, false}, {HeaderSize, false}, {1 << 20, false}, {-1, true}, {HeaderSize - 1, true}, {MaxSize + 1, true}} {
		for _, name := range implNames {
			impl, _ := impls.Lookup(name)
			tg, err := impl.New(impls.Config{Workers: 1, Size: tc.size})
			if (err != nil) != tc.wantErr {
				t.Errorf("%s with size %d: error %v, want error %v", name, tc.size, err, tc.wantErr)
			}
			if err != nil && !strings.HasPrefix(err.Error(), name+": size") {
				t.Errorf("%s: error %q does not name the impl and the value", name, err)
			}
			if err == nil {
				_ = tg.Close()
			}
		}
	}
	if _, err := NewTarget(allocPool{size: 8}, impls.Config{Size: 8}); err == nil || strings.HasPrefix(err.Error(), ":") {
		t.Errorf("NewTarget with size 8: %v, want an error naming the value", err)
	}
}

// TestSequentialOpsCountGetsAndNewObjectsExactly runs one worker: each op gives
// its object back before the next, so a free list makes one object and reuses
// it, and plain allocation makes one per op.
func TestSequentialOpsCountGetsAndNewObjectsExactly(t *testing.T) {
	const ops = 50
	want := map[string]float64{"alloc": ops, "chanpool": 1}
	for _, name := range implNames {
		t.Run(name, func(t *testing.T) {
			tg := newImpl(t, name, impls.Config{Workers: 1, Size: 256})
			for range ops {
				if got := tg.Do(context.Background(), impls.Op{Kind: impls.OpAcquire}); got != impls.OK {
					t.Fatalf("Do = %v, want ok", got)
				}
			}
			if err := tg.Verify(); err != nil {
				t.Fatal(err)
			}
			st := tg.Stats()
			if st["gets"] != ops || st["object_bytes"] != 256 {
				t.Fatalf("stats %v: want %d gets of 256-byte objects", st, ops)
			}
			news := st["new_objects"]
			if w, ok := want[name]; ok && news != w {
				t.Errorf("new_objects = %v, want %v", news, w)
			}
			// sync.Pool may drop what it is given (it does at random under the
			// race detector, and at collections), so only its bounds are exact.
			if news < 1 || news > ops || st["reused_pct"] != 100*(ops-news)/ops {
				t.Errorf("new_objects %v, reused_pct %v: inconsistent with %d gets", news, st["reused_pct"], ops)
			}
		})
	}
	t.Run("chanpool reports its idle objects", func(t *testing.T) {
		tg := newImpl(t, "chanpool", impls.Config{Workers: 4})
		tg.Do(context.Background(), impls.Op{})
		if idle := tg.Stats()["idle_objects"]; idle != 1 {
			t.Errorf("idle_objects = %v, want 1", idle)
		}
	})
}

func TestConcurrentOpsNeverShareAnObject(t *testing.T) {
	const workers, opsEach = 8, 300
	for _, name := range implNames {
		t.Run(name, func(t *testing.T) {
			tg := newImpl(t, name, impls.Config{Workers: workers, Size: 512})
			var wg sync.WaitGroup
			var mu sync.Mutex
			outcomes := map[impls.Outcome]int{}
			for w := range workers {
				wg.Go(func() {
					mine := map[impls.Outcome]int{}
					for i := range opsEach {
						mine[tg.Do(context.Background(), impls.Op{Worker: w, Work: time.Duration(i%3) * time.Microsecond})]++
					}
					mu.Lock()
					for o, n := range mine {
						outcomes[o] += n
					}
					mu.Unlock()
				})
			}
			wg.Wait()
			if err := tg.Verify(); err != nil {
				t.Fatal(err)
			}
			if outcomes[impls.OK] != workers*opsEach {
				t.Fatalf("outcomes %v, want %d ok", outcomes, workers*opsEach)
			}
			if st := tg.Stats(); st["gets"] != workers*opsEach {
				t.Errorf("gets = %v, want %d", st["gets"], workers*opsEach)
			}
		})
	}
}

// singleton is a broken pool: every Get returns the same object, and got
// receives once, after the first Get, so a test knows the object is held.
type singleton struct {
	o    *Object
	got  chan struct{}
	once sync.Once
}

func (s *singleton) Get() *Object {
	s.once.Do(func() { close(s.got) })
	return s.o
}
func (s *singleton) Put(*Object) {}

// holdOne starts worker 0's op on tg, holding its object until the returned
// release is called, which waits for the op and returns its outcome. got is
// closed once the object is taken.
func holdOne(tg impls.Target, got <-chan struct{}) (release func() impls.Outcome) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan impls.Outcome)
	go func() { done <- tg.Do(ctx, impls.Op{Worker: 0, Hold: time.Hour}) }()
	<-got
	return func() impls.Outcome { cancel(); return <-done }
}

func TestASecondHolderFailsTheInvariant(t *testing.T) {
	s := &singleton{o: NewObject(DefaultSize), got: make(chan struct{})}
	tg, err := NewTarget(s, impls.Config{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	release := holdOne(tg, s.got)
	if got := tg.Do(context.Background(), impls.Op{Worker: 1}); got != impls.Error {
		t.Errorf("the second holder's op: %v, want error", got)
	}
	if got := release(); got != impls.OK {
		t.Errorf("the first holder's op: %v, want ok", got)
	}
	err = tg.Verify()
	if err == nil || !strings.Contains(err.Error(), "1 ops found an object not theirs alone; the first: worker 1 got an object worker 0 still held") {
		t.Fatalf("Verify = %v, want the second holder named", err)
	}
}

// doublePut is the bug a hand-made free list has when an object is returned
// twice: two later Gets hand out the same object.
type doublePut struct {
	*chanPool
	got chan struct{}
	n   int
}

func (d *doublePut) Put(o *Object) { d.chanPool.Put(o); d.chanPool.Put(o) }
func (d *doublePut) Get() *Object {
	o := d.chanPool.Get()
	if d.n++; d.n == 2 {
		close(d.got) // the second Get: worker 0's held op below
	}
	return o
}

func TestADoublePutIsCaughtWhenBothCopiesAreHeld(t *testing.T) {
	d := &doublePut{chanPool: newChanPool(64, 4), got: make(chan struct{})}
	tg, err := NewTarget(d, impls.Config{Workers: 2, Size: 64})
	if err != nil {
		t.Fatal(err)
	}
	if got := tg.Do(context.Background(), impls.Op{Worker: 0}); got != impls.OK {
		t.Fatalf("first op: %v", got) // its object goes back twice
	}
	release := holdOne(tg, d.got)
	if got := tg.Do(context.Background(), impls.Op{Worker: 1}); got != impls.Error {
		t.Errorf("the op given the second copy: %v, want error", got)
	}
	release()
	if err := tg.Verify(); err == nil || !strings.Contains(err.Error(), "worker 1 got an object worker 0 still held") {
		t.Fatalf("Verify = %v, want the double holder named", err)
	}
}

func TestAMarkChangedWhileHeldFailsTheInvariant(t *testing.T) {
	s := &singleton{o: NewObject(DefaultSize), got: make(chan struct{})}
	tg := newTarget("broken", s, DefaultSize, 2)
	release := holdOne(tg, s.got)
	for s.o.owner.Load() != 1 { // the holder marks it right after Get returns
		time.Sleep(time.Millisecond)
	}
	s.o.owner.Store(5) // as a second holder that skipped the check would
	if got := release(); got != impls.Error {
		t.Errorf("the holder's op: %v, want error", got)
	}
	if err := tg.Verify(); err == nil || !strings.Contains(err.Error(), "worker 0's object was marked by worker 4 while it held it") {
		t.Fatalf("Verify = %v", err)
	}
}

// fixed is a broken pool handing out one object of the wrong size, or none.
type fixed struct{ o *Object }

func (f fixed) Get() *Object { return f.o }
func (fixed) Put(*Object)    {}

func TestANilOrUndersizedObjectFailsTheInvariant(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    *Object
		want string
	}{
		{"nil", nil, "Get returned nil"},
		{"undersized", NewObject(64), "Get returned an object of 64 bytes, want at least 4096"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tg, _ := NewTarget(fixed{tc.o}, impls.Config{Workers: 1})
			if got := tg.Do(context.Background(), impls.Op{}); got != impls.Error {
				t.Errorf("Do = %v, want error", got)
			}
			if err := tg.Verify(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Verify = %v, want %q", err, tc.want)
			}
			if tc.o != nil && tc.o.owner.Load() != 0 {
				t.Error("the undersized object was left marked")
			}
		})
	}
}

func TestAnOpOutsideTheWorkersIsCountedApart(t *testing.T) {
	tg := newImpl(t, "chanpool", impls.Config{Workers: 1})
	if got := tg.Do(context.Background(), impls.Op{Worker: 7}); got != impls.OK {
		t.Fatalf("Do = %v", got)
	}
	if st := tg.Stats(); st["gets"] != 1 || tg.workers[0].gets != 0 {
		t.Errorf("stats %v, worker 0's gets %d: want the op counted in the overflow slot", st, tg.workers[0].gets)
	}
}
