//go:build linux

package filelocks

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"golang.org/x/sys/unix"
)

var kinds = []string{KindFlock, KindOFD, KindFcntl}

// runWorkers runs ops operations of template op from each of workers goroutines
// and returns the count of each outcome.
func runWorkers(ctx context.Context, target impls.Target, workers, ops int, op impls.Op) [impls.NumOutcomes]int {
	var mu sync.Mutex
	var counts [impls.NumOutcomes]int
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			var local [impls.NumOutcomes]int
			o := op
			o.Worker = w
			for range ops {
				local[target.Do(ctx, o)]++
			}
			mu.Lock()
			for i, n := range local {
				counts[i] += n
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	return counts
}

func newTarget(t *testing.T, kind string, cfg impls.Config) *Target {
	t.Helper()
	target, err := New(kind, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = target.Close() })
	return target
}

func TestExclusiveHoldersNeverOverlapAcrossGoroutines(t *testing.T) {
	const workers, ops = 6, 150
	ctxs := []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
	}{
		{"polling under a cancellable context", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 20*time.Second)
		}},
		{"waiting in the kernel under a context that never ends", func() (context.Context, context.CancelFunc) {
			return context.Background(), func() {}
		}},
	}
	for _, kind := range kinds {
		for _, c := range ctxs {
			t.Run(kind+" "+c.name, func(t *testing.T) {
				target := newTarget(t, kind, impls.Config{Workers: workers})
				ctx, cancel := c.ctx()
				defer cancel()
				// A read share keeps shared and exclusive holders mixed.
				var wg sync.WaitGroup
				var counts [2][impls.NumOutcomes]int
				wg.Go(func() { counts[0] = runWorkers(ctx, target, workers-1, ops, impls.Op{Kind: impls.OpWrite}) })
				wg.Go(func() {
					counts[1] = runWorkers(ctx, &workerOffset{target, workers - 1}, 1, ops, impls.Op{Kind: impls.OpRead})
				})
				wg.Wait()
				if got, want := counts[0][impls.OK], (workers-1)*ops; got != want {
					t.Fatalf("exclusive ops OK = %d, want %d (outcomes %v)", got, want, counts[0])
				}
				if got := counts[1][impls.OK]; got != ops {
					t.Fatalf("shared ops OK = %d, want %d (outcomes %v)", got, ops, counts[1])
				}
				if err := target.Verify(); err != nil {
					t.Fatal(err)
				}
				tally, err := ReadTally(target.Path())
				if err != nil {
					t.Fatal(err)
				}
				if tally.Acquisitions != uint64((workers-1)*ops) || tally.Overlaps != 0 {
					t.Fatalf("tally %+v, want %d acquisitions and no overlaps", tally, (workers-1)*ops)
				}
				if got := target.Stats()["acquisitions"]; got != float64((workers-1)*ops) {
					t.Fatalf("acquisitions stat = %v, want %d", got, (workers-1)*ops)
				}
			})
		}
	}
}

// workerOffset shifts op.Worker so two runWorkers calls use disjoint workers.
type workerOffset struct {
	impls.Target
	offset int
}

func (w *workerOffset) Do(ctx context.Context, op impls.Op) impls.Outcome {
	op.Worker += w.offset
	return w.Target.Do(ctx, op)
}

// noLock locks nothing: a broken lock the exclusion check must catch.
type noLock struct{}

func (noLock) Lock(context.Context, Mode) error { return nil }
func (noLock) Unlock() error                    { return nil }
func (noLock) Close() error                     { return nil }

func TestVerifyCatchesALockThatDoesNotExclude(t *testing.T) {
	target := newTarget(t, KindFlock, impls.Config{Workers: 4})
	for i := range target.lockers {
		_ = target.lockers[i].Close()
		target.lockers[i] = noLock{}
	}
	runWorkers(context.Background(), target, 4, 20, impls.Op{Kind: impls.OpWrite, Hold: time.Millisecond})
	var inv *impls.InvariantError
	if err := target.Verify(); !errors.As(err, &inv) {
		t.Fatalf("Verify() = %v, want an *InvariantError", err)
	}
	if target.Stats()["overlaps"] == 0 {
		t.Fatal("no overlaps counted for a lock that excludes nothing")
	}
}

