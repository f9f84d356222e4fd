package queues_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/queues"
)

// fault is what a broken queue does to the item it is asked to enqueue: it
// returns the items to put in instead (none: lost; two: duplicated).
type fault func(n int, it queues.Item) []queues.Item

// broken is a user's queue over a channel that applies a fault to every real
// item it is handed (the n-th from 0), and passes stop items through.
type broken struct {
	ch    chan queues.Item
	mu    sync.Mutex
	n     int
	fault fault
}

func newBroken(f fault) *broken { return &broken{ch: make(chan queues.Item, 1<<14), fault: f} }

func isStop(it queues.Item) bool { return it.Producer == math.MaxUint32 }

func (b *broken) Enqueue(ctx context.Context, it queues.Item) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if isStop(it) {
		b.ch <- it
		return nil
	}
	for _, x := range b.fault(b.n, it) {
		b.ch <- x
	}
	b.n++
	return nil
}

func (b *broken) Dequeue(ctx context.Context) (queues.Item, error) {
	select {
	case it := <-b.ch:
		return it, nil
	case <-ctx.Done():
		return queues.Item{}, ctx.Err()
	}
}

// runBroken hands 100 items from one producer to one consumer through a
// broken queue and returns Verify's answer.
func runBroken(t *testing.T, f fault, opts queues.Options) error {
	t.Helper()
	tg, err := queues.NewTarget(newBroken(f), impls.Config{Workers: 1}, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	for range 100 {
		if o := tg.Do(context.Background(), impls.Op{}); o != impls.OK {
			t.Fatalf("enqueue: %v", o)
		}
	}
	return tg.Verify()
}

func TestTheInvariantCatchesEveryWayOfBreakingAQueue(t *testing.T) {
	var held queues.Item
	for _, c := range []struct {
		name  string
		fault fault
		fifo  bool
		want  string
	}{
		{"a queue that loses an item", func(n int, it queues.Item) []queues.Item {
			if n == 40 {
				return nil
			}
			return []queues.Item{it}
		}, true, "1 lost"},
		{"a queue that hands an item out twice, not promising order", func(n int, it queues.Item) []queues.Item {
			if n == 40 {
				return []queues.Item{it, it}
			}
			return []queues.Item{it}
		}, false, "1 taken twice"},
		{"a FIFO queue that hands an item out twice", func(n int, it queues.Item) []queues.Item {
			if n == 40 {
				return []queues.Item{it, it}
			}
			return []queues.Item{it}
		}, true, "per-producer FIFO broken"},
		{"a queue that swaps two items", func(n int, it queues.Item) []queues.Item {
			switch n {
			case 40:
				held = it
				return nil
			case 41:
				return []queues.Item{it, held}
			}
			return []queues.Item{it}
		}, true, "took producer 0's item 40 after its item 41"},
		{"a queue that invents an item from a producer that does not exist", func(n int, it queues.Item) []queues.Item {
			if n == 40 {
				return []queues.Item{it, {Producer: 7, Seq: 3}}
			}
			return []queues.Item{it}
		}, true, "producers that do not exist"},
		{"a queue that invents an item no producer handed in yet", func(n int, it queues.Item) []queues.Item {
			if n == 40 {
				return []queues.Item{it, {Producer: 0, Seq: 1000}}
			}
			return []queues.Item{it}
		}, false, "item 1000, but that producer had only 100 accepted"},
		{"a queue that loses one item and repeats another, not promising order", func(n int, it queues.Item) []queues.Item {
			switch n {
			case 40:
				return nil
			case 41:
				return []queues.Item{it, it}
			}
			return []queues.Item{it}
		}, false, "not the same items"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := runBroken(t, c.fault, queues.Options{FIFO: c.fifo, Capacity: 1 << 14})
			var inv *impls.InvariantError
			if err == nil || !asInvariant(err, &inv) || !strings.Contains(inv.Detail, c.want) {
				t.Fatalf("Verify = %v, want an invariant error saying %q", err, c.want)
			}
		})
	}
	t.Run("a queue that works", func(t *testing.T) {
		ok := func(_ int, it queues.Item) []queues.Item { return []queues.Item{it} }
		if err := runBroken(t, ok, queues.Options{FIFO: true, Capacity: 1 << 14}); err != nil {
			t.Fatalf("Verify = %v for a working queue", err)
		}
	})
}

func asInvariant(err error, inv **impls.InvariantError) bool {
	e, ok := err.(*impls.InvariantError)
	*inv = e
	return ok
}

