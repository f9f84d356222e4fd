package reports

import (
	"math"
	"sort"
	"strconv"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

func achieved(r *result.Result) float64 { return r.Rates.Achieved }

// throughputBarsFigure draws each implementation's median achieved rate in g as a
// bar, with the min–max range across repetitions as error bars.
func throughputBarsFigure(name string, g *configGroup) figure {
	title := "Throughput (median, min–max across repetitions) — " + g.Family + ", " + groupLabel(g)
	w := vg.Length(math.Max(6, 1.2+0.8*float64(len(g.Cells)))) * vg.Inch
	return figure{name: name, title: title, w: w, h: 4.5 * vg.Inch, build: func() (drawable, error) {
		p := newPlot(title, "implementation", "achieved ops/s")
		p.Y.Tick.Marker = siTicks{}
		vals := make(plotter.Values, len(g.Cells))
		bars := make(errBars, len(g.Cells))
		names := make([]string, len(g.Cells))
		for i, c := range g.Cells {
			s := c.Spread(achieved)
			med, lo, hi := finite0(s.Median), finite0(s.Min), finite0(s.Max)
			vals[i] = med
			bars[i] = errBar{x: float64(i), y: med, lo: med - lo, hi: hi - med}
			names[i] = c.Impl
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
		p.Y.Max *= 1.08             // keep the tallest error bar off the frame
		p.Legend = plot.NewLegend() // one series: the axis says it all
		return p, nil
	}}
}

// errBar is one bar's error range, relative to its y.
type errBar struct{ x, y, lo, hi float64 }

// errBars adapts []errBar to plotter.XYer and plotter.YErrorer.
type errBars []errBar

func (e errBars) Len() int                        { return len(e) }
func (e errBars) XY(i int) (float64, float64)     { return e[i].x, e[i].y }
func (e errBars) YError(i int) (float64, float64) { return e[i].lo, e[i].hi }

func finite0(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// sweepAxis names the parameter a family swept, if any: "concurrency" when more
// than one concurrency ran, else "gomaxprocs", else "".
func sweepAxis(cells []*Cell) string {
	conc, procs := map[int]bool{}, map[int]bool{}
	for _, c := range cells {
		conc[c.Params.Concurrency] = true
		procs[c.Params.GOMAXPROCS] = true
	}
	switch {
	case len(conc) > 1:
		return "concurrency"
	case len(procs) > 1:
		return "gomaxprocs"
	}
	return ""
}

// scalingFigure draws median throughput against the swept parameter, one line per
// implementation (and per remaining configuration when more than one ran).
func scalingFigure(name, family, axis string, cells []*Cell) figure {
	title := "Throughput scaling with " + axis + " — " + family
	return figure{name: name, title: title, w: 8 * vg.Inch, h: 5 * vg.Inch, build: func() (drawable, error) {
		p := newPlot(title, axis+" (log scale)", "median ops/s")
		p.X.Scale = plot.LogScale{}
		p.Y.Tick.Marker = siTicks{}
		xOf := func(c *Cell) float64 {
			if axis == "gomaxprocs" {
				return float64(c.Params.GOMAXPROCS)
			}
			return float64(c.Params.Concurrency)
		}
		type line struct {
			label, extra string
			pts          plotter.XYs
		}
		var lines []*line
		idx := map[string]*line{}
		ticks := map[float64]bool{}
		for _, c := range cells {
			rest := c.Params
			if axis == "gomaxprocs" {
				rest.GOMAXPROCS = 0
			} else {
				rest.Concurrency = 0
			}
			key := c.Impl + "\x00" + c.Workload + "\x00" + configLabel("", rest)
			l, ok := idx[key]
			if !ok {
				l = &line{label: c.Impl, extra: configLabel(c.Workload, rest)}
				idx[key] = l
				lines = append(lines, l)
			}
			x := xOf(c)
			ticks[x] = true
			l.pts = append(l.pts, plotter.XY{X: x, Y: c.Spread(achieved).Median})
		}
		perImpl := map[string]int{}
		for _, l := range lines {
			perImpl[l.label]++
		}
		for _, l := range lines {
			if perImpl[l.label] > 1 { // tell apart the lines of one impl
				l.label += " (" + l.extra + ")"
			}
		}
		for i, l := range lines {
			sort.Slice(l.pts, func(a, b int) bool { return l.pts[a].X < l.pts[b].X })
			if err := addLine(p, i, l.label, positiveXYs(l.pts, true)); err != nil {
				return nil, err
			}
		}
		var tv []float64
		for x := range ticks {
			if x > 0 {
				tv = append(tv, x)
			}
		}
		sort.Float64s(tv)
		var marks []plot.Tick
		for _, x := range tv {
			marks = append(marks, plot.Tick{Value: x, Label: strconv.FormatFloat(x, 'f', -1, 64)})
		}
		p.X.Tick.Marker = plot.ConstantTicks(marks)
		p.Y.Min = 0
		return p, nil
	}}
}

// siTicks labels a linear axis with SI prefixes.
type siTicks struct{}

// Ticks implements plot.Ticker.
func (siTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = tickLabel(formatRate)(ticks[i].Value)
		}
	}
	return ticks
}

// plainTicks is plot.DefaultTicks with labels free of trailing zeros ("2.5", not
// "2.50").
type plainTicks struct{}

// Ticks implements plot.Ticker.
func (plainTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = units.Trim(units.Number(ticks[i].Value))
		}
	}
	return ticks
}