func TestSharedHoldersAreInsideTogether(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind+" admits a second reader while the first is inside", func(t *testing.T) {
			target := newTarget(t, kind, impls.Config{Workers: 2, Timeout: 5 * time.Second})
			entered, second := make(chan struct{}), make(chan struct{})
			errc := make(chan error, 1)
			go func() {
				errc <- target.WithLock(context.Background(), 0, Shared, func() error {
					close(entered)
					select {
					case <-second:
						return nil
					case <-time.After(5 * time.Second):
						return errors.New("second reader never got in")
					}
				})
			}()
			<-entered
			err := target.WithLock(context.Background(), 1, Shared, func() error {
				close(second)
				return nil
			})
			if err != nil {
				t.Fatalf("second reader: %v", err)
			}
			if err := <-errc; err != nil {
				t.Fatalf("first reader: %v", err)
			}
			if err := target.Verify(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestAcquireTimesOutWhileAnotherWorkerHolds(t *testing.T) {
	tests := []struct {
		held Mode
		op   impls.OpKind
	}{
		{Exclusive, impls.OpWrite},
		{Exclusive, impls.OpRead},
		{Shared, impls.OpWrite},
	}
	for _, kind := range kinds {
		for _, tt := range tests {
			t.Run(kind+" "+tt.op.String()+" times out while another holds it "+tt.held.String(), func(t *testing.T) {
				target := newTarget(t, kind, impls.Config{Workers: 2, Timeout: 30 * time.Millisecond})
				entered, release := make(chan struct{}), make(chan struct{})
				done := make(chan error, 1)
				go func() {
					done <- target.WithLock(context.Background(), 0, tt.held, func() error {
						close(entered)
						<-release
						return nil
					})
				}()
				<-entered
				got := target.Do(context.Background(), impls.Op{Kind: tt.op, Worker: 1})
				close(release)
				if err := <-done; err != nil {
					t.Fatal(err)
				}
				if got != impls.Timeout {
					t.Fatalf("Do = %v, want timeout", got)
				}
				// Once released, the same worker gets in.
				if got := target.Do(context.Background(), impls.Op{Kind: tt.op, Worker: 1}); got != impls.OK {
					t.Fatalf("Do after release = %v, want ok", got)
				}
			})
		}
	}
}

func TestKilledHolderReleasesTheLockAtOnce(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind+" lock is free as soon as the holding process is gone", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "lock")
			child, out := helper(t, "hold", kind, path)
			if line := readLine(t, out); line != "locked" {
				t.Fatalf("child said %q, want locked", line)
			}
			l, closeLocker := openLocker(t, kind, path)
			defer closeLocker()

			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			err := l.Lock(ctx, Exclusive)
			cancel()
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("Lock while the child holds it = %v, want deadline exceeded", err)
			}

			if err := child.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = child.Wait() // the kernel has released its locks once it is reaped
			start := time.Now()
			ctx, cancel = context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			if err := l.Lock(ctx, Exclusive); err != nil {
				t.Fatalf("Lock after the holder was killed: %v", err)
			}
			t.Logf("acquired %v after the holder was reaped", time.Since(start))
			if err := l.Unlock(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestPOSIXLocksBelongToTheProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lock")
	open := func() int {
		fd, err := unix.Open(path, unix.O_RDWR|unix.O_CREAT|unix.O_CLOEXEC, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		return fd
	}
	probe := func() string {
		_, out := helper(t, "probe", "", path)
		return readLine(t, out)
	}
	fd1, fd2 := open(), open()
	defer unix.Close(fd1)
	lk := wholeFile(unix.F_WRLCK)

	t.Run("two descriptors of one process both get the write lock", func(t *testing.T) {
		for i, fd := range []int{fd1, fd2} {
			ok, err := tryLock(fd, unix.F_SETLK, &lk)
			if err != nil || !ok {
				t.Fatalf("F_SETLK on descriptor %d = %v, %v; want granted", i+1, ok, err)
			}
		}
	})
	t.Run("another process sees the lock as held", func(t *testing.T) {
		if got := probe(); got != "busy" {
			t.Fatalf("probe from another process = %q, want busy", got)
		}
	})
	t.Run("closing either descriptor drops the whole process's lock", func(t *testing.T) {
		if err := unix.Close(fd2); err != nil {
			t.Fatal(err)
		}
		if got := probe(); got != "free" {
			t.Fatalf("probe after closing the second descriptor = %q, want free", got)
		}
	})
	t.Run("open-file-description locks on two descriptors do exclude each other", func(t *testing.T) {
		a, b := open(), open()
		defer unix.Close(a)
		defer unix.Close(b)
		if ok, err := tryLock(a, unix.F_OFD_SETLK, &lk); err != nil || !ok {
			t.Fatalf("first OFD lock = %v, %v; want granted", ok, err)
		}
		if ok, err := tryLock(b, unix.F_OFD_SETLK, &lk); err != nil || ok {
			t.Fatalf("second OFD lock = %v, %v; want refused", ok, err)
		}
	})
}

func TestExclusionHoldsAcrossProcesses(t *testing.T) {
	const procs, ops = 2, 100
	for _, kind := range kinds {
		t.Run(kind+" count file equals the sum acknowledged by the children", func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "lock")
			if err := ResetTally(path); err != nil {
				t.Fatal(err)
			}
			var outs []func() string
			for range procs {
				_, out := helper(t, "hammer", kind, path, helperOpsEnv+"="+strconv.Itoa(ops))
				outs = append(outs, func() string { return readLine(t, out) })
			}
			total := 0
			for i, read := range outs {
				line := read()
				n, err := strconv.Atoi(line)
				if err != nil {
					t.Fatalf("child %d: %s", i, line)
				}
				total += n
			}
			if total != procs*2*ops {
				t.Fatalf("children acknowledged %d, want %d", total, procs*2*ops)
			}
			tally, err := ReadTally(path)
			if err != nil {
				t.Fatal(err)
			}
			if tally != (Tally{Acquisitions: uint64(total)}) {
				t.Fatalf("tally = %+v, want %d acquisitions and no overlaps", tally, total)
			}
		})
	}
}

func TestTallyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lock")
	if got := CountPath(path); got != path+".count" {
		t.Fatalf("CountPath = %q", got)
	}
	if _, err := ReadTally(path); err == nil {
		t.Fatal("ReadTally of a missing count file succeeded")
	}
	tf, _, err := openTally(path)
	if err != nil {
		t.Fatal(err)
	}
	defer tf.close()
	t.Run("an empty file reads as zeros", func(t *testing.T) {
		if got, err := ReadTally(path); err != nil || got != (Tally{}) {
			t.Fatalf("ReadTally = %+v, %v", got, err)
		}
	})
	t.Run("a section entered while another holder is inside is an overlap", func(t *testing.T) {
		c1, overlap, _ := tf.enter(1)
		if overlap {
			t.Fatal("first holder saw an overlap")
		}
		c2, overlap, _ := tf.enter(2)
		if !overlap {
			t.Fatal("second holder inside at once saw no overlap")
		}
		if overlap, _ := tf.exit(1, c1); !overlap {
			t.Fatal("first holder's exit missed the intruder")
		}
		_, _ = tf.exit(2, c2)
		if got, _ := ReadTally(path); got.Acquisitions != 1 {
			t.Fatalf("two overlapping increments left %d, want the lost update (1)", got.Acquisitions)
		}
	})
	t.Run("ResetTally zeroes it", func(t *testing.T) {
		_ = tf.addOverlap()
		if err := ResetTally(path); err != nil {
			t.Fatal(err)
		}
		if got, err := ReadTally(path); err != nil || got != (Tally{}) {
			t.Fatalf("after reset ReadTally = %+v, %v", got, err)
		}
	})
}

