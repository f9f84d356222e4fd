package reports

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"path/filepath"

	"github.com/syncbench/syncbench/result"
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

// drawable is what a figure's build function returns: a single plot, a stack of
// panels, or a grid of small multiples.
type drawable interface {
	Draw(c draw.Canvas)
}

// panels draws plots stacked vertically, sharing the canvas width, with their
// data areas aligned so their time axes line up. Each panel's legend is drawn to
// the right of it.
type panels []*plot.Plot

// Draw implements drawable.
func (ps panels) Draw(c draw.Canvas) {
	rows := make([][]*plot.Plot, len(ps))
	for i, p := range ps {
		rows[i] = []*plot.Plot{p}
	}
	grid{rows: rows}.Draw(c)
}

// grid draws plots in rows and columns (nil leaves a tile empty) with their data
// areas aligned, and the legends in a column to the right of the data, so no
// legend ever covers a line. A row's legend is its plots' first non-empty one,
// unless legend is set: then that one legend is drawn beside the first row.
type grid struct {
	rows   [][]*plot.Plot
	legend *plot.Legend
	// title, when set, heads the whole figure, centred over its full width and
	// shrunk to fit it.
	title string
}

// Draw implements drawable.
func (g grid) Draw(c draw.Canvas) {
	if len(g.rows) == 0 {
		return
	}
	legends := make([]*plot.Legend, len(g.rows))
	if g.legend != nil {
		legends[0] = g.legend
	}
	for j, row := range g.rows {
		for _, p := range row {
			if p == nil {
				continue
			}
			if legends[j] == nil && legendWidth(&p.Legend) > 0 {
				l := p.Legend
				legends[j] = &l
			}
		}
	}
	if g.title != "" {
		sty := plot.New().Title.TextStyle
		for sty.Font.Size > vg.Points(8) && sty.Width(g.title) > c.Size().X-vg.Points(12) {
			sty.Font.Size -= vg.Points(0.5)
		}
		h := sty.Rectangle(g.title).Size().Y
		c.FillText(sty, vg.Point{X: c.Center().X, Y: c.Max.Y - vg.Points(4) + sty.FontExtents().Descent}, g.title)
		c = draw.Crop(c, 0, 0, 0, -(h + vg.Points(10)))
	}
	var lw vg.Length
	for _, l := range legends {
		if l != nil {
			lw = max(lw, legendWidth(l))
		}
	}
	// The right margin keeps the last x tick label, centred on the data's right
	// edge, inside the image; the legend column sits beyond it.
	right := vg.Points(18)
	if lw > 0 {
		right += lw + vg.Points(8)
	}
	body := draw.Crop(c, 0, -right, 0, 0)
	cols := 0
	for _, row := range g.rows {
		cols = max(cols, len(row))
	}
	rows := make([][]*plot.Plot, len(g.rows))
	for j, row := range g.rows {
		rows[j] = append(append([]*plot.Plot(nil), row...), make([]*plot.Plot, cols-len(row))...)
	}
	var canvases [][]draw.Canvas
	if len(rows) == 1 && cols == 1 {
		canvases = [][]draw.Canvas{{draw.Crop(body, vg.Points(4), 0, vg.Points(4), -vg.Points(4))}}
	} else {
		tiles := draw.Tiles{Rows: len(rows), Cols: cols, PadX: vg.Points(10), PadY: vg.Points(6),
			PadTop: vg.Points(4), PadBottom: vg.Points(4), PadLeft: vg.Points(4)}
		canvases = plot.Align(rows, tiles, body)
	}
	for j, row := range rows {
		for i, p := range row {
			if p != nil {
				// The legend is drawn beside the grid instead: take it out of
				// the data area for this draw only (a figure is drawn once per
				// format).
				l := p.Legend
				p.Legend = plot.NewLegend()
				p.Draw(canvases[j][i])
				p.Legend = l
			}
		}
	}
	for j, l := range legends {
		if l == nil {
			continue
		}
		top := canvases[j][0].Max.Y
		for i, p := range rows[j] {
			if p != nil {
				top = p.DataCanvas(canvases[j][i]).Max.Y
				break
			}
		}
		l.Top, l.Left = true, true
		l.Draw(draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: c.Max.X - lw - vg.Points(4), Y: c.Min.Y},
			Max: vg.Point{X: c.Max.X, Y: top},
		}})
	}
}

