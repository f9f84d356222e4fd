package reports

import (
	"image/color"
	"math"
	"strconv"

	"github.com/syncbench/syncbench/metrics"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// seriesXY extracts one field of a series as points at each interval's midpoint,
// in seconds from the start of the measured run, downsampled with agg.
func seriesXY(series []metrics.Interval, field func(metrics.Interval) float64, agg func([]float64) float64) plotter.XYs {
	pts := make(plotter.XYs, 0, len(series))
	for _, iv := range series {
		x := float64(iv.OffsetNs+iv.DurationNs/2) / 1e9
		pts = append(pts, plotter.XY{X: x, Y: field(iv)})
	}
	return downsample(pts, MaxSeriesPoints, agg)
}

// timelineFigure draws one run's latency percentiles over time above its offered
// and achieved rates, so a stall shows as a latency spike over a rate dip.
func timelineFigure(name string, c *Cell) figure {
	run := c.MedianRun()
	label := c.Impl + ", " + configLabel(c.Workload, c.Params)
	if len(c.Runs) > 1 {
		label += ", repetition " + strconv.Itoa(run.Repetition) + " (median throughput)"
	}
	title := "Over time — " + label
	return figure{name: name, title: title, w: 8 * vg.Inch, h: 6.5 * vg.Inch, build: func() (drawable, error) {
		lat := newPlot(title, "", "response time (log scale)")
		logNsAxis(&lat.Y)
		fields := []struct {
			name string
			f    func(metrics.Interval) float64
		}{
			{"p50", func(iv metrics.Interval) float64 { return float64(iv.ResponseP50) }},
			{"p99", func(iv metrics.Interval) float64 { return float64(iv.ResponseP99) }},
			{"max", func(iv metrics.Interval) float64 { return float64(iv.ResponseMax) }},
		}
		for i, fl := range fields {
			if err := addLine(lat, i, fl.name, positiveXYs(seriesXY(run.Series, fl.f, maxOf), false)); err != nil {
				return nil, err
			}
		}

		rate := newPlot("", "time since start of measurement (s)", "rate (ops/s)")
		rate.Y.Tick.Marker = siTicks{}
		offered := seriesXY(run.Series, func(iv metrics.Interval) float64 { return iv.Offered }, meanOf)
		achievedPts := seriesXY(run.Series, func(iv metrics.Interval) float64 { return iv.Achieved }, meanOf)
		if err := addLine(rate, 0, "offered", finiteXYs(offered)); err != nil {
			return nil, err
		}
		if err := addLine(rate, 1, "achieved", finiteXYs(achievedPts)); err != nil {
			return nil, err
		}
		rate.Y.Min = 0
		alignX(lat, rate)
		return panels{lat, rate}, nil
	}}
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