// stubborn is a queue whose every try fails once per call and whose blocking
// calls then succeed: each enqueue and each take is one wait, exactly.
type stubborn struct{ ch chan queues.Item }

func (s stubborn) TryEnqueue(queues.Item) bool                     { return false }
func (s stubborn) TryDequeue() (queues.Item, bool)                 { return queues.Item{}, false }
func (s stubborn) Enqueue(_ context.Context, it queues.Item) error { s.ch <- it; return nil }
func (s stubborn) Dequeue(ctx context.Context) (queues.Item, error) {
	select {
	case it := <-s.ch:
		return it, nil
	case <-ctx.Done():
		return queues.Item{}, ctx.Err()
	}
}

func TestOnlyAFailedTryCountsAsAWait(t *testing.T) {
	tg, err := queues.NewTarget(stubborn{make(chan queues.Item, 64)}, impls.Config{Workers: 1}, queues.Options{FIFO: true, Capacity: 64})
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	for range 10 {
		tg.Do(context.Background(), impls.Op{})
	}
	if err := tg.Verify(); err != nil {
		t.Fatal(err)
	}
	st := tg.(impls.StatsReporter).Stats()
	// Ten items and the consumer's stop item were each a failed try, then a wait.
	if st["producer_blocks"] != 10 || st["consumer_blocks"] != 11 {
		t.Fatalf("producer_blocks %v (want 10), consumer_blocks %v (want 11)", st["producer_blocks"], st["consumer_blocks"])
	}
	if st["producer_blocked_ns"] <= 0 || st["consumer_blocked_ns"] <= 0 {
		t.Fatalf("waits took no time: %v", st)
	}
}

// full is a queue that is always full for real items: an enqueue waits for its
// context; stop items go through, so the target can still stop.
type full struct{ ch chan queues.Item }

func (f full) Enqueue(ctx context.Context, it queues.Item) error {
	if isStop(it) {
		f.ch <- it
		return nil
	}
	<-ctx.Done()
	return ctx.Err()
}

func (f full) Dequeue(ctx context.Context) (queues.Item, error) {
	select {
	case it := <-f.ch:
		return it, nil
	case <-ctx.Done():
		return queues.Item{}, ctx.Err()
	}
}

func TestAnEnqueueCutShortIsATimeoutAndNotCounted(t *testing.T) {
	tg, err := queues.NewTarget(full{make(chan queues.Item, 1)}, impls.Config{Workers: 1}, queues.Options{FIFO: true, Capacity: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if o := tg.Do(ctx, impls.Op{}); o != impls.Timeout {
		t.Fatalf("enqueue into a full queue with its context done: %v, want timeout", o)
	}
	if err := tg.Verify(); err != nil {
		t.Fatalf("an item never accepted was expected: %v", err)
	}
	if st := tg.(impls.StatsReporter).Stats(); st["enqueued"] != 0 {
		t.Fatalf("enqueued %v, want 0", st["enqueued"])
	}
}

func TestNewTargetRefusesABadConfig(t *testing.T) {
	q := newBroken(nil)
	for _, c := range []struct {
		cfg  impls.Config
		opts queues.Options
	}{
		{impls.Config{Consumers: -1}, queues.Options{}},
		{impls.Config{Consumers: 2}, queues.Options{SingleConsumer: true}},
		{impls.Config{}, queues.Options{Capacity: -1}},
	} {
		if tg, err := queues.NewTarget(q, c.cfg, c.opts); err == nil {
			tg.Close()
			t.Errorf("NewTarget(%+v, %+v) accepted it", c.cfg, c.opts)
		}
	}
}

// ExampleNewTarget measures a channel of your own through the adapter every
// built-in queue uses: its figures and the exactly-once check come with it.
func ExampleNewTarget() {
	impls.Register(impls.Impl{
		Name:    "example-queue",
		Family:  impls.FamilyQueues,
		Summary: "a channel queue of your own through the public adapter (example)",
		New: func(cfg impls.Config) (impls.Target, error) {
			return queues.NewTarget(newBroken(func(_ int, it queues.Item) []queues.Item {
				return []queues.Item{it}
			}), cfg, queues.Options{FIFO: true, Capacity: 1 << 14})
		},
	})
	impl, _ := impls.Lookup("example-queue")
	tg, _ := impl.New(impls.Config{Workers: 1})
	for range 3 {
		fmt.Print(tg.Do(context.Background(), impls.Op{Kind: impls.OpEnqueue}), " ")
	}
	fmt.Println(tg.Verify(), tg.(impls.StatsReporter).Stats()["items_checked"])
	// Output: ok ok ok <nil> 3
}
