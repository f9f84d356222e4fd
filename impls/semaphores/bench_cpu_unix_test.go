//go:build unix

package semaphores

import "syscall"

// processCPU returns the CPU time the process has used (user + system), in ns,
// and whether the platform reports it.
func processCPU() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return ru.Utime.Nano() + ru.Stime.Nano(), true
}
