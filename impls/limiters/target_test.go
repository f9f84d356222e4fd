package limiters

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

func newTargetT(t *testing.T, name string, cfg impls.Config) impls.Target {
	t.Helper()
	impl, ok := impls.Lookup(name)
	if !ok {
		t.Fatalf("%s is not registered", name)
	}
	if impl.Family != impls.FamilyLimiters {
		t.Fatalf("%s registered in family %q", name, impl.Family)
	}
	tg, err := impl.New(cfg)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	t.Cleanup(func() { tg.Close() })
	return tg
}

func TestConstructorsRejectBadConfigurations(t *testing.T) {
	tests := []struct {
		name    string
		cfg     impls.Config
		impls   []string // nil: every limiter
		wantErr string
	}{
		{"an unknown mode is refused", impls.Config{Mode: "try"}, nil, `mode "try"`},
		{"a negative limit is refused", impls.Config{Limit: -1}, nil, "limit -1"},
		{"a limit above 1e9/s is refused", impls.Config{Limit: 2e9}, nil, "limit 2e+09"},
		{"a negative burst is refused", impls.Config{Burst: -5}, nil, "burst -5"},
		{"a negative window is refused", impls.Config{Window: -time.Second}, nil, "window -1s"},
		{"a negative key TTL is refused", impls.Config{Keys: 4, KeyTTL: -time.Second}, nil, "key TTL"},
		{"uber in allow mode is refused as blocking only", impls.Config{Mode: "allow"}, []string{"uber"}, "blocking only"},
		{"a window admitting no event is refused", impls.Config{Limit: 1, Window: time.Millisecond},
			[]string{"fixedwindow", "slidinglog", "slidingcounter", "multi"}, "admits no event"},
		{"a burst too large to pack is refused by the packed bucket", impls.Config{Burst: 1 << 25}, []string{"tokenbucket"}, "use gcra"},
	}
	for _, tt := range tests {
		names := tt.impls
		if names == nil {
			for _, a := range algorithms {
				names = append(names, a.name)
			}
		}
		for _, name := range names {
			t.Run(name+": "+tt.name, func(t *testing.T) {
				impl, _ := impls.Lookup(name)
				_, err := impl.New(tt.cfg)
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %v, want one containing %q", err, tt.wantErr)
				}
			})
		}
	}
}

