//go:build !linux

package metrics

// RunQueueWaitNs reports that the run-queue wait cannot be read here (−1): it
// is Linux's schedstat.
func RunQueueWaitNs() int64 { return -1 }
