package reports

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// Two kinds of split a cell's per-process figures can show, beside the
// bimodal one (bimodal.go):
//
//   - machine modes: the processes measured different machine modes at their
//     start (Environment.Machine, a cache line's round trip between two
//     threads). Processes whose round trips differ by MachineModeRatio or
//     more ran on a machine in another state (two hyper-threads of one core
//     against two cores, say), so their figures are not repetitions of one
//     measurement and are shown per mode, not pooled;
//   - one fork far from the rest: the gap between the most extreme value and
//     its neighbour is more than BimodalGapRatio times the range of all the
//     others and at least BimodalMinGap of the median. Bimodal needs two runs
//     on each side; this is the one-sided case it leaves out, flagged rather
//     than dropped.

// MachineModeRatio is the least factor between two groups of processes'
// cache-line round trips that counts as two machine modes. The probe's own
// spread within one mode is about ±10% (55–64 ns in five probes a minute
// apart here); the modes seen on this host differ about threefold.
const MachineModeRatio = 1.5

// modeSplit is a group of processes split by machine mode: the keys of the
// processes in the fast mode (short round trip) and the slow one, with each
// mode's median round trip.
type modeSplit struct {
	fast, slow     []string
	fastNs, slowNs float64
}

// splitModes splits processes by their round trips (key → ns; keys without
// a measurement are left out) at the largest ratio between neighbouring
// sorted values, when it is MachineModeRatio or more.
func splitModes(roundTrips map[string]float64) (modeSplit, bool) {
	type kv struct {
		key string
		ns  float64
	}
	var v []kv
	for k, ns := range roundTrips {
		if ns > 0 {
			v = append(v, kv{k, ns})
		}
	}
	if len(v) < 2 {
		return modeSplit{}, false
	}
	sort.Slice(v, func(i, j int) bool { return v[i].ns < v[j].ns || (v[i].ns == v[j].ns && v[i].key < v[j].key) })
	cut, ratio := -1, 0.0
	for i := 0; i+1 < len(v); i++ {
		if r := v[i+1].ns / v[i].ns; r > ratio {
			cut, ratio = i, r
		}
	}
	if ratio < MachineModeRatio {
		return modeSplit{}, false
	}
	var s modeSplit
	var fastNs, slowNs []float64
	for i, e := range v {
		if i <= cut {
			s.fast = append(s.fast, e.key)
			fastNs = append(fastNs, e.ns)
		} else {
			s.slow = append(s.slow, e.key)
			slowNs = append(slowNs, e.ns)
		}
	}
	s.fastNs, s.slowNs = SpreadOf(fastNs).Median, SpreadOf(slowNs).Median
	return s, true
}

// roundTrips returns the machine mode each process of cells measured: its
// cache-line round trip by process key.
func roundTrips(cells []*Cell) map[string]float64 {
	out := map[string]float64{}
	for _, c := range cells {
		for _, r := range c.Runs {
			if m := r.Env.Machine; m != nil && m.CacheLineRoundTripNs > 0 {
				out[processKey(r)] = m.CacheLineRoundTripNs
			}
		}
	}
	return out
}

// cellModes is the machine-mode split of c's own processes.
func cellModes(c *Cell) (modeSplit, bool) { return splitModes(roundTrips([]*Cell{c})) }

// forkNames lists the forks of c among keys, "forks 1, 2" (or "2 runs" when
// the results record no fork numbers).
func forkNames(cells []*Cell, keys []string) string {
	in := map[string]bool{}
	for _, k := range keys {
		in[k] = true
	}
	seen := map[int]bool{}
	var forks []int
	for _, c := range cells {
		for _, r := range c.Runs {
			if in[processKey(r)] && r.Fork > 0 && !seen[r.Fork] {
				seen[r.Fork] = true
				forks = append(forks, r.Fork)
			}
		}
	}
	if len(forks) == 0 {
		return fmt.Sprintf("%d %s", len(keys), plural(len(keys), "run", "runs"))
	}
	slices.Sort(forks)
	names := make([]string, len(forks))
	for i, f := range forks {
		names[i] = fmt.Sprint(f)
	}
	return plural(len(forks), "fork ", "forks ") + strings.Join(names, ", ")
}

