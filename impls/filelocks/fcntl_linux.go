package filelocks

import (
	"context"
	"fmt"
	"math"

	"golang.org/x/sync/semaphore"
	"golang.org/x/sys/unix"
)

// FcntlFile is one process's handle on a lock file for classic POSIX record locks
// (F_SETLK/F_SETLKW). POSIX locks belong to the process: a second lock request by
// the same process always succeeds (it just converts the process's lock), and
// closing any descriptor of the file releases all of the process's locks on it.
// FcntlFile therefore keeps a single descriptor and puts an in-process read-write
// gate in front of the kernel lock, so that its Lockers exclude each other inside
// the process as well as across processes. It is safe for concurrent use; each
// goroutine uses its own Locker from NewLocker.
type FcntlFile struct {
	fd int
	// gate is the in-process read-write lock: Shared takes one unit, Exclusive
	// all of them. x/sync's semaphore is FIFO (a waiting writer holds back later
	// readers) and its Acquire honours a context, which sync.RWMutex does not.
	gate *semaphore.Weighted
	// readerMu (a one-slot channel, so waiting on it can honour a context) guards
	// readers, the number of in-process shared holders: the first takes the
	// kernel read lock and the last releases it, because a POSIX unlock by any
	// of them would release the whole process's lock.
	readerMu chan struct{}
	readers  int
}

const gateUnits = math.MaxInt32

// OpenFcntl opens path (creating it if missing) for POSIX record locks. Close the
// FcntlFile after its Lockers are done: closing the descriptor drops every POSIX
// lock this process holds on path.
func OpenFcntl(path string) (*FcntlFile, error) {
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_CREAT|unix.O_CLOEXEC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("fcntl: open %s: %w", path, err)
	}
	return &FcntlFile{fd: fd, gate: semaphore.NewWeighted(gateUnits), readerMu: make(chan struct{}, 1)}, nil
}

// NewLocker returns a Locker for one goroutine. Its Close does nothing: the
// descriptor belongs to the FcntlFile.
func (f *FcntlFile) NewLocker() Locker { return &fcntlLocker{f: f} }

// Close closes the descriptor, which releases every POSIX lock of this process on
// the file.
func (f *FcntlFile) Close() error { return unix.Close(f.fd) }

// kernelLock takes (or with F_UNLCK releases) the process's POSIX lock.
func (f *FcntlFile) kernelLock(ctx context.Context, typ int16) error {
	lk := wholeFile(typ)
	if typ == unix.F_UNLCK {
		return unix.FcntlFlock(uintptr(f.fd), unix.F_SETLK, &lk)
	}
	if ctx.Done() == nil {
		return retryEINTR(func() error { return unix.FcntlFlock(uintptr(f.fd), unix.F_SETLKW, &lk) })
	}
	return poll(ctx, func() (bool, error) { return tryLock(f.fd, unix.F_SETLK, &lk) })
}

type fcntlLocker struct {
	f    *FcntlFile
	held Mode
}

func (l *fcntlLocker) Lock(ctx context.Context, mode Mode) error {
	f := l.f
	if mode == Exclusive {
		if err := f.gate.Acquire(ctx, gateUnits); err != nil {
			return err
		}
		// Every in-process reader has left the gate, and the last one released
		// the kernel read lock, so the process holds no POSIX lock here.
		if err := f.kernelLock(ctx, unix.F_WRLCK); err != nil {
			f.gate.Release(gateUnits)
			return err
		}
		l.held = Exclusive
		return nil
	}
	if err := f.gate.Acquire(ctx, 1); err != nil {
		return err
	}
	select {
	case f.readerMu <- struct{}{}:
	case <-ctx.Done():
		f.gate.Release(1)
		return ctx.Err()
	}
	if f.readers == 0 {
		if err := f.kernelLock(ctx, unix.F_RDLCK); err != nil {
			<-f.readerMu
			f.gate.Release(1)
			return err
		}
	}
	f.readers++
	<-f.readerMu
	l.held = Shared
	return nil
}

func (l *fcntlLocker) Unlock() error {
	f := l.f
	if l.held == Exclusive {
		err := f.kernelLock(context.Background(), unix.F_UNLCK)
		f.gate.Release(gateUnits)
		return err
	}
	f.readerMu <- struct{}{}
	f.readers--
	var err error
	if f.readers == 0 {
		err = f.kernelLock(context.Background(), unix.F_UNLCK)
	}
	<-f.readerMu
	f.gate.Release(1)
	return err
}

func (l *fcntlLocker) Close() error { return nil }
