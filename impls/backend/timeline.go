package backend

import (
	"math"
	"time"
)

// Timeline accumulates step functions of time (a limit, a capacity, a breaker's
// state) into bins of one width over the measured window, for a report's plot:
// each bin holds the time-weighted mean of every series over it and, for the
// series that ask, its least and greatest value. Memory stays flat however long
// the run: past MaxBins bins, neighbouring bins merge and the width doubles.
// Not safe for concurrent use; the families hold their own lock around it.
type Timeline struct {
	width   time.Duration
	series  []timelineSeries
	covered []time.Duration // per bin: how much of it has values
}

type timelineSeries struct {
	name       string
	extremes   bool
	counter    bool      // sum holds event counts, not ∫ v dt
	sum        []float64 // ∫ v dt per bin, value·ns
	minV, maxV []float64
}

// MaxBins is the most bins a Timeline keeps.
const MaxBins = 2048

// TimelineBin is the default bin width: fine enough to show a limit's reaction
// to a step within a few round trips of a 10 ms backend.
const TimelineBin = 50 * time.Millisecond

// NewTimeline returns a timeline of bins of width (TimelineBin when ≤ 0). Series
// named with a trailing "+" also keep their least and greatest value per bin;
// series named with a trailing "#" count events (Count) instead of holding
// values (the suffix is not part of the name).
func NewTimeline(width time.Duration, series ...string) *Timeline {
	if width <= 0 {
		width = TimelineBin
	}
	tl := &Timeline{width: width}
	for _, name := range series {
		s := timelineSeries{name: name}
		if n := len(name); n > 0 && name[n-1] == '+' {
			s.name, s.extremes = name[:n-1], true
		} else if n > 0 && name[n-1] == '#' {
			s.name, s.counter = name[:n-1], true
		}
		tl.series = append(tl.series, s)
	}
	return tl
}

// Add records that over [from, to) (offsets from the window's opening) the
// value series held values, in the order NewTimeline named them (counters take
// no value). Negative offsets are dropped: they are before the window.
func (tl *Timeline) Add(from, to time.Duration, values ...float64) {
	from = max(from, 0)
	for from < to {
		bin := int(from / tl.width)
		for bin >= MaxBins {
			tl.coarsen()
			bin = int(from / tl.width)
		}
		tl.grow(bin + 1)
		end := min(to, time.Duration(bin+1)*tl.width)
		d := end - from
		tl.covered[bin] += d
		v := 0
		for i := range tl.series {
			s := &tl.series[i]
			if s.counter {
				continue
			}
			s.sum[bin] += values[v] * float64(d)
			if s.extremes {
				s.minV[bin] = math.Min(s.minV[bin], values[v])
				s.maxV[bin] = math.Max(s.maxV[bin], values[v])
			}
			v++
		}
		from = end
	}
}

// Count adds one event at offset to counter series i (negative offsets are
// before the window and dropped).
func (tl *Timeline) Count(i int, at time.Duration) {
	if at < 0 {
		return
	}
	for int(at/tl.width) >= MaxBins {
		tl.coarsen()
	}
	bin := int(at / tl.width)
	tl.grow(bin + 1)
	tl.series[i].sum[bin]++
}

// Sum returns counter series i's events in bins [from, to).
func (tl *Timeline) Sum(i, from, to int) float64 {
	var n float64
	for b := max(from, 0); b < min(to, len(tl.covered)); b++ {
		n += tl.series[i].sum[b]
	}
	return n
}

// Bin returns the index of the bin holding offset.
func (tl *Timeline) Bin(offset time.Duration) int { return int(offset / tl.width) }

func (tl *Timeline) grow(n int) {
	for len(tl.covered) < n {
		tl.covered = append(tl.covered, 0)
		for i := range tl.series {
			s := &tl.series[i]
			s.sum = append(s.sum, 0)
			if s.extremes {
				s.minV = append(s.minV, math.Inf(1))
				s.maxV = append(s.maxV, math.Inf(-1))
			}
		}
	}
}

// coarsen merges neighbouring bins, doubling the width.
func (tl *Timeline) coarsen() {
	half := (len(tl.covered) + 1) / 2
	merge := func(v []float64, f func(a, b float64) float64) []float64 {
		out := make([]float64, half)
		for i := range out {
			out[i] = v[2*i]
			if 2*i+1 < len(v) {
				out[i] = f(out[i], v[2*i+1])
			}
		}
		return out
	}
	add := func(a, b float64) float64 { return a + b }
	cov := make([]time.Duration, half)
	for i := range cov {
		cov[i] = tl.covered[2*i]
		if 2*i+1 < len(tl.covered) {
			cov[i] += tl.covered[2*i+1]
		}
	}
	tl.covered = cov
	for i := range tl.series {
		s := &tl.series[i]
		s.sum = merge(s.sum, add)
		if s.extremes {
			s.minV, s.maxV = merge(s.minV, math.Min), merge(s.maxV, math.Max)
		}
	}
	tl.width *= 2
}

// Width returns the bins' width.
func (tl *Timeline) Width() time.Duration { return tl.width }

// Mean returns series i's time-weighted mean over bins [from, to) (bin
// indices), and false when none of them has a value.
func (tl *Timeline) Mean(i, from, to int) (float64, bool) {
	var sum float64
	var cov time.Duration
	for b := max(from, 0); b < min(to, len(tl.covered)); b++ {
		sum += tl.series[i].sum[b]
		cov += tl.covered[b]
	}
	if cov == 0 {
		return 0, false
	}
	return sum / float64(cov), true
}

// Export returns the timeline as a result extras entry: "bin_ns" and, per
// series, its per-bin means (and NAME_min, NAME_max), rounded to 3 decimals, or
// its per-bin counts; a bin without values holds -1.
func (tl *Timeline) Export() map[string]any {
	out := map[string]any{"bin_ns": float64(tl.width)}
	round := func(v float64) float64 { return math.Round(v*1000) / 1000 }
	for _, s := range tl.series {
		if s.counter {
			out[s.name] = append([]float64(nil), s.sum...)
			continue
		}
		means := make([]float64, len(tl.covered))
		var mins, maxs []float64
		if s.extremes {
			mins, maxs = make([]float64, len(tl.covered)), make([]float64, len(tl.covered))
		}
		for b, cov := range tl.covered {
			means[b] = -1
			if cov > 0 {
				means[b] = round(s.sum[b] / float64(cov))
				if s.extremes {
					mins[b], maxs[b] = round(s.minV[b]), round(s.maxV[b])
				}
			} else if s.extremes {
				mins[b], maxs[b] = -1, -1
			}
		}
		out[s.name] = means
		if s.extremes {
			out[s.name+"_min"], out[s.name+"_max"] = mins, maxs
		}
	}
	return out
}