func TestTargetOutcomesInAllowMode(t *testing.T) {
	for _, a := range allowAlgorithms {
		t.Run(a.name+" answers OK, then Denied when exhausted or asked for more than the burst", func(t *testing.T) {
			clk := newFakeClock()
			// Limit 3/s over the default 1 s window: L = 3 as well.
			tg := newTargetT(t, a.name, impls.Config{Now: clk.Now, Limit: 3, Burst: 3})
			ctx := context.Background()
			if o := tg.Do(ctx, impls.Op{Kind: impls.OpAllow, Weight: 4}); o != impls.Denied {
				t.Errorf("weight burst+1: %v, want denied", o)
			}
			for i := range 3 {
				if o := tg.Do(ctx, impls.Op{Kind: impls.OpAllow}); o != impls.OK {
					t.Errorf("op %d of the burst: %v, want ok", i, o)
				}
			}
			if o := tg.Do(ctx, impls.Op{Kind: impls.OpAllow}); o != impls.Denied {
				t.Errorf("op after the burst: %v, want denied", o)
			}
			if err := tg.Verify(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestTargetOutcomesInWaitMode(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, a := range algorithms {
		t.Run(a.name+" waits to OK, times out on a done context, and denies more than the burst", func(t *testing.T) {
			// Real clock, 2/s (L = 2 per window): after the first event any other
			// could have to wait, so the cancelled context must end it. The first
			// event is a single one because uber admits no burst before it has
			// been idle.
			tg := newTargetT(t, a.name, impls.Config{Mode: ModeWait, Limit: 2, Burst: 2})
			ctx := context.Background()
			if o := tg.Do(ctx, impls.Op{Weight: 3}); o != impls.Denied {
				t.Errorf("weight burst+1: %v, want denied", o)
			}
			if o := tg.Do(ctx, impls.Op{}); o != impls.OK {
				t.Errorf("the first event: %v, want ok", o)
			}
			if o := tg.Do(cancelled, impls.Op{}); o != impls.Timeout {
				t.Errorf("cancelled context: %v, want timeout", o)
			}
		})
	}
}

func TestLeakyBucketRefundsACancelledReservation(t *testing.T) {
	clk := newFakeClock()
	lim, _ := newLimiter(t, "leakybucket", impls.Config{Now: clk.Now, Limit: 1, Burst: 1, Mode: ModeWait})
	if !lim.AllowN(1) {
		t.Fatal("first event refused")
	}
	// The next slot is 1 s away on the fake clock, so WaitN sleeps until ctx ends.
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	if err := lim.WaitN(ctx, 1); err == nil {
		t.Fatal("WaitN returned before its slot")
	}
	clk.advance(int64(time.Second))
	if !lim.AllowN(1) {
		t.Error("the slot given back by the cancelled wait was not available a second later")
	}
}

func TestKeyedLimitersAreIndependentAndEvictedWhenIdle(t *testing.T) {
	clk := newFakeClock()
	tg := newTargetT(t, "gcra", impls.Config{Now: clk.Now, Keys: 4, Burst: 2, KeyTTL: time.Second})
	ctx := context.Background()
	for key := range uint64(4) {
		for i := range 2 {
			if o := tg.Do(ctx, impls.Op{Key: key}); o != impls.OK {
				t.Fatalf("key %d op %d: %v, want ok (each key has its own burst)", key, i, o)
			}
		}
		if o := tg.Do(ctx, impls.Op{Key: key}); o != impls.Denied {
			t.Fatalf("key %d past its burst: %v, want denied", key, o)
		}
	}
	stats := tg.(impls.StatsReporter).Stats()
	if stats["live_limiters"] != 4 || stats["created_limiters"] != 4 || stats["evicted"] != 0 {
		t.Errorf("after using 4 keys: %v", stats)
	}
	if stats["bytes_per_key"] <= 0 {
		t.Errorf("bytes_per_key = %v, want a positive measurement", stats["bytes_per_key"])
	}
	clk.advance(int64(2 * time.Second))
	tg.Do(ctx, impls.Op{Key: 0}) // key 0 is used, and its use triggers the sweep
	stats = tg.(impls.StatsReporter).Stats()
	if stats["live_limiters"] != 1 || stats["evicted"] != 3 {
		t.Errorf("after 2 s idle and a sweep: %v, want 1 live and 3 evicted", stats)
	}
	if o := tg.Do(ctx, impls.Op{Key: 3}); o != impls.OK {
		t.Errorf("an evicted key's new limiter: %v, want ok", o)
	}
	if err := tg.Verify(); err != nil {
		t.Error(err)
	}
	if s := tg.(impls.StatsReporter).Stats(); s["created_limiters"] != 5 {
		t.Errorf("created %v, want 5", s["created_limiters"])
	}
}

func TestUberWaitsWhenNoModeIsGiven(t *testing.T) {
	impl, _ := impls.Lookup("uber")
	target, err := impl.New(impls.Config{Limit: 1000, Burst: 1})
	if err != nil {
		t.Fatalf("uber with no mode: %v; a family run must be able to include it", err)
	}
	defer target.Close()
	if got := target.Do(context.Background(), impls.Op{}); got != impls.OK {
		t.Fatalf("Do = %v, want ok (a wait-only limiter admits after waiting)", got)
	}
	if got := target.(impls.ModeReporter).Mode(); got != ModeWait {
		t.Errorf("uber with no mode reports mode %q, want %q (the one it runs in)", got, ModeWait)
	}
}

func TestALimiterReportsTheModeItRunsIn(t *testing.T) {
	for _, c := range []struct{ mode, want impls.Mode }{{"", ModeAllow}, {ModeAllow, ModeAllow}, {ModeWait, ModeWait}} {
		impl, _ := impls.Lookup("tokenbucket")
		target, err := impl.New(impls.Config{Limit: 1000, Burst: 1, Mode: c.mode})
		if err != nil {
			t.Fatal(err)
		}
		if got := target.(impls.ModeReporter).Mode(); got != c.want {
			t.Errorf("tokenbucket with mode %q reports %q, want %q", c.mode, got, c.want)
		}
		target.Close()
	}
}
