//go:build linux

package workloads

import (
	"os"

	"golang.org/x/sys/unix"
)

// timerfdWaker sleeps on a Linux timerfd armed for an absolute CLOCK_MONOTONIC
// instant (TFD_TIMER_ABSTIME) and read through an os.File, so the goroutine parks
// in the runtime's netpoller instead of holding a thread: the wake-up is as
// precise as the kernel's timer (tens of µs here), not rounded to the Go timer's
// millisecond, and the processor is free for the target while it sleeps.
type timerfdWaker struct {
	clock  runClock
	fd     int
	file   *os.File
	offset int64 // CLOCK_MONOTONIC − run clock, ns, rounded up
	buf    [8]byte
}

// newKernelWaker returns a timerfd waker, or a goWaker if the timer cannot be
// made (out of descriptors): slower wake-ups, never a failed run.
func newKernelWaker(clock runClock) waker {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return goWaker{clock}
	}
	// Read the run clock first: the kernel reading taken after it can only be
	// later, so the offset errs towards waking late, never early.
	r := clock.now()
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		unix.Close(fd)
		return goWaker{clock}
	}
	return &timerfdWaker{clock: clock, fd: fd, file: os.NewFile(uintptr(fd), "pacer-timerfd"), offset: ts.Nano() - r}
}

func (t *timerfdWaker) sleepUntil(deadline int64) {
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(max(deadline+t.offset, 1))}
	if err := unix.TimerfdSettime(t.fd, unix.TFD_TIMER_ABSTIME, &spec, nil); err != nil {
		goWaker{t.clock}.sleepUntil(deadline)
		return
	}
	// A read returns the expiration count once the timer has fired.
	_, _ = t.file.Read(t.buf[:])
}

func (t *timerfdWaker) close() { _ = t.file.Close() }

// newAlarm returns a timerfd the turn's watchdog waits on, or nil if none can be
// made (the turn is then always passed, never lent).
func newAlarm(clock runClock) alarm {
	if t, ok := newKernelWaker(clock).(*timerfdWaker); ok {
		return t
	}
	return nil
}

func (t *timerfdWaker) arm(deadline int64) {
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(max(deadline+t.offset, 1))}
	_ = unix.TimerfdSettime(t.fd, unix.TFD_TIMER_ABSTIME, &spec, nil)
}

func (t *timerfdWaker) disarm() {
	var zero unix.ItimerSpec
	_ = unix.TimerfdSettime(t.fd, 0, &zero, nil)
}

func (t *timerfdWaker) wait() bool {
	_, err := t.file.Read(t.buf[:])
	return err == nil
}
