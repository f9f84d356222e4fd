package coalescing

import (
	"context"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

var implNames = []string{"nocoalesce", "singleflight", "singleflight-chan", "keyfill"}

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

func TestEveryImplementationIsRegisteredInTheCoalescingFamily(t *testing.T) {
	for _, name := range implNames {
		impl, ok := impls.Lookup(name)
		if !ok || impl.Family != impls.FamilyCoalescing || impl.Summary == "" {
			t.Errorf("%s: registered %v, %+v", name, ok, impl)
		}
	}
}

func TestConstructorsValidateTheCancellation(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  impls.Config
		want string // "" for no error
	}{
		{"a zero config", impls.Config{}, ""},
		{"a cancel ratio with a timeout", impls.Config{CancelRatio: 0.5, Timeout: time.Millisecond}, ""},
		{"a cancel ratio without a timeout", impls.Config{CancelRatio: 0.5}, "cancel ratio 0.5 needs a timeout"},
		{"a cancel ratio above 1", impls.Config{CancelRatio: 2, Timeout: time.Millisecond}, "cancel ratio 2 is outside [0,1]"},
		{"a negative timeout", impls.Config{Timeout: -1}, "timeout -1ns is negative"},
	} {
		for _, name := range implNames {
			t.Run(name+": "+tc.name, func(t *testing.T) {
				impl, _ := impls.Lookup(name)
				tg, err := impl.New(tc.cfg)
				if tc.want == "" {
					if err != nil {
						t.Fatal(err)
					}
					_ = tg.Close()
					return
				}
				if err == nil || err.Error() != name+": "+tc.want && !strings.HasPrefix(err.Error(), name+": "+tc.want) {
					t.Fatalf("error %v, want %q", err, name+": "+tc.want)
				}
			})
		}
	}
}

func TestEveryCallerAloneGetsItsKeysAnswerFromItsOwnCall(t *testing.T) {
	for _, name := range implNames {
		t.Run(name, func(t *testing.T) {
			tg := newImpl(t, name, impls.Config{Workers: 1, Keys: 4})
			for i := range 20 {
				if got := tg.Do(context.Background(), impls.Op{Kind: impls.OpRead, Key: uint64(i % 4)}); got != impls.OK {
					t.Fatalf("op %d: %v, want ok", i, got)
				}
			}
			if err := tg.Verify(); err != nil {
				t.Fatal(err)
			}
			// One caller at a time overlaps nobody: every request is a call.
			st := tg.Stats()
			if st["requests"] != 20 || st["backend_calls"] != 20 || st["calls_per_request"] != 1 || st["shared_pct"] != 0 {
				t.Errorf("stats %v: want 20 requests, each its own call", st)
			}
		})
	}
}

// herd holds a test's backend calls open: each fetch that starts sends on
// started and waits for release to close.
type herd struct {
	started chan struct{}
	release chan struct{}
}

// waiting is how many callers beyond the first are known to be waiting in
// the coalescer: started calls of their own (nocoalesce; the test took the
// leader's from the channel), or parked in the
// coalescer's Get in the state that means they joined the call in flight
// (singleflight's WaitGroup, DoChan's select, keyfill's mutex). Goroutine
// states come from runtime.Stack: the only way to know, without a sleep, that
// a caller is waiting rather than about to.
func waiting(tg *target, h *herd) int {
	switch tg.c.(type) {
	case noCoalesce:
		return len(h.started)
	case *flightDo:
		return parked("[sync.WaitGroup.Wait", "coalescing.(*flightDo).Get")
	case *flightChan:
		// DoChan runs the call on a goroutine of its own, so the leader
		// waits in the same select as the others.
		return parked("[select", "coalescing.(*flightChan).Get") - 1
	case *keyFill:
		return parked("[sync.Mutex.Lock", "coalescing.(*keyFill).Get")
	}
	return -1
}

// parked counts the goroutines whose state starts with state and whose stack
// holds fn.
func parked(state, fn string) int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		header, _, _ := strings.Cut(g, "\n")
		if strings.Contains(header, " "+state) && strings.Contains(g, fn) {
			count++
		}
	}
	return count
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("the callers never all arrived")
		}
		time.Sleep(time.Millisecond)
	}
}

// startHerd starts caller 0 with ctx0, holds its backend call open, starts
// callers 1..n-1 with no deadline, and returns once all are waiting; release
// lets the calls finish and returns every caller's outcome.
func startHerd(t *testing.T, tg *target, n int, ctx0 context.Context) (release func() []impls.Outcome) {
	t.Helper()
	h := &herd{started: make(chan struct{}, 4*n), release: make(chan struct{})}
	inner := tg.fetch
	tg.fetch = func(ctx context.Context, req Request) (Answer, error) {
		h.started <- struct{}{}
		<-h.release
		return inner(ctx, req)
	}
	var wg sync.WaitGroup
	outcomes := make([]impls.Outcome, n)
	wg.Go(func() { outcomes[0] = tg.Do(ctx0, impls.Op{Worker: 0}) })
	<-h.started
	for w := 1; w < n; w++ {
		wg.Go(func() { outcomes[w] = tg.Do(context.Background(), impls.Op{Worker: w}) })
	}
	waitUntil(t, func() bool { return waiting(tg, h) == n-1 })
	return func() []impls.Outcome {
		close(h.release)
		wg.Wait()
		return outcomes
	}
}

