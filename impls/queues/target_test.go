package queues_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/queues"
)

// family returns every registered queue.
func family(t *testing.T) []impls.Impl {
	t.Helper()
	var out []impls.Impl
	for _, impl := range impls.All() {
		if impl.Family == impls.FamilyQueues {
			out = append(out, impl)
		}
	}
	if len(out) < 5 {
		t.Fatalf("%d queues registered, want at least 5", len(out))
	}
	return out
}

// produce runs ops enqueues from each of producers goroutines, all OK.
func produce(t *testing.T, tg impls.Target, producers, ops int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan string, producers)
	for w := range producers {
		wg.Go(func() {
			for range ops {
				if o := tg.Do(context.Background(), impls.Op{Kind: impls.OpEnqueue, Worker: w}); o != impls.OK {
					errs <- fmt.Sprintf("worker %d: enqueue = %v, want ok", w, o)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestEveryQueueHandsEachItemOverExactlyOnce(t *testing.T) {
	const producers, ops = 4, 3000
	for _, impl := range family(t) {
		for _, consumers := range []int{1, 3} {
			t.Run(fmt.Sprintf("%s with %d consumers", impl.Name, consumers), func(t *testing.T) {
				// A capacity of 4 keeps the queue full and empty in turns, so
				// both blocking paths run.
				tg, err := impl.New(impls.Config{Workers: producers, Consumers: consumers, Capacity: 4})
				if err != nil {
					t.Fatal(err)
				}
				defer tg.Close()
				produce(t, tg, producers, ops)
				if err := tg.Verify(); err != nil {
					t.Fatal(err)
				}
				st := tg.(impls.StatsReporter).Stats()
				want := float64(producers * ops)
				// Every item of a FIFO queue reaches a consumer before the stop
				// items do, so the consumers took them all, none was drained.
				if st["enqueued"] != want || st["dequeued"] != want || st["items_checked"] != want {
					t.Fatalf("enqueued %v, dequeued %v, checked %v; want %v each", st["enqueued"], st["dequeued"], st["items_checked"], want)
				}
				if st["producers"] != producers || st["consumers"] != float64(consumers) {
					t.Fatalf("stats name %v producers and %v consumers, want %d and %d", st["producers"], st["consumers"], producers, consumers)
				}
				if st["queue_time_samples"] < 1 {
					t.Fatalf("no time in the queue sampled: %v", st)
				}
			})
		}
	}
}

func TestBoundedQueuesStateTheirCapacity(t *testing.T) {
	want := map[string]float64{"queue-chan": 100, "queue-mutex": 100, "queue-cond": 100, "queue-mpmc": 128}
	for _, impl := range family(t) {
		tg, err := impl.New(impls.Config{Workers: 1, Capacity: 100})
		if err != nil {
			t.Fatal(err)
		}
		if err := tg.Verify(); err != nil {
			t.Fatal(err)
		}
		st := tg.(impls.StatsReporter).Stats()
		tg.Close()
		if c, bounded := want[impl.Name]; bounded {
			if st["capacity"] != c {
				t.Errorf("%s: capacity %v, want %v", impl.Name, st["capacity"], c)
			}
		} else if st["unbounded"] != 1 {
			t.Errorf("%s: stats %v, want it marked unbounded", impl.Name, st)
		}
	}
}

func TestQueuesRefuseABadConfig(t *testing.T) {
	for _, cfg := range []impls.Config{{Consumers: -1}, {Capacity: -1}, {Workers: queues.MaxProducers + 1}} {
		for _, impl := range family(t) {
			tg, err := impl.New(cfg)
			if err == nil {
				tg.Close()
				t.Errorf("%s accepted %+v", impl.Name, cfg)
			} else if !strings.HasPrefix(err.Error(), impl.Name+": ") {
				t.Errorf("%s: error %q does not name the implementation", impl.Name, err)
			}
		}
	}
}

func TestTheWindowBoundsTheFiguresButNotTheCheck(t *testing.T) {
	impl, _ := impls.Lookup("queue-chan")
	tg, err := impl.New(impls.Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	w := tg.(impls.WindowObserver)
	produce(t, tg, 1, 10)        // the warm-up
	time.Sleep(time.Millisecond) // the consumer waits across the opening
	w.WindowOpened(time.Now())
	produce(t, tg, 1, 20)
	time.Sleep(time.Millisecond) // and across the close
	w.WindowClosed(time.Now())
	produce(t, tg, 1, 5) // after the window
	if err := tg.Verify(); err != nil {
		t.Fatal(err)
	}
	st := tg.(impls.StatsReporter).Stats()
	if st["enqueued"] != 20 || st["items_checked"] != 35 {
		t.Fatalf("enqueued %v (want the window's 20), checked %v (want all 35)", st["enqueued"], st["items_checked"])
	}
	if st["dequeued"] > 35 {
		t.Fatalf("dequeued %v of 35 items", st["dequeued"])
	}
	// A consumer's waits are disjoint and only their parts inside the window
	// count, so they cannot add up to more than the window.
	if pct := st["consumer_blocked_pct"]; !(pct >= 0 && pct <= 100) {
		t.Fatalf("consumer blocked %v%% of the window, want [0, 100]", pct)
	}
}

func TestASlowProducerStampsEveryItem(t *testing.T) {
	impl, _ := impls.Lookup("queue-cond")
	tg, err := impl.New(impls.Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	for range 5 {
		// More than the slow gap between enqueues: a sleep never ends early.
		time.Sleep(300 * time.Microsecond)
		if o := tg.Do(context.Background(), impls.Op{Worker: 0}); o != impls.OK {
			t.Fatal(o)
		}
	}
	if err := tg.Verify(); err != nil {
		t.Fatal(err)
	}
	if st := tg.(impls.StatsReporter).Stats(); st["queue_time_samples"] != 5 {
		t.Fatalf("%v items' time in the queue sampled, want all 5", st["queue_time_samples"])
	}
}

func TestAWorkerOutsideTheProducersIsAnError(t *testing.T) {
	impl, _ := impls.Lookup("queue-mpmc")
	tg, err := impl.New(impls.Config{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if o := tg.Do(context.Background(), impls.Op{Worker: 2}); o != impls.Error {
		t.Fatalf("worker 2 of 2: %v, want error", o)
	}
	if err := tg.Verify(); err != nil {
		t.Fatal(err)
	}
}

func TestConsumersAreTheTargetsOwnGoroutines(t *testing.T) {
	for _, impl := range family(t) {
		tg, err := impl.New(impls.Config{Workers: 1, Consumers: 2})
		if err != nil {
			t.Fatal(err)
		}
		if n := tg.(impls.Background).BackgroundGoroutines(); n != 2 {
			t.Errorf("%s: %d background goroutines, want its 2 consumers", impl.Name, n)
		}
		if err := tg.Close(); err != nil {
			t.Errorf("%s: Close = %v", impl.Name, err)
		}
	}
}
