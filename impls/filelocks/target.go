//go:build linux

package filelocks

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// Kind names, as registered.
const (
	KindFlock = "flock"
	KindOFD   = "ofd"
	KindFcntl = "fcntl"
)

// Target drives one kind of file lock with Config.Workers lockers on one lock file
// and checks exclusion (see the package doc). It implements impls.Target and
// impls.StatsReporter; Do and WithLock are safe for concurrent use as long as no two
// calls share a worker index.
type Target struct {
	name  string
	path  string
	owned bool // path is our temp file: removed, with its count file, on Close
	// createdLock and createdTally are set when New created cfg.LockFile or
	// its count file: removed again by Close if no section ever ran (the
	// command line builds every target once to check its configuration).
	createdLock, createdTally bool
	timeout                   time.Duration
	lockers                   []Locker
	closers                   []func() error // shared resources behind the lockers (fcntl's descriptor)
	tally                     *tallyFile
	base                      Tally // count file content when the target was built
	pid                       uint64

	// In-process overlap detection, exact within this process (Dekker style: each
	// side announces itself, then looks for the other).
	writer  atomic.Int32
	readers atomic.Int32

	overlaps  atomic.Int64
	exclusive atomic.Int64 // acknowledged exclusive acquisitions
	shared    atomic.Int64
}

// New builds a Target of kind (KindFlock, KindOFD or KindFcntl). It contends on
// cfg.LockFile, created if missing, or on a fresh temp file when that is empty;
// cfg.Timeout bounds each acquisition (zero: only the op's context does).
//
// cfg.LockFile must be a regular file or absent: a directory or a device is
// refused, and so is a file at its CountPath that is not a count file
// (*NotCountFileError), which the exclusion check would overwrite. Locking never
// changes the lock file's content.
func New(kind string, cfg impls.Config) (_ *Target, err error) {
	t := &Target{name: kind, path: cfg.LockFile, timeout: cfg.Timeout, pid: uint64(os.Getpid())}
	defer func() {
		if err != nil {
			_ = t.Close()
		}
	}()
	if t.path == "" {
		f, err := os.CreateTemp("", "syncbench-*.lock")
		if err != nil {
			return nil, fmt.Errorf("%s: creating a lock file: %w", kind, err)
		}
		t.path, t.owned = f.Name(), true
		_ = f.Close()
	} else if t.createdLock, err = prepareLockFile(t.path); err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	if t.tally, t.createdTally, err = openTally(t.path); err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	if t.base, err = t.readTally(); err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	workers := max(cfg.Workers, 1)
	switch kind {
	case KindFlock:
		for range workers {
			t.lockers = append(t.lockers, NewFlock(t.path))
		}
	case KindOFD:
		for range workers {
			l, err := OpenOFD(t.path)
			if err != nil {
				return nil, err
			}
			t.lockers = append(t.lockers, l)
		}
	case KindFcntl:
		f, err := OpenFcntl(t.path)
		if err != nil {
			return nil, err
		}
		t.closers = append(t.closers, f.Close)
		for range workers {
			t.lockers = append(t.lockers, f.NewLocker())
		}
	default:
		return nil, fmt.Errorf("filelocks: unknown kind %q", kind)
	}
	return t, nil
}

// Path returns the lock file the target contends on; its count file is
// CountPath(Path()).
func (t *Target) Path() string { return t.path }

// Do takes the lock in shared mode for OpRead and exclusive mode for any other
// kind, spends op.Work busy and op.Hold asleep inside, and releases it. It returns
// Timeout when the lock was not taken before ctx or Config.Timeout ended, Error on
// a system call failure.
func (t *Target) Do(ctx context.Context, op impls.Op) impls.Outcome {
	mode := Exclusive
	if op.Kind == impls.OpRead {
		mode = Shared
	}
	err := t.WithLock(ctx, op.Worker, mode, func() error {
		impls.BusyWork(op.Work)
		impls.Hold(ctx, op.Hold) // ends on interrupt
		return nil
	})
	switch {
	case err == nil:
		return impls.OK
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return impls.Timeout
	default:
		return impls.Error
	}
}

