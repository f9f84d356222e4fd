//go:build !linux

package workloads

// newKernelWaker returns Go's own timer where no precise kernel timer is wired
// up: the hybrid pacer learns its lateness and spins the difference.
func newKernelWaker(clock runClock) waker { return goWaker{clock} }

// newAlarm returns nil: without a precise timer the turn is always passed.
func newAlarm(runClock) alarm { return nil }
