package reports

import (
	"math"
	"sort"
	"strconv"

	"github.com/syncbench/syncbench/result"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// sweepPanel is one panel of a sweep figure: a figure of each run's value
// against the swept parameter.
type sweepPanel struct {
	yLabel string
	value  func(*result.Result) float64
	// ticks labels the y axis (siTicks, plainTicks, ...); nil keeps gonum's.
	ticks plot.Ticker
	// logNs makes the y axis a log-scaled latency in ns (its ticks are then
	// durationTicks, and only positive values are drawn).
	logNs bool
}

// sweepFigure draws, in one panel per value, the median of each value across a
// cell's repetitions against the swept parameter x (log-scaled), one line per
// implementation and remaining configuration. x returns false for a cell off
// the axis (GOGC off); rest is the cell's parameters without the swept one,
// which tell the lines of one implementation apart.
func sweepFigure(name, title, xLabel string, cells []*Cell, x func(*Cell) (float64, bool), rest func(result.Params) result.Params, ps []sweepPanel) figure {
	h := vg.Length(1.2+2.6*float64(len(ps))) * vg.Inch
	return figure{name: name, title: title, w: 8 * vg.Inch, h: h, build: func() (drawable, error) {
		type line struct {
			label, extra string
			cells        []*Cell
		}
		var lines []*line
		idx := map[string]*line{}
		ticks := map[float64]bool{}
		for _, c := range cells {
			xv, ok := x(c)
			if !ok || !(xv > 0) || math.IsInf(xv, 0) {
				continue
			}
			ticks[xv] = true
			extra := configLabel(c.Workload, rest(c.Params))
			key := c.Impl + "\x00" + extra
			l, ok := idx[key]
			if !ok {
				l = &line{label: c.Impl, extra: extra}
				idx[key] = l
				lines = append(lines, l)
			}
			l.cells = append(l.cells, c)
		}
		perImpl := map[string]int{}
		for _, l := range lines {
			perImpl[l.label]++
		}
		var tv []float64
		for v := range ticks {
			tv = append(tv, v)
		}
		sort.Float64s(tv)
		var marks []plot.Tick
		for _, v := range tv {
			marks = append(marks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
		}
		var out panels
		for j, panel := range ps {
			ptitle := ""
			if j == 0 {
				ptitle = title
			}
			p := newPlot(ptitle, xLabel+" (log scale)", panel.yLabel)
			p.X.Scale = plot.LogScale{}
			p.X.Tick.Marker = plot.ConstantTicks(marks)
			if panel.ticks != nil {
				p.Y.Tick.Marker = panel.ticks
			}
			if panel.logNs {
				logNsAxis(&p.Y)
			}
			for i, l := range lines {
				var pts plotter.XYs
				for _, c := range l.cells {
					xv, _ := x(c)
					if y := c.Spread(panel.value).Median; !math.IsNaN(y) && !math.IsInf(y, 0) {
						pts = append(pts, plotter.XY{X: xv, Y: y})
					}
				}
				sort.Slice(pts, func(a, b int) bool { return pts[a].X < pts[b].X })
				if panel.logNs {
					pts = positiveXYs(pts, true)
				}
				label := l.label
				if perImpl[l.label] > 1 {
					label += " (" + l.extra + ")"
				}
				if err := addLine(p, i, label, pts); err != nil {
					return nil, err
				}
			}
			if panel.logNs {
				safeLogAxis(&p.Y)
			} else {
				p.Y.Min = 0
			}
			out = append(out, p)
		}
		return out, nil
	}}
}

// extra returns r's runtime or ImplStats figure key (NaN when absent), for
// tables and panels that mix the two.
func extra(r *result.Result, group, key string) float64 {
	if group == "" {
		if v, ok := r.ImplStats[key]; ok {
			return v
		}
		return math.NaN()
	}
	if v, ok := toNumber(r.Extras[group][key]); ok {
		return v
	}
	return math.NaN()
}