// legendWidth is the width l needs when drawn, 0 for an empty legend.
func legendWidth(l *plot.Legend) vg.Length {
	r := l.Rectangle(draw.Canvas{})
	return r.Max.X - r.Min.X
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
	if p, ok := d.(*plot.Plot); ok {
		// The title spans the figure, not only the data beside the legend.
		title := p.Title.Text
		p.Title.Text = ""
		d = grid{rows: [][]*plot.Plot{{p}}, title: title}
	}
	for _, p := range plotsOf(d) {
		safeLogAxis(&p.X)
		safeLogAxis(&p.Y)
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
		if err := result.WriteFileAtomic(filepath.Join(dir, f.name+"."+format), files[format]); err != nil {
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
	case grid:
		var out []*plot.Plot
		for _, row := range d.rows {
			for _, p := range row {
				if p != nil {
					out = append(out, p)
				}
			}
		}
		return out
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

// newPlot returns a plot with the title and axis labels set. Its legend is drawn
// outside the data area, to the right (see grid).
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.ThumbnailWidth = vg.Points(22) // wide enough to show the dash pattern
	p.Legend.TextStyle.Font.Size = vg.Points(10)
	p.Title.Padding = vg.Points(8)
	p.Add(plotter.NewGrid())
	return p
}

// logNsAxis makes a a log-scaled latency axis labelled in ns/µs/ms/s.
func logNsAxis(a *plot.Axis) {
	a.Scale = plot.LogScale{}
	a.Tick.Marker = durationTicks{}
}

// seriesColors are 16 distinguishable colours (Tableau 10, then six darker
// hues), so up to 16 series never share one; series also differ in dash pattern
// (seriesDashes), so neighbours stay apart in grey-scale print and for readers
// who confuse hues.
var seriesColors = func() []color.Color {
	hex := []uint32{
		0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f,
		0xbcbd22, 0x17becf, 0x393b79, 0x637939, 0x8c6d31, 0x843c39, 0x7b4173, 0x00a087,
	}
	out := make([]color.Color, len(hex))
	for i, h := range hex {
		out[i] = color.RGBA{R: uint8(h >> 16), G: uint8(h >> 8), B: uint8(h), A: 255}
	}
	return out
}()

// seriesDashes are the dash patterns series cycle through: solid, long dash,
// dash-dot, dotted. With 16 colours and 4 patterns every (colour, dash) pair of
// the first 64 series is distinct, and consecutive series differ in both.
var seriesDashes = [][]vg.Length{
	nil,
	{vg.Points(6), vg.Points(3)},
	{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)},
	{vg.Points(1.5), vg.Points(1.5)},
}

// seriesStyle returns the colour and dash pattern of the i-th series.
func seriesStyle(i int) (color.Color, []vg.Length) {
	return seriesColors[i%len(seriesColors)], seriesDashes[i%len(seriesDashes)]
}

// addLine adds a line (with point markers when it has few points) in the i-th
// series style and a legend entry.
func addLine(p *plot.Plot, i int, label string, pts plotter.XYs) error {
	if len(pts) == 0 {
		return nil
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return err
	}
	l.Color, l.Dashes = seriesStyle(i)
	l.Width = vg.Points(1.5)
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
// A non-zero maxLabels keeps only the labelled ticks, and labels only every k-th
// of them so that at most that many labels crowd a small tile's axis.
type durationTicks struct{ maxLabels int }

// Ticks implements plot.Ticker.
func (t durationTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := decadeTicks(lo, hi, tickLabel(formatNs))
	if t.maxLabels <= 0 {
		return ticks
	}
	labelled := 0
	for _, tk := range ticks {
		if tk.Label != "" {
			labelled++
		}
	}
	step := max(1, (labelled+t.maxLabels-1)/t.maxLabels)
	// A small tile keeps only the decades: nine minor ticks per decade would
	// blacken its axis.
	var out []plot.Tick
	n := 0
	for _, tk := range ticks {
		if tk.Label == "" {
			continue
		}
		if n%step != 0 {
			tk.Label = ""
		}
		n++
		out = append(out, tk)
	}
	return out
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
	for b := range max {
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
