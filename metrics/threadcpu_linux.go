package metrics

import "golang.org/x/sys/unix"

// ThreadCPUNs returns the calling OS thread's CPU time in ns, or −1 when it
// cannot be read. Meaningful only between runtime.LockOSThread and
// UnlockOSThread: otherwise the goroutine may move to another thread.
func ThreadCPUNs() int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return -1
	}
	return ts.Nano()
}

// ThreadCPUAvailable reports whether ThreadCPUNs works on this platform.
func ThreadCPUAvailable() bool { return ThreadCPUNs() >= 0 }
