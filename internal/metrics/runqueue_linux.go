package metrics

import (
	"os"
	"strconv"
	"strings"
)

// RunQueueWaitNs returns how long this process's threads have spent runnable
// but waiting for a CPU, in ns: the run delay of /proc/self/task/*/schedstat
// (its second field), summed over the threads alive now; −1 when it cannot be
// read (a kernel without schedstats). A thread that exited takes its wait with
// it, so a difference of two readings can only undercount. Reading costs about
// one open and read per thread, tens of microseconds in all.
func RunQueueWaitNs() int64 {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return -1
	}
	var total int64
	read := false
	for _, t := range tasks {
		b, err := os.ReadFile("/proc/self/task/" + t.Name() + "/schedstat")
		if err != nil {
			continue // the thread exited meanwhile
		}
		if ns, ok := parseRunDelay(string(b)); ok {
			total += ns
			read = true
		}
	}
	if !read {
		return -1
	}
	return total
}

// parseRunDelay reads the run delay from a schedstat line: "on-CPU ns,
// run-queue wait ns, time slices".
func parseRunDelay(line string) (int64, bool) {
	f := strings.Fields(line)
	if len(f) < 2 {
		return 0, false
	}
	ns, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil || ns < 0 {
		return 0, false
	}
	return ns, true
}
