//go:build !linux

package workloads

// currentCPU cannot be read on this platform.
func currentCPU() int { return -1 }
