//go:build !unix

package semaphores

// processCPU reports that this platform's CPU time is not read.
func processCPU() (int64, bool) { return 0, false }
