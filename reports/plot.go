package reports

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"path/filepath"
	"strings"

	"github.com/syncbench/syncbench/metrics"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	_ "gonum.org/v1/plot/vg/vgimg" // registers png
	_ "gonum.org/v1/plot/vg/vgsvg" // registers svg
)

// MaxSeriesPoints is the most points a time-series line is drawn with; longer
// series are downsampled so a day-long run plots as fast as a minute-long one.
const MaxSeriesPoints = 500

// defaultPlotFormats are the files written for every figure unless
// ReportOptions.Formats says otherwise.
var defaultPlotFormats = []string{"png", "svg"}

// figure is one plot to write: plots/<name>.png and .svg.
type figure struct {
	name  string // file base name, no extension
	title string // alt text and caption in report.md
	w, h  vg.Length
	build func() (drawable, error)
}

// drawable is a single plot or a stack of panels.
type drawable interface {
	Draw(c draw.Canvas)
}

// panels draws plots stacked vertically, sharing the canvas width, with their
// data areas aligned so their time axes line up.
type panels []*plot.Plot

// Draw implements drawable.
func (ps panels) Draw(c draw.Canvas) {
	grid := make([][]*plot.Plot, len(ps))
	for i, p := range ps {
		grid[i] = []*plot.Plot{p}
	}
	tiles := draw.Tiles{Rows: len(ps), Cols: 1, PadY: vg.Points(6), PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4), PadRight: vg.Points(8)}
	canvases := plot.Align(grid, tiles, c)
	for i, p := range ps {
		p.Draw(canvases[i][0])
	}
}

// renderFigure draws f in every format and returns the encoded files by extension.
// gonum/plot panics on some degenerate input (values ≤ 0 on a log axis); such a
// panic is returned as an error so that one bad figure cannot crash a report.
func renderFigure(f figure, formats []string) (files map[string][]byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plot %s: %v", f.name, r)
		}
	}()
	d, err := f.build()
	if err != nil {
		return nil, err
	}
	ps := plotsOf(d)
	for _, p := range ps {
		safeLogAxis(&p.X)
		safeLogAxis(&p.Y)
		legendRoom(p, f.h/vg.Length(len(ps)))
	}
	files = map[string][]byte{}
	for _, format := range formats {
		c, err := draw.NewFormattedCanvas(f.w, f.h, format)
		if err != nil {
			return nil, err
		}
		d.Draw(draw.New(c))
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			return nil, err
		}
		files[format] = buf.Bytes()
	}
	return files, nil
}

// writeFigure renders f and writes its files atomically into dir.
func writeFigure(dir string, f figure, formats []string) error {
	files, err := renderFigure(f, formats)
	if err != nil {
		return err
	}
	for _, format := range formats {
		if err := metrics.WriteFileAtomic(filepath.Join(dir, f.name+"."+format), files[format]); err != nil {
			return err
		}
	}
	return nil
}

func plotsOf(d drawable) []*plot.Plot {
	switch d := d.(type) {
	case *plot.Plot:
		return []*plot.Plot{d}
	case panels:
		return d
	}
	return nil
}

// safeLogAxis makes a log-scaled axis's range strictly positive and non-empty.
// Data is filtered to positive values before it is added, but an axis with no data
// (range ±Inf) or a single value (which gonum widens by ±1, possibly to 0) would
// still panic when drawn.
func safeLogAxis(a *plot.Axis) {
	if _, ok := a.Scale.(plot.LogScale); !ok {
		return
	}
	if math.IsInf(a.Min, 0) || math.IsInf(a.Max, 0) || math.IsNaN(a.Min) || math.IsNaN(a.Max) || a.Max <= 0 {
		a.Min, a.Max = 1, 10
		return
	}
	if a.Min <= 0 {
		a.Min = a.Max / 10
	}
	if a.Min >= a.Max {
		a.Min, a.Max = a.Min/2, a.Max*2
	}
}

// legendRoom raises the top of the y axis so the legend, drawn in the top left
// corner, does not cover the data: the data keeps the part of the plot's height
// (roughly h, less the axes and title) below the legend.
func legendRoom(p *plot.Plot, h vg.Length) {
	if !p.Legend.Top || math.IsInf(p.Y.Max, 0) || math.IsNaN(p.Y.Max) || math.IsInf(p.Y.Min, 0) {
		return
	}
	r := p.Legend.Rectangle(draw.Canvas{})
	legendH := float64(r.Max.Y - r.Min.Y)
	dataH := float64(h - vg.Points(90))
	if legendH == 0 || dataH <= 0 {
		return
	}
	keep := 1 - math.Min(0.6, legendH/dataH+0.04)
	if _, ok := p.Y.Scale.(plot.LogScale); ok {
		if p.Y.Max > 0 && p.Y.Min > 0 && p.Y.Max > p.Y.Min {
			lmin, lmax := math.Log(p.Y.Min), math.Log(p.Y.Max)
			p.Y.Max = math.Exp(lmin + (lmax-lmin)/keep)
		}
		return
	}
	lo := math.Min(p.Y.Min, 0)
	if p.Y.Max > lo {
		p.Y.Max = lo + (p.Y.Max-lo)/keep
	}
}

