package reports

import (
	"image/color"
	"math"

	"github.com/syncbench/syncbench/result"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// measuredSeries is run's series within its measured window: the driver may
// append a partial interval for ops finishing after the end, whose near-zero
// rates would read as a collapse at the end of every timeline.
func measuredSeries(run *result.Result) []result.Interval {
	out := make([]result.Interval, 0, len(run.Series))
	for _, iv := range run.Series {
		if run.DurationNs > 0 && iv.OffsetNs >= run.DurationNs {
			continue
		}
		out = append(out, iv)
	}
	return out
}

// seriesXY extracts one field of a series as points at each interval's midpoint,
// in seconds from the start of the measured run, downsampled with agg.
func seriesXY(series []result.Interval, field func(result.Interval) float64, agg func([]float64) float64) plotter.XYs {
	pts := make(plotter.XYs, 0, len(series))
	for _, iv := range series {
		x := float64(iv.OffsetNs+iv.DurationNs/2) / 1e9
		pts = append(pts, plotter.XY{X: x, Y: field(iv)})
	}
	return downsample(pts, MaxSeriesPoints, agg)
}

// smallMultiplesCols is the number of tile columns for n small multiples: up
// to three side by side, four when there are more than nine.
func smallMultiplesCols(n int) int {
	switch {
	case n <= 3:
		return max(n, 1)
	case n <= 9:
		return 3
	}
	return 4
}

// tileTitle is a small multiple's heading: the implementation, and the
// configuration when the figure holds more than one.
func tileTitle(c *Cell, withConfig bool) string {
	if withConfig {
		return c.Impl + " — " + configLabel("", c.Params)
	}
	return c.Impl
}

// newTile returns a small-multiple plot: small title and tick labels.
func newTile(title, xLabel, yLabel string) *plot.Plot {
	p := newPlot(title, xLabel, yLabel)
	p.Title.TextStyle.Font.Size = vg.Points(10)
	p.Title.Padding = vg.Points(3)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = vg.Points(9)
		a.Tick.Label.Font.Size = vg.Points(8)
	}
	return p
}

// timelinesFigure draws, for every cell of a family (up to limit), the median
// run's latency percentiles over time above its offered and achieved rates, as
// small multiples: one tile per cell, all tiles on the same axes so a stall in
// one implementation stands out against the others.
func timelinesFigure(name, family string, cells []*Cell, withConfig bool) figure {
	title := "Over time — " + family + ": response p50/p99/max above offered/achieved rate, median run of each cell"
	cols := smallMultiplesCols(len(cells))
	rowsOfTiles := (len(cells) + cols - 1) / cols
	w := vg.Length(2.75*float64(cols)+1.2) * vg.Inch
	h := vg.Length(2.9*float64(rowsOfTiles)+0.7) * vg.Inch
	return figure{name: name, title: title, w: w, h: h, build: func() (drawable, error) {
		rows := make([][]*plot.Plot, 2*rowsOfTiles)
		for j := range rows {
			rows[j] = make([]*plot.Plot, cols)
		}
		var lat, rate []*plot.Plot
		fields := []struct {
			name string
			f    func(result.Interval) float64
		}{
			{"p50", func(iv result.Interval) float64 { return float64(iv.ResponseP50) }},
			{"p99", func(iv result.Interval) float64 { return float64(iv.ResponseP99) }},
			{"max", func(iv result.Interval) float64 { return float64(iv.ResponseMax) }},
		}
		// A fault (a Redis master killed mid-run) shows as errors per second in
		// the rate panel; drawn only when some run had errors, in every tile then,
		// so the legend (the first tile's) names the line.
		anyErrors := false
		for _, c := range cells {
			for _, iv := range c.MedianRun().Series {
				anyErrors = anyErrors || iv.Error > 0
			}
		}
		for k, c := range cells {
			run := c.MedianRun()
			series := measuredSeries(run)
			col, row := k%cols, k/cols
			yLat, yRate, xLabel := "", "", ""
			if col == 0 {
				yLat, yRate = "response", "ops/s"
			}
			if row == rowsOfTiles-1 || k+cols >= len(cells) {
				xLabel = "time (s)"
			}
			lp := newTile(tileTitle(c, withConfig), "", yLat)
			logNsAxis(&lp.Y)
			lp.Y.Tick.Marker = durationTicks{maxLabels: 4}
			for i, fl := range fields {
				if err := addLine(lp, i, fl.name, positiveXYs(seriesXY(series, fl.f, maxOf), false)); err != nil {
					return nil, err
				}
			}
			rp := newTile("", xLabel, yRate)
			rp.Y.Tick.Marker = siTicks{}
			offered := seriesXY(series, func(iv result.Interval) float64 { return iv.Offered }, meanOf)
			achievedPts := seriesXY(series, func(iv result.Interval) float64 { return iv.Achieved }, meanOf)
			if err := addLine(rp, 3, "offered", finiteXYs(offered)); err != nil {
				return nil, err
			}
			if err := addLine(rp, 4, "achieved", finiteXYs(achievedPts)); err != nil {
				return nil, err
			}
			if anyErrors {
				errorRate := func(iv result.Interval) float64 { return float64(iv.Error) / (float64(iv.DurationNs) / 1e9) }
				if err := addLine(rp, 5, "errors", finiteXYs(seriesXY(series, errorRate, meanOf))); err != nil {
					return nil, err
				}
			}
			if k > 0 { // one legend for the figure: the first tile's
				lp.Legend, rp.Legend = emptyLegend(lp.Legend), emptyLegend(rp.Legend)
			}
			rows[2*row][col], rows[2*row+1][col] = lp, rp
			lat, rate = append(lat, lp), append(rate, rp)
		}
		shareY(lat, false)
		shareY(rate, true)
		alignX(append(lat, rate...)...)
		return grid{rows: rows, title: title}, nil
	}}
}

