package reports

import (
	"fmt"
	"math"
	"sort"
)

// Bimodality rule. Repetitions of one cell sometimes settle in one of two
// states (rwmutex on 2 cores: readers overlapping or not), and a median of
// such runs describes neither. The test is a gap test on the sorted values: a
// cell is bimodal when
//   - it has at least BimodalMinRuns repetitions,
//   - the largest gap between neighbouring sorted values splits them into two
//     clusters of at least two runs each,
//   - that gap is more than BimodalGapRatio times the wider cluster's own
//     range (max − min), so the clusters are tight compared with the distance
//     between them, and
//   - the gap is at least BimodalMinGap of the overall median, so two tight
//     clusters a few percent apart (ordinary drift on a shared machine) are not
//     called two modes.
//
// The rule is deliberately simple and conservative: it misses a bimodal cell
// whose clusters are loose or one of which holds a single run (four runs cannot
// tell that from an outlier), and it calls noisy unimodal runs bimodal only
// when their values happen to fall in two tight groups far apart.
const (
	// BimodalMinRuns is the fewest repetitions the test is applied to (-count).
	BimodalMinRuns = 4
	// BimodalGapRatio is how many times the wider cluster's range the gap must exceed.
	BimodalGapRatio = 3.0
	// BimodalMinGap is the least gap, as a fraction of the median of all runs.
	BimodalMinGap = 0.10
)

// Bimodal describes repetitions whose values fall in two clusters: LowN runs
// around Low (the cluster's median) and HighN around High.
type Bimodal struct {
	LowN, HighN int
	Low, High   float64
}

// BimodalOf applies the rule above to values (NaNs ignored; values is not
// modified) and reports the two clusters when it holds.
func BimodalOf(values []float64) (Bimodal, bool) {
	v := make([]float64, 0, len(values))
	for _, x := range values {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	n := len(v)
	if n < BimodalMinRuns {
		return Bimodal{}, false
	}
	sort.Float64s(v)
	// The largest gap with at least two runs on each side.
	cut, gap := -1, 0.0
	for i := 1; i+1 < n-1; i++ { // the gap between v[i] and v[i+1]
		if g := v[i+1] - v[i]; g > gap {
			cut, gap = i, g
		}
	}
	if cut < 0 {
		return Bimodal{}, false
	}
	low, high := v[:cut+1], v[cut+1:]
	width := max(low[len(low)-1]-low[0], high[len(high)-1]-high[0])
	median := SpreadOf(v).Median
	if gap <= BimodalGapRatio*width || gap < BimodalMinGap*math.Abs(median) {
		return Bimodal{}, false
	}
	return Bimodal{LowN: len(low), HighN: len(high), Low: SpreadOf(low).Median, High: SpreadOf(high).Median}, true
}

// Note says what the clusters are, e.g. "bimodal: 2 runs at 1.20M, 3 at
// 2.40M", each figure printed by format.
func (b Bimodal) Note(format func(float64) string) string {
	return fmt.Sprintf("bimodal: %d runs at %s, %d at %s", b.LowN, format(b.Low), b.HighN, format(b.High))
}

// CellBimodal applies the rule to the achieved throughput of c's processes
// (each the median of its runs), or of its runs when one process ran them
// all; a cell whose processes ran under two machine modes is shown per mode
// instead.
func CellBimodal(c *Cell) (Bimodal, bool) {
	if _, ok := cellModes(c); ok {
		return Bimodal{}, false // the machine's modes explain it (modes.go)
	}
	return BimodalOf(perUnit(c, achieved))
}

// BimodalNote is the note a cell whose per-fork throughput splits carries:
// its two modes when bimodal ("bimodal across forks: 2 at 1.20M ops/s, 4 at
// 2.40M ops/s"), its lone fork when one is far from the rest (OutlierOf);
// "" otherwise.
func BimodalNote(c *Cell) string { return splitNote(c) }

// BimodalMark flags a bimodal cell in the medians tables (report and terminal).
const BimodalMark = "⚠B"

// OutlierMark flags, in the same tables, a cell with one fork far from the
// rest.
const OutlierMark = "⚠O"

// bimodalMeaning is the legend line of the bimodal mark.
const bimodalMeaning = "bimodal: the forks' throughput falls in two clusters (largest gap between sorted forks > 3× either cluster's range and ≥ 10% of the median), so the median describes neither; the note gives both."

// outlierMeaning is the legend line of the outlier mark.
const outlierMeaning = "one fork far from the rest: the gap between the most extreme fork and its neighbour is > 3× the others' range and ≥ 10% of the median, a mode one fork fell into; the note gives it."

// cellOutlier reports whether c's per-fork throughput has one fork far from
// the rest.
func cellOutlier(c *Cell) bool {
	if _, ok := cellModes(c); ok {
		return false
	}
	_, ok := OutlierOf(perUnit(c, achieved))
	return ok
}
