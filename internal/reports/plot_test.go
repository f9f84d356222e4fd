package reports

import (
	"math"
	"testing"

	"github.com/syncbench/syncbench/result"
	"gonum.org/v1/plot/plotter"
)

// degenerate returns results that have historically made plotting libraries
// panic: zero ops, zero latencies, one interval, no series, NaN rates.
func degenerate(t *testing.T) map[string][]*result.Result {
	empty := makeResult(t, fixture{impl: "noops", conc: 1, ops: 0, baseNs: 100})
	empty.Series = nil
	zeroSeries := makeResult(t, fixture{impl: "zeros", conc: 1, ops: 10, intervals: 3, baseNs: 100})
	for i := range zeroSeries.Series {
		zeroSeries.Series[i] = result.Interval{OffsetNs: int64(i) * 1e9, DurationNs: 1e9}
	}
	one := makeResult(t, fixture{impl: "single", conc: 1, ops: 1, intervals: 1, baseNs: 1})
	nan := makeResult(t, fixture{impl: "nan", conc: 1, ops: 10, intervals: 2, baseNs: 100})
	nan.Rates.Achieved = math.NaN()
	nan.Series[0].Achieved = math.Inf(1)
	lim := makeResult(t, fixture{impl: "lim", family: "limiters", conc: 1, ops: 0, intervals: 2, baseNs: 100, limit: "0"})
	return map[string][]*result.Result{
		"a run with no ops and no series":        {empty},
		"a series of all-zero intervals":         {zeroSeries},
		"a single op in a single interval":       {one},
		"NaN and infinite rates":                 {nan},
		"a limiter with a zero limit and no ops": {lim},
		"all of them side by side":               {empty, zeroSeries, one, nan},
	}
}

func TestPlotsNeverPanicOnDegenerateInput(t *testing.T) {
	t.Parallel()
	for name, results := range degenerate(t) {
		t.Run(name, func(t *testing.T) {
			cells := GroupCells(results)
			var figs []figure
			for _, g := range groupByConfig(cells) {
				figs = append(figs, spectrumFigure("s", g), serviceSpectrumFigure("v", g), throughputBarsFigure("b", g), limiterFigure("l", g))
			}
			figs = append(figs, scalingFigure("c", "locks", "concurrency", cells))
			figs = append(figs, timelinesFigure("t", "locks", cells, true))
			for _, f := range figs {
				// SVG only: the panics come from plot layout, not the
				// backend, and rasterising PNG under -race is slow.
				if _, err := renderFigure(f, []string{"svg"}); err != nil {
					t.Errorf("%s: %v", f.title, err)
				}
			}
		})
	}
}

func TestWriteReportSucceedsOnDegenerateInput(t *testing.T) {
	t.Parallel()
	for name, results := range degenerate(t) {
		t.Run(name, func(t *testing.T) {
			if err := WriteReport(t.TempDir(), results, ReportOptions{Formats: []string{"svg"}}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestDownsampleKeepsPeaksAndBoundsLength(t *testing.T) {
	t.Parallel()
	pts := make(plotter.XYs, 10000)
	for i := range pts {
		pts[i] = plotter.XY{X: float64(i), Y: 1}
	}
	pts[4321].Y = 99
	got := downsample(pts, MaxSeriesPoints, maxOf)
	if len(got) != MaxSeriesPoints {
		t.Fatalf("downsampled to %d points, want %d", len(got), MaxSeriesPoints)
	}
	peak := 0.0
	for _, p := range got {
		peak = math.Max(peak, p.Y)
	}
	if peak != 99 {
		t.Errorf("peak after downsampling = %v, want 99: a spike must stay visible", peak)
	}
	if short := downsample(pts[:10], MaxSeriesPoints, maxOf); len(short) != 10 {
		t.Errorf("a short series was resampled to %d points", len(short))
	}
}

func TestSpectrumPointsAreMonotoneAndStopAtTheResolutionOfTheSample(t *testing.T) {
	t.Parallel()
	r := makeResult(t, fixture{impl: "m", conc: 1, ops: 1000, baseNs: 1000})
	h, err := result.DecodeHistogram(r.Histogram.Response)
	if err != nil {
		t.Fatal(err)
	}
	pts := spectrumPoints(h)
	if last := pts[len(pts)-1].X; last > 3+1e-9 {
		t.Errorf("1000 ops plotted up to x=%v, beyond 99.9%% (x=3)", last)
	}
	for i := 1; i < len(pts); i++ {
		if pts[i].Y < pts[i-1].Y {
			t.Fatalf("spectrum decreases at x=%v", pts[i].X)
		}
	}
}
