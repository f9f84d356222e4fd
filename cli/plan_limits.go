package cli

import (
	"bufio"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// bytesPerKey is what one key of -keys may cost at most: a filled map entry
// (sync.Map, xsync.Map: a node, a boxed key and value, the bucket share), a
// keyed limiter's state, a snapshot entry, with headroom.
const bytesPerKey = 256

// procsPerCPU bounds -procs: each process is a whole loadgen with its own
// runtime and temporary directory, and beyond a few per CPU they measure the
// scheduler, not the lock.
const procsPerCPU = 8

// maxKeys is the largest -keys that fits this machine: half of its memory
// (the smaller of the physical memory and the cgroup's limit) at bytesPerKey
// a key, and never above 2^31-1 (what a scenario file accepts). Where the
// memory cannot be read it assumes 4 GiB.
func maxKeys() int {
	mem := machineMemory()
	return int(min(mem/2/bytesPerKey, math.MaxInt32))
}

// maxProcs is the largest -procs: procsPerCPU per CPU.
func maxProcs() int { return procsPerCPU * runtime.NumCPU() }

// machineMemory returns the bytes of memory the process may use.
func machineMemory() uint64 {
	mem := uint64(4 << 30)
	if f, err := os.Open("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
				if kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64); err == nil && kb > 0 {
					mem = kb << 10
				}
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if limit, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil && limit > 0 {
			mem = min(mem, limit)
		}
	}
	return mem
}
