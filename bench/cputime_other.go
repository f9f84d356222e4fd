//go:build !unix

package bench

// processCPU reports that no process CPU clock is read on this system, so
// RunTarget leaves cpu-ns/op out.
func processCPU() (int64, bool) { return 0, false }
