//go:build !linux

package metrics

// ThreadCPUNs returns −1: this platform has no per-thread CPU clock wired in.
func ThreadCPUNs() int64 { return -1 }

// ThreadCPUAvailable reports whether ThreadCPUNs works on this platform.
func ThreadCPUAvailable() bool { return false }
