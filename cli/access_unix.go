//go:build unix

package cli

import "golang.org/x/sys/unix"

// accessWrite reports whether this process may open path for writing, asking
// the kernel (access(2)) rather than opening it: opening a FIFO, or a file
// with O_TRUNC, would already change what is there.
func accessWrite(path string) error {
	return unix.Access(path, unix.W_OK)
}
