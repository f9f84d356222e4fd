package locks

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/syncbench/syncbench/impls"
)

func read(worker int) impls.Op  { return impls.Op{Kind: impls.OpRead, Worker: worker} }
func write(worker int) impls.Op { return impls.Op{Kind: impls.OpWrite, Worker: worker} }

// wantViolation checks err against want: "" means no error, anything else must be
// an *impls.InvariantError for impl whose message contains want.
func wantViolation(t *testing.T, err error, impl, want string) {
	t.Helper()
	if want == "" {
		if err != nil {
			t.Fatalf("got %v, want no violation", err)
		}
		return
	}
	var inv *impls.InvariantError
	if !errors.As(err, &inv) {
		t.Fatalf("got %v, want an *impls.InvariantError containing %q", err, want)
	}
	if inv.Impl != impl || !strings.Contains(inv.Detail, want) {
		t.Errorf("got %q, want impl %q and detail containing %q", err, impl, want)
	}
}

func TestVerifyCount(t *testing.T) {
	tests := []struct {
		name  string
		ops   []impls.Op
		v     []int64 // count each op saw
		final int64
		want  string
	}{
		{"a count matching the acknowledged writes passes",
			[]impls.Op{write(0), read(1), write(1), read(0)}, []int64{1, 1, 2, 2}, 2, ""},
		{"a count below the acknowledged writes reports lost updates",
			[]impls.Op{write(0), write(1)}, []int64{1, 1}, 1, "1 updates lost"},
		{"a count above the acknowledged writes reports unacknowledged updates",
			[]impls.Op{write(0)}, []int64{1}, 3, "2 updates not acknowledged"},
		{"a worker reading a lower count than before is reported",
			[]impls.Op{write(0), write(0), read(1), read(1)}, []int64{1, 2, 2, 1}, 2, "1 reads saw the count lower"},
		{"another worker reading a lower count is not a violation",
			[]impls.Op{write(0), read(0), read(1)}, []int64{1, 1, 0}, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLedger("test", 2)
			for i, op := range tt.ops {
				l.settle(op, tt.v[i])
			}
			wantViolation(t, l.verifyCount(tt.final), "test", tt.want)
		})
	}
}

func TestWorkerOutsideTheConfiguredRangePanics(t *testing.T) {
	for _, worker := range []int{-1, 4} {
		t.Run(fmt.Sprintf("worker %d of 4 panics naming Config.Workers", worker), func(t *testing.T) {
			defer func() {
				msg, _ := recover().(string)
				if !strings.Contains(msg, "Config.Workers") {
					t.Errorf("recovered %q, want a panic naming Config.Workers", msg)
				}
			}()
			l := newLedger("test", 4)
			l.ackWrite(worker)
		})
	}
}

// unlockedCounter is a deliberately broken target: it increments with a separate
// load and store (atomic each, so the race detector stays quiet) and no lock, and
// runs between in the gap so a test can force two increments to overlap.
type unlockedCounter struct {
	ledger
	n       atomic.Int64
	between func()
}

func (t *unlockedCounter) Do(_ context.Context, op impls.Op) impls.Outcome {
	v := t.n.Load()
	t.between()
	t.n.Store(v + 1)
	t.settle(op, v+1)
	return impls.OK
}

func (t *unlockedCounter) Verify() error { return t.verifyCount(t.n.Load()) }

func TestVerifyCatchesLostUpdatesOfAnUnlockedCounter(t *testing.T) {
	var bothLoaded sync.WaitGroup
	bothLoaded.Add(2)
	target := &unlockedCounter{
		ledger:  newLedger("unlocked", 2),
		between: func() { bothLoaded.Done(); bothLoaded.Wait() },
	}
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() { target.Do(context.Background(), write(w)) })
	}
	wg.Wait()
	wantViolation(t, target.Verify(), "unlocked", "guarded count is 1 but 2 writes were acknowledged (1 updates lost)")
}
