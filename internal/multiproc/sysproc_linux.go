package multiproc

import "syscall"

// childSysProcAttr puts a child of a multi-process run in its own process group,
// so a terminal's ^C (sent to the foreground group) reaches only the parent, which
// forwards exactly one SIGINT; and asks the kernel to SIGKILL the child when the
// parent dies, so a parent killed with SIGKILL leaves nothing running. Pdeathsig
// fires when the thread that started the child exits; Go keeps its threads for the
// life of the process unless a goroutine exits while locked to one, which the
// parent never does.
func childSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