// byMode is f of c in each machine mode: the median over the mode's
// processes.
func byMode(c *Cell, s modeSplit, f func(*result.Result) float64) (fast, slow Figure) {
	pick := func(keys []string) Figure {
		in := map[string]bool{}
		for _, k := range keys {
			in[k] = true
		}
		sub := &Cell{Impl: c.Impl, Family: c.Family, Workload: c.Workload, Params: c.Params}
		for _, r := range c.Runs {
			if in[processKey(r)] {
				sub.Runs = append(sub.Runs, r)
			}
		}
		return sub.Figure(f)
	}
	return pick(s.fast), pick(s.slow)
}

// modesNote describes a cell's figure f in each machine mode, e.g. "machine
// modes: 90.1M in 2 forks at a 58ns round trip, 48.2M in 4 at 150ns"; "" when
// its processes ran in one mode.
func modesNote(c *Cell, f func(*result.Result) float64, format func(float64) string) string {
	s, ok := cellModes(c)
	if !ok {
		return ""
	}
	fast, slow := byMode(c, s, f)
	return fmt.Sprintf("machine modes: %s in %d %s at a %s cache-line round trip, %s in %d at %s",
		format(fast.Median), fast.N, fast.noun(), formatNs(s.fastNs), format(slow.Median), slow.N, formatNs(s.slowNs))
}

// modesMark flags a cell whose processes ran under different machine modes.
var modesMark = Mark{"⚠M", "machine modes: the forks measured different machine modes at their start (a cache line's round trip between two threads differed by 1.5× or more), so their figures are not repetitions of one measurement; the notes give each mode's figure."}

// Outlier is one value of a set far from all the others: Value, at the high
// or low end, against the others' range [RestMin, RestMax].
type Outlier struct {
	Value, RestMin, RestMax float64
	High                    bool
}

// OutlierOf applies the one-sided rule above to values (NaNs ignored) and
// reports the outlier when it holds. It needs BimodalMinRuns values, and a
// set that BimodalOf calls bimodal has no outlier.
func OutlierOf(values []float64) (Outlier, bool) {
	v := make([]float64, 0, len(values))
	for _, x := range values {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	n := len(v)
	if n < BimodalMinRuns {
		return Outlier{}, false
	}
	if _, bi := BimodalOf(v); bi {
		return Outlier{}, false
	}
	sort.Float64s(v)
	median := SpreadOf(v).Median
	low, high := v[1]-v[0], v[n-1]-v[n-2]
	o := Outlier{Value: v[0], RestMin: v[1], RestMax: v[n-1]}
	gap := low
	if high > low {
		o = Outlier{Value: v[n-1], RestMin: v[0], RestMax: v[n-2], High: true}
		gap = high
	}
	if gap <= BimodalGapRatio*(o.RestMax-o.RestMin) || gap < BimodalMinGap*math.Abs(median) {
		return Outlier{}, false
	}
	return o, true
}

// Note says what the outlier is: "one fork far from the rest: 88.0M against
// 36.0M–41.0M", each figure printed by format.
func (o Outlier) Note(noun string, format func(float64) string) string {
	return fmt.Sprintf("one %s far from the rest: %s against %s–%s", noun, format(o.Value), format(o.RestMin), format(o.RestMax))
}

// splitNote names the split of c's per-process throughput, if any: its two
// modes when bimodal, its lone fork when one is far from the rest; "" when
// neither, or when the forks ran under two machine modes, which the modes
// note already explains.
func splitNote(c *Cell) string {
	if _, ok := cellModes(c); ok {
		return ""
	}
	f := c.Figure(achieved)
	vals := perUnit(c, achieved)
	rate := func(v float64) string { return units.Rate(v) + " ops/s" }
	if b, ok := BimodalOf(vals); ok {
		return fmt.Sprintf("bimodal across %s: %d at %s, %d at %s", f.noun(), b.LowN, rate(b.Low), b.HighN, rate(b.High))
	}
	if o, ok := OutlierOf(vals); ok {
		return o.Note(strings.TrimSuffix(f.noun(), "s"), rate)
	}
	return ""
}

// perUnit is f of each of c's processes (the median of its runs), or of each
// run when one process ran them all.
func perUnit(c *Cell, f func(*result.Result) float64) []float64 {
	us := c.units()
	if len(us) == 1 {
		return c.Metric(f)
	}
	v := make([]float64, len(us))
	for i, u := range us {
		v[i] = u.value(f)
	}
	return v
}
