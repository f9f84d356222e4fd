package metrics

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// ThreadCPUNs returns the calling OS thread's CPU time in ns, or −1 when it
// cannot be read. Meaningful only between runtime.LockOSThread and
// UnlockOSThread: otherwise the goroutine may move to another thread.
//
// The clock is read with a raw system call: CLOCK_THREAD_CPUTIME_ID is not in
// the vDSO, and an ordinary syscall's entry into the runtime wakes its monitor
// thread (sysmon) when the process was idle, which then polls every 20 µs for a
// while: at 1000 ops/s, the open loop's CPU sample cost the harness ~0.015
// cores that way. The call cannot block, so it need not tell the scheduler.
func ThreadCPUNs() int64 {
	var ts unix.Timespec
	_, _, e := unix.RawSyscall(unix.SYS_CLOCK_GETTIME, unix.CLOCK_THREAD_CPUTIME_ID, uintptr(unsafe.Pointer(&ts)), 0)
	if e != 0 {
		return -1
	}
	return ts.Nano()
}

// ThreadCPUAvailable reports whether ThreadCPUNs works on this platform.
func ThreadCPUAvailable() bool { return ThreadCPUNs() >= 0 }
