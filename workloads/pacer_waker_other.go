//go:build !linux

package workloads

// newKernelWaker returns Go's own timer where no precise kernel timer is wired
// up: the hybrid pacer learns its lateness and spins the difference.
func newKernelWaker(clock runClock) waker { return goWaker{clock} }