// TestCallersOverlappingACallShareIt holds one call open in the backend until
// every other caller of its key waits in the coalescer, then counts the calls
// exactly.
func TestCallersOverlappingACallShareIt(t *testing.T) {
	const callers = 6
	want := map[string]float64{"nocoalesce": callers, "singleflight": 1, "singleflight-chan": 1, "keyfill": 1}
	for _, name := range implNames {
		t.Run(name, func(t *testing.T) {
			tg := newImpl(t, name, impls.Config{Workers: callers, Keys: 1})
			for w, o := range startHerd(t, tg, callers, context.Background())() {
				if o != impls.OK {
					t.Errorf("caller %d: %v", w, o)
				}
			}
			if err := tg.Verify(); err != nil {
				t.Fatal(err)
			}
			if st := tg.Stats(); st["backend_calls"] != want[name] || st["requests"] != callers {
				t.Errorf("stats %v: want %v backend calls for %d requests", st, want[name], callers)
			}
		})
	}
}

// TestALeaderThatGivesUpCostsTheOthersWhatItsCoalescerMakesItCost cancels the
// caller whose call the others wait for, then lets the call go.
func TestALeaderThatGivesUpCostsTheOthersWhatItsCoalescerMakesItCost(t *testing.T) {
	const callers = 5
	for _, tc := range []struct {
		name                 string
		othersOK, collateral int
		calls                float64
	}{
		// Do ran the call with the leader's context: it fails for everyone.
		{"singleflight", 0, callers - 1, 1},
		// DoChan's call is detached: the leader leaves, the others get the answer.
		{"singleflight-chan", callers - 1, 0, 1},
		// keyfill does not share a failed fill: the next waiter fills again,
		// and the rest share that.
		{"keyfill", callers - 1, 0, 2},
		{"nocoalesce", callers - 1, 0, callers},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tg := newImpl(t, tc.name, impls.Config{Workers: callers, Keys: 1})
			ctx, cancel := context.WithCancel(context.Background())
			release := startHerd(t, tg, callers, ctx)
			cancel()
			outcomes := release()
			if outcomes[0] != impls.Timeout {
				t.Errorf("the leader: %v, want timeout", outcomes[0])
			}
			ok := 0
			for _, o := range outcomes[1:] {
				if o == impls.OK {
					ok++
				}
			}
			st := tg.Stats()
			if ok != tc.othersOK || st["collateral_errors"] != float64(tc.collateral) || st["backend_calls"] != tc.calls {
				t.Errorf("%d others ok, stats %v: want %d ok, %d collateral errors, %v calls", ok, st, tc.othersOK, tc.collateral, tc.calls)
			}
			if err := tg.Verify(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestACancellingCallerGivesUpAfterTheTimeout(t *testing.T) {
	for _, name := range implNames {
		t.Run(name, func(t *testing.T) {
			tg := newImpl(t, name, impls.Config{Workers: 1, CancelRatio: 1, Timeout: time.Millisecond})
			if got := tg.Do(context.Background(), impls.Op{Hold: time.Hour}); got != impls.Timeout {
				t.Fatalf("a caller that gives up after 1ms of a 1h call: %v, want timeout", got)
			}
			// Close ends the detached call DoChan leaves running, and waits.
			if err := tg.Close(); err != nil {
				t.Fatal(err)
			}
			st := tg.Stats()
			if st["gave_up"] != 1 || st["collateral_errors"] != 0 || st["aborted_calls"] != 1 {
				t.Errorf("stats %v: want 1 caller given up and its call aborted", st)
			}
		})
	}
}

func TestTheCancellingCallersAreDrawnFromTheSeed(t *testing.T) {
	draws := func(seed int64) (string, int) {
		tg := newImpl(t, "nocoalesce", impls.Config{Workers: 2, Seed: seed, CancelRatio: 0.25, Timeout: time.Millisecond})
		var b strings.Builder
		n := 0
		for range 400 {
			c := tg.cancels(&tg.workers[1])
			if c {
				n++
			}
			b.WriteString(map[bool]string{true: "x", false: "."}[c])
		}
		return b.String(), n
	}
	a, n := draws(7)
	b, _ := draws(7)
	c, _ := draws(8)
	// 400 draws at 1/4: 100 expected, σ ≈ 8.7; the bounds are 5σ.
	if a != b || a == c || n < 56 || n > 144 {
		t.Errorf("seed 7 drew %d cancellations of 400 (%s), then %s, seed 8 %s: want the same draws for a seed, another for another, near a quarter", n, a, b, c)
	}
}

// lastAnswer is a broken coalescer: a cache that ignores the key.
type lastAnswer struct {
	mu   sync.Mutex
	last *Answer
}

func (l *lastAnswer) Get(ctx context.Context, req Request, fetch Fetch) (Answer, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.last != nil {
		return *l.last, nil
	}
	a, err := fetch(ctx, req)
	if err == nil {
		l.last = &a
	}
	return a, err
}

// wrongValue answers every key with its key but another value.
type wrongValue struct{}

func (wrongValue) Get(_ context.Context, req Request, _ Fetch) (Answer, error) {
	return Answer{Key: req.Key, Value: 42}, nil
}

func TestAnotherKeysAnswerFailsTheInvariant(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    Coalescer
		want string
	}{
		{"a cache that ignores the key", &lastAnswer{}, "1 callers got an answer that is not their key's; the first: worker 0 asked for key 2 and got key 1's answer"},
		{"a wrong value", wrongValue{}, "2 callers got an answer that is not their key's; the first: worker 0 asked for key 1 and got key 1's answer (value 0x2a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tg, err := NewTarget(tc.c, impls.Config{Workers: 1, Keys: 4})
			if err != nil {
				t.Fatal(err)
			}
			defer tg.Close()
			first := tg.Do(context.Background(), impls.Op{Key: 1})
			if second := tg.Do(context.Background(), impls.Op{Key: 2}); second != impls.Error {
				t.Errorf("key 2's caller: %v, want error", second)
			}
			_ = first
			if err := tg.Verify(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Verify = %v, want %q", err, tc.want)
			}
		})
	}
}
