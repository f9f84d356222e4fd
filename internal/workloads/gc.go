package workloads

import (
	"math"
	"runtime/debug"
	"strconv"
)

// GC is the garbage collector's settings one run applies: from before its
// target is built until after it is closed, restored afterwards. The
// collector's pace decides what an allocation costs (and how often a
// sync.Pool is emptied), so the pools family sweeps it like -cpu. The zero
// value leaves the process's settings alone.
type GC struct {
	// Percent, when set, is GOGC for the run (debug.SetGCPercent): a percent
	// of the live heap the heap may grow by before a collection, or -1 for
	// no collection but the memory limit's.
	Percent *int
	// MemoryLimit, when positive, is the soft memory limit in bytes for the
	// run (debug.SetMemoryLimit); math.MaxInt64 is no limit ("off"), which
	// a sweep compares against limits.
	MemoryLimit int64
}

// apply sets g and returns the function that restores what it changed.
func (g GC) apply() (restore func()) {
	percent, limit := 0, int64(0)
	if g.Percent != nil {
		percent = debug.SetGCPercent(*g.Percent)
	}
	if g.MemoryLimit > 0 {
		limit = debug.SetMemoryLimit(g.MemoryLimit)
	}
	return func() {
		if g.Percent != nil {
			debug.SetGCPercent(percent)
		}
		if g.MemoryLimit > 0 {
			debug.SetMemoryLimit(limit)
		}
	}
}

// PercentText is how a result records Percent: "50", "off" for -1, "" when
// unset.
func (g GC) PercentText() string {
	switch {
	case g.Percent == nil:
		return ""
	case *g.Percent < 0:
		return "off"
	}
	return strconv.Itoa(*g.Percent)
}

// MemoryLimitText is how a result records MemoryLimit: "64MiB" (the largest
// binary unit that divides it), "off" for no limit, "" when unset.
func (g GC) MemoryLimitText() string {
	switch {
	case g.MemoryLimit <= 0:
		return ""
	case g.MemoryLimit == math.MaxInt64:
		return "off"
	}
	return SizeText(g.MemoryLimit)
}

// SizeText spells a byte count with the largest binary unit that divides it
// exactly ("4KiB", "64MiB", "1000B"), as -size and -memlimit read it.
func SizeText(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n != 0 && n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}