// emptyLegend returns a legend with l's style and no entries.
func emptyLegend(l plot.Legend) plot.Legend {
	e := plot.NewLegend()
	e.TextStyle, e.ThumbnailWidth, e.Top, e.Left = l.TextStyle, l.ThumbnailWidth, l.Top, l.Left
	return e
}

// shareY gives every plot the union of their y ranges, so small multiples compare
// at a glance; fromZero starts a linear axis at 0. A log axis gets a little room
// above and below the data, a linear one above it.
func shareY(ps []*plot.Plot, fromZero bool) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range ps {
		if !math.IsInf(p.Y.Min, 0) && !math.IsNaN(p.Y.Min) {
			lo = math.Min(lo, p.Y.Min)
		}
		if !math.IsInf(p.Y.Max, 0) && !math.IsNaN(p.Y.Max) {
			hi = math.Max(hi, p.Y.Max)
		}
	}
	if lo > hi {
		return
	}
	for _, p := range ps {
		if _, isLog := p.Y.Scale.(plot.LogScale); isLog {
			p.Y.Min, p.Y.Max = lo/1.25, hi*1.25
			continue
		}
		if fromZero {
			lo = math.Min(lo, 0)
		}
		p.Y.Min, p.Y.Max = lo, hi+0.05*(hi-lo)
	}
}

// alignX gives every plot the union of their x ranges so stacked panels share a
// time axis.
func alignX(ps ...*plot.Plot) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range ps {
		lo, hi = math.Min(lo, p.X.Min), math.Max(hi, p.X.Max)
	}
	if lo > hi {
		return
	}
	for _, p := range ps {
		p.X.Min, p.X.Max = lo, hi
		p.X.Tick.Marker = plainTicks{}
	}
}

// finiteXYs drops points with NaN or infinite coordinates.
func finiteXYs(pts plotter.XYs) plotter.XYs {
	out := pts[:0:0]
	for _, pt := range pts {
		if !math.IsNaN(pt.X) && !math.IsNaN(pt.Y) && !math.IsInf(pt.X, 0) && !math.IsInf(pt.Y, 0) {
			out = append(out, pt)
		}
	}
	return out
}

// limitColor is the configured limit's reference line: black, so it reads as a
// boundary rather than as one more implementation.
var limitColor = color.Gray{Y: 0}
