//go:build !linux

package multiproc

import "syscall"

// childSysProcAttr returns nil outside Linux: there is no parent-death signal, so
// children of a parent killed with SIGKILL run to the end of their -duration, and
// a terminal's ^C reaches them directly as well as through the parent.
func childSysProcAttr() *syscall.SysProcAttr { return nil }
