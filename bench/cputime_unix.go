//go:build unix

package bench

import "golang.org/x/sys/unix"

// processCPU returns the CPU time all threads of this process have used so far,
// in nanoseconds (CLOCK_PROCESS_CPUTIME_ID), and whether the clock exists here.
func processCPU() (int64, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts); err != nil {
		return 0, false
	}
	return ts.Nano(), true
}
