//go:build !linux

package redistest

import "syscall"

// sysProcAttr has no parent-death signal outside Linux; the test cleanup is the
// only thing that stops the server there.
func sysProcAttr() *syscall.SysProcAttr { return nil }
