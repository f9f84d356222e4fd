package redistest

import "syscall"

// sysProcAttr makes the kernel kill redis-server if the test binary dies first
// (a crashed or SIGKILLed go test), so no server outlives its test.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
