package cli

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/syncbench/syncbench/internal/workloads"
)

// The garbage collector's settings as a sweep dimension (-gogc, -memlimit):
// every cell runs under one GOGC and one memory limit, set for its run only
// (workloads.GC), as -cpu sets GOMAXPROCS.

// minMemoryLimit is the smallest -memlimit: below a few MiB the harness's own
// histograms fill the limit and the collector runs flat out (it caps itself at
// half the CPU), measuring the harness.
const minMemoryLimit = 4 << 20

// maxGOGC bounds -gogc: a million percent is already "off" for any run.
const maxGOGC = 1_000_000

// parseGOGCList parses -gogc: "100", "50,100,400", "off" (no collection but
// the memory limit's). Each value is a whole percent from 1 to maxGOGC.
func parseGOGCList(s string) ([]*int, error) {
	var out []*int
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if strings.EqualFold(part, "off") {
			off := -1
			out = append(out, &off)
			continue
		}
		v, err := strconv.Atoi(part)
		if err != nil || v < 1 || v > maxGOGC {
			return nil, fmt.Errorf("-gogc %q is not valid (allowed: whole percents from 1 to %d, or off, comma separated, e.g. 50,100,400)", part, maxGOGC)
		}
		out = append(out, &v)
	}
	return out, nil
}

// parseMemoryLimitList parses -memlimit: sizes ("64MiB", "1GiB", bytes) or
// "off" (math.MaxInt64, the runtime's "no limit"), comma separated.
func parseMemoryLimitList(s string) ([]int64, error) {
	var out []int64
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if strings.EqualFold(part, "off") {
			out = append(out, math.MaxInt64)
			continue
		}
		n, err := parseSize(part)
		if err != nil || n < minMemoryLimit {
			return nil, fmt.Errorf("-memlimit %q is not valid (allowed: sizes from %s, such as 64MiB or 1GiB, or off, comma separated)", part, workloads.SizeText(minMemoryLimit))
		}
		out = append(out, n)
	}
	return out, nil
}

// sizeUnits are the suffixes parseSize reads, case-insensitively.
var sizeUnits = []struct {
	suffix string
	size   int64
}{{"tib", 1 << 40}, {"gib", 1 << 30}, {"mib", 1 << 20}, {"kib", 1 << 10}, {"b", 1}}

// parseSize reads a byte count: a whole number, optionally followed by B,
// KiB, MiB, GiB or TiB ("4096", "4KiB"). It refuses fractions, negative
// numbers and overflow.
func parseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range sizeUnits {
		if rest, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(rest), u.size
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > math.MaxInt64/mult {
		return 0, fmt.Errorf("%q is not a size (allowed: bytes, or a whole number of KiB, MiB, GiB)", s)
	}
	return n * mult, nil
}

// gcCells are the GC settings the cells sweep: every -gogc value with every
// -memlimit value, or the one zero setting (the process's own) when neither
// flag is given.
func gcCells(percents []*int, limits []int64) []workloads.GC {
	if len(percents) == 0 {
		percents = []*int{nil}
	}
	if len(limits) == 0 {
		limits = []int64{0}
	}
	var out []workloads.GC
	for _, p := range percents {
		for _, l := range limits {
			out = append(out, workloads.GC{Percent: p, MemoryLimit: l})
		}
	}
	return out
}