func TestCloseRemovesOnlyItsOwnTempFile(t *testing.T) {
	own, err := New(KindOFD, impls.Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	path := own.Path()
	if err := own.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadTally(path); err == nil {
		t.Fatal("temp count file survived Close")
	}
	given := filepath.Join(t.TempDir(), "lock")
	target, err := New(KindOFD, impls.Config{Workers: 1, LockFile: given})
	if err != nil {
		t.Fatal(err)
	}
	target.Do(context.Background(), impls.Op{Kind: impls.OpWrite})
	if err := target.Close(); err != nil {
		t.Fatal(err)
	}
	if got, err := ReadTally(given); err != nil || got.Acquisitions != 1 {
		t.Fatalf("count file of a given lock file after Close: %+v, %v", got, err)
	}
}

func TestRegisteredKinds(t *testing.T) {
	for _, kind := range kinds {
		impl, ok := impls.Lookup(kind)
		if !ok || impl.Family != impls.FamilyFileLocks {
			t.Fatalf("%s: registered %v in family %q", kind, ok, impl.Family)
		}
		target, err := impl.New(impls.Config{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if got := target.Do(context.Background(), impls.Op{}); got != impls.OK {
			t.Fatalf("%s: Do = %v", kind, got)
		}
		if err := target.Verify(); err != nil {
			t.Fatal(err)
		}
		if err := target.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
