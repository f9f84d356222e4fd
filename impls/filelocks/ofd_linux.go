package filelocks

import (
	"context"
	"errors"
	"fmt"
	"io"

	"golang.org/x/sys/unix"
)

// ofdLocker holds one open file description of the lock file; OFD locks belong to
// it, so two ofdLockers exclude each other even inside one process.
type ofdLocker struct{ fd int }

// OpenOFD opens path (creating it if missing) for Linux open-file-description
// locks. Each goroutine needs its own Locker.
func OpenOFD(path string) (Locker, error) {
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_CREAT|unix.O_CLOEXEC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("ofd: open %s: %w", path, err)
	}
	return &ofdLocker{fd: fd}, nil
}

func (l *ofdLocker) Lock(ctx context.Context, mode Mode) error {
	lk := wholeFile(lockType(mode))
	if ctx.Done() == nil {
		return retryEINTR(func() error { return unix.FcntlFlock(uintptr(l.fd), unix.F_OFD_SETLKW, &lk) })
	}
	return poll(ctx, func() (bool, error) {
		return tryLock(l.fd, unix.F_OFD_SETLK, &lk)
	})
}

func (l *ofdLocker) Unlock() error {
	lk := wholeFile(unix.F_UNLCK)
	return unix.FcntlFlock(uintptr(l.fd), unix.F_OFD_SETLK, &lk)
}

func (l *ofdLocker) Close() error { return unix.Close(l.fd) }

// lockType maps a Mode to the fcntl lock type.
func lockType(mode Mode) int16 {
	if mode == Shared {
		return unix.F_RDLCK
	}
	return unix.F_WRLCK
}

// wholeFile describes a lock of type typ over the whole file (Len 0 means "to the
// end, however long"). Pid must stay 0 for OFD commands.
func wholeFile(typ int16) unix.Flock_t {
	return unix.Flock_t{Type: typ, Whence: io.SeekStart}
}

// tryLock makes one non-blocking lock attempt with cmd (F_SETLK or F_OFD_SETLK):
// false, nil when another holder has a conflicting lock.
func tryLock(fd int, cmd int, lk *unix.Flock_t) (bool, error) {
	err := unix.FcntlFlock(uintptr(fd), cmd, lk)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, unix.EAGAIN), errors.Is(err, unix.EACCES), errors.Is(err, unix.EINTR):
		return false, nil
	default:
		return false, err
	}
}

// retryEINTR repeats a blocking lock call interrupted by a signal.
func retryEINTR(call func() error) error {
	for {
		if err := call(); !errors.Is(err, unix.EINTR) {
			return err
		}
	}
}