// WithLock runs fn holding worker's lock in mode, inside the exclusion check: an
// exclusive section increments the shared counter and is counted as acknowledged
// only if fn returned nil and the lock was released. worker must be in
// [0, Config.Workers).
func (t *Target) WithLock(ctx context.Context, worker int, mode Mode, fn func() error) error {
	if t.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, t.timeout)
		defer cancel()
	}
	var section func() error
	if mode == Exclusive {
		section = func() error { return t.exclusiveSection(worker, fn) }
	} else {
		section = func() error { return t.sharedSection(fn) }
	}
	if err := WithLock(ctx, t.lockers[worker], mode, section); err != nil {
		return err
	}
	if mode == Exclusive {
		t.exclusive.Add(1)
	} else {
		t.shared.Add(1)
	}
	return nil
}

func (t *Target) exclusiveSection(worker int, fn func() error) error {
	if !t.writer.CompareAndSwap(0, 1) || t.readers.Load() != 0 {
		t.overlaps.Add(1)
	}
	defer t.writer.Store(0)
	id := t.pid<<16 | uint64(worker+1)&0xffff
	count, overlap, err := t.tally.enter(id)
	if err != nil {
		return err
	}
	if overlap {
		t.overlap()
	}
	fnErr := fn()
	overlap, err = t.tally.exit(id, count)
	if overlap {
		t.overlap()
	}
	return errors.Join(fnErr, err)
}

func (t *Target) sharedSection(fn func() error) error {
	t.readers.Add(1)
	defer t.readers.Add(-1)
	if t.writer.Load() != 0 {
		t.overlaps.Add(1)
	}
	busy, err := t.tally.holderSet()
	if err != nil {
		return err
	}
	if busy {
		t.overlap()
	}
	return fn()
}

// overlap records an overlap seen in the count file, here and for other processes.
func (t *Target) overlap() {
	t.overlaps.Add(1)
	_ = t.tally.addOverlap()
}

func (t *Target) readTally() (Tally, error) {
	var tl Tally
	var err error
	if tl.Acquisitions, err = t.tally.read(offCount); err != nil {
		return tl, err
	}
	tl.Overlaps, err = t.tally.read(offOverlaps)
	return tl, err
}

// Verify fails if any overlap was observed, or if the count file grew by less than
// the acknowledged exclusive acquisitions (lost updates). When the lock file is the
// target's own temp file it must have grown by exactly that many; a shared
// cfg.LockFile may also have been incremented by other processes, whose total the
// parent checks with ReadTally.
func (t *Target) Verify() error {
	if n := t.overlaps.Load(); n > 0 {
		return t.violation("%d critical sections overlapped with another holder", n)
	}
	now, err := t.readTally()
	if err != nil {
		return t.violation("reading the count file: %v", err)
	}
	if now.Overlaps > t.base.Overlaps {
		return t.violation("count file records %d overlapping holders (another process saw them)", now.Overlaps-t.base.Overlaps)
	}
	grown, acked := now.Acquisitions-t.base.Acquisitions, uint64(t.exclusive.Load())
	if grown < acked || (t.owned && grown != acked) {
		return t.violation("count file counter grew by %d, want %d acknowledged exclusive acquisitions (lost updates)", grown, acked)
	}
	return nil
}

func (t *Target) violation(format string, args ...any) error {
	return &impls.InvariantError{Impl: t.name, Detail: fmt.Sprintf(format, args...)}
}

// Stats reports "acquisitions" (acknowledged exclusive acquisitions: what the
// count file must account for), "shared_acquisitions" and "overlaps".
func (t *Target) Stats() map[string]float64 {
	return map[string]float64{
		"acquisitions":        float64(t.exclusive.Load()),
		"shared_acquisitions": float64(t.shared.Load()),
		"overlaps":            float64(t.overlaps.Load()),
	}
}

// Close releases every locker and, for a temp lock file, removes it and its count
// file. A cfg.LockFile and its count file are left for the caller to inspect,
// unless this target created them and no section ever ran: then nothing of it
// is left behind.
func (t *Target) Close() error {
	var errs []error
	for _, l := range t.lockers {
		errs = append(errs, l.Close())
	}
	for _, c := range t.closers {
		errs = append(errs, c())
	}
	if t.tally != nil {
		errs = append(errs, t.tally.close())
	}
	unused := t.exclusive.Load() == 0 && t.shared.Load() == 0 && t.overlaps.Load() == 0
	if t.owned || (unused && t.createdTally) {
		errs = append(errs, os.Remove(CountPath(t.path)))
	}
	if t.owned || (unused && t.createdLock) {
		errs = append(errs, os.Remove(t.path))
	}
	t.lockers, t.closers, t.tally, t.owned = nil, nil, nil, false
	t.createdLock, t.createdTally = false, false
	return errors.Join(errs...)
}
