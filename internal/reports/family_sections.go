package reports

import (
	"math"

	"github.com/syncbench/syncbench/result"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// familySections are the families whose report section adds tables and
// figures of its own, after the summary and the extras tables every family
// has: each reads its family's figures (ImplStats, splits, runtime extras)
// and shows them under readable headings.
var familySections = map[string]func(rb *reportBuilder, cells []*Cell){
	"queues":    (*reportBuilder).queuesSection,
	"snapshots": (*reportBuilder).snapshotsSection,
}

// familySection writes fam's own section, if it has one.
func (rb *reportBuilder) familySection(fam string, cells []*Cell) {
	if f, ok := familySections[fam]; ok {
		f(rb, cells)
	}
}

// valueBarsFigure draws, for each implementation of g, the median of value
// over its runs as a bar with the min–max range as error bars; runs without
// the value are left out (a cell with none draws no bar).
func valueBarsFigure(name, title, yLabel string, g *configGroup, value func(*result.Result) (float64, bool)) figure {
	w := vg.Length(math.Max(6, 1.2+0.8*float64(len(g.Cells)))) * vg.Inch
	return figure{name: name, title: title, w: w, h: 4.5 * vg.Inch, build: func() (drawable, error) {
		p := newPlot(title, "implementation", yLabel)
		vals := make(plotter.Values, len(g.Cells))
		bars := make(errBars, len(g.Cells))
		names := make([]string, len(g.Cells))
		for i, c := range g.Cells {
			var nums []float64
			for _, r := range c.Runs {
				if v, ok := value(r); ok {
					nums = append(nums, v)
				}
			}
			names[i] = c.Impl
			if len(nums) == 0 {
				bars[i] = errBar{x: float64(i)}
				continue
			}
			s := SpreadOf(nums)
			med, lo, hi := finite0(s.Median), finite0(s.Min), finite0(s.Max)
			vals[i] = med
			bars[i] = errBar{x: float64(i), y: med, lo: med - lo, hi: hi - med}
		}
		bc, err := plotter.NewBarChart(vals, vg.Points(math.Min(40, 300/float64(len(vals)+1))))
		if err != nil {
			return nil, err
		}
		bc.Color = plotutil.Color(0)
		bc.LineStyle.Width = 0
		p.Add(bc)
		eb, err := plotter.NewYErrorBars(bars)
		if err != nil {
			return nil, err
		}
		eb.Width = vg.Points(1.5)
		eb.CapWidth = vg.Points(10)
		p.Add(eb)
		p.NominalX(names...)
		p.Y.Min = 0
		p.Y.Max = math.Max(p.Y.Max*1.08, 1e-9) // off the frame; an all-zero chart still has an axis
		p.Legend = plot.NewLegend()
		return p, nil
	}}
}