// newPlot returns a plot with the title and axis labels set and the legend at the
// top left, where lines rarely are.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	// A long title (implementation plus configuration) would run off the image:
	// put the configuration on a second line.
	if len(title) > 70 {
		title = strings.Replace(title, " — ", "\n", 1)
	}
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.ThumbnailWidth = vg.Points(14)
	p.Legend.XOffs = vg.Points(6)
	p.Legend.YOffs = -vg.Points(4)
	p.Title.Padding = vg.Points(8)
	p.Add(plotter.NewGrid())
	return p
}

// logNsAxis makes a a log-scaled latency axis labelled in ns/µs/ms/s.
func logNsAxis(a *plot.Axis) {
	a.Scale = plot.LogScale{}
	a.Tick.Marker = durationTicks{}
}

// addLine adds a line (with point markers when it has few points) in the i-th
// palette colour and a legend entry.
func addLine(p *plot.Plot, i int, label string, pts plotter.XYs) error {
	if len(pts) == 0 {
		return nil
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return err
	}
	l.Color = plotutil.Color(i)
	l.Width = vg.Points(1.5)
	l.Dashes = plotutil.Dashes(i / len(plotutil.DefaultColors))
	p.Add(l)
	if len(pts) <= 12 {
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		s.Color = l.Color
		s.Shape = plotutil.Shape(i)
		p.Add(s)
		p.Legend.Add(label, l, s)
		return nil
	}
	p.Legend.Add(label, l)
	return nil
}

// addHLine adds a horizontal reference line at y across [x0, x1].
func addHLine(p *plot.Plot, label string, y, x0, x1 float64, c color.Color) error {
	l, err := plotter.NewLine(plotter.XYs{{X: x0, Y: y}, {X: x1, Y: y}})
	if err != nil {
		return err
	}
	l.Color = c
	l.Width = vg.Points(1.5)
	l.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
	p.Add(l)
	p.Legend.Add(label, l)
	return nil
}

// positiveXYs keeps the points whose y (and x, when logX) is a finite positive
// number: the only values a log axis accepts.
func positiveXYs(pts plotter.XYs, logX bool) plotter.XYs {
	out := pts[:0:0]
	for _, pt := range pts {
		if !(pt.Y > 0) || math.IsInf(pt.Y, 0) || math.IsNaN(pt.X) || math.IsInf(pt.X, 0) {
			continue
		}
		if logX && !(pt.X > 0) {
			continue
		}
		out = append(out, pt)
	}
	return out
}

// durationTicks labels a log axis of nanoseconds at 1-2-5 steps ("100ns", "1µs").
type durationTicks struct{}

// Ticks implements plot.Ticker.
func (durationTicks) Ticks(min, max float64) []plot.Tick {
	return decadeTicks(min, max, tickLabel(formatNs))
}

// decadeTicks returns major ticks at powers of ten, plus labelled 2 and 5 when the
// range spans less than two decades, and minor ticks in between.
func decadeTicks(min, max float64, label func(float64) string) []plot.Tick {
	if !(min > 0) || !(max > min) {
		return nil
	}
	lo := math.Floor(math.Log10(min))
	hi := math.Ceil(math.Log10(max))
	few := hi-lo <= 2
	var ticks []plot.Tick
	for e := lo; e <= hi; e++ {
		base := math.Pow(10, e)
		for m := 1; m < 10; m++ {
			v := base * float64(m)
			if v < min*0.999 || v > max*1.001 {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || (few && (m == 2 || m == 5)) {
				t.Label = label(v)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// downsample reduces pts to at most max points by averaging x and combining y
// with agg over consecutive buckets of equal size.
func downsample(pts plotter.XYs, max int, agg func([]float64) float64) plotter.XYs {
	if len(pts) <= max || max <= 0 {
		return pts
	}
	out := make(plotter.XYs, 0, max)
	ys := make([]float64, 0, len(pts)/max+1)
	for b := 0; b < max; b++ {
		lo, hi := b*len(pts)/max, (b+1)*len(pts)/max
		if lo == hi {
			continue
		}
		ys = ys[:0]
		var sx float64
		for _, pt := range pts[lo:hi] {
			sx += pt.X
			ys = append(ys, pt.Y)
		}
		out = append(out, plotter.XY{X: sx / float64(hi-lo), Y: agg(ys)})
	}
	return out
}

func maxOf(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	return m
}

func meanOf(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}
