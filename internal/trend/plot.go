package trend

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	_ "gonum.org/v1/plot/vg/vgimg" // registers png
)

// Plot draws a finding's series against commit index to path (PNG): the
// points, each segment's median as a step, and a vertical line at each change
// point (red for a regression, grey otherwise).
func Plot(f Finding, path string) error {
	p := plot.New()
	p.Title.Text = f.Series.Name
	p.X.Label.Text = "commit (oldest first)"
	p.Y.Label.Text = f.Series.Unit
	pts := make(plotter.XYs, len(f.Series.Values))
	for i, v := range f.Series.Values {
		pts[i] = plotter.XY{X: float64(i), Y: v}
	}
	scatter, err := plotter.NewScatter(pts)
	if err != nil {
		return err
	}
	scatter.GlyphStyle.Radius = vg.Points(1.8)
	p.Add(scatter)

	bounds := []int{0}
	for _, pt := range f.Points {
		bounds = append(bounds, pt.Index)
	}
	bounds = append(bounds, len(f.Series.Values))
	lo, hi := minMax(f.Series.Values)
	for i := 0; i+1 < len(bounds); i++ {
		m := median(f.Series.Values[bounds[i]:bounds[i+1]])
		step, err := plotter.NewLine(plotter.XYs{{X: float64(bounds[i]) - 0.5, Y: m}, {X: float64(bounds[i+1]) - 0.5, Y: m}})
		if err != nil {
			return err
		}
		step.Color, step.Width = color.RGBA{B: 200, A: 255}, vg.Points(1.5)
		p.Add(step)
	}
	for _, pt := range f.Points {
		x := float64(pt.Index) - 0.5
		mark, err := plotter.NewLine(plotter.XYs{{X: x, Y: lo}, {X: x, Y: hi}})
		if err != nil {
			return err
		}
		mark.Color = color.Gray{Y: 140}
		if pt.Regression {
			mark.Color = color.RGBA{R: 210, A: 255}
		}
		mark.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
		p.Add(mark)
	}
	return p.Save(7*vg.Inch, 3*vg.Inch, path)
}

func minMax(v []float64) (lo, hi float64) {
	lo, hi = v[0], v[0]
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}
