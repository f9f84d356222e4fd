package reports

import (
	"math"
	"strconv"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/result"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// maxSpectrumNines caps the spectrum's x axis at 99.9999%.
const maxSpectrumNines = 6

// spectrumStep is the spacing of evaluated percentiles on the -log10(1-p) axis:
// 50 points per decade of nines, smooth without costing much.
const spectrumStep = 0.02

// spectrumFigure plots the response-time percentile spectrum of each cell of g,
// from the cells' merged histograms.
func spectrumFigure(name string, g *configGroup) figure {
	return timingSpectrumFigure(name, g, "Response time", "response time", (*Cell).MergedResponse)
}

// serviceSpectrumFigure is spectrumFigure for service time, drawn beside it when
// lag dominates the response: the response spectrum then shows the harness's
// lateness, the service spectrum what the target did.
func serviceSpectrumFigure(name string, g *configGroup) figure {
	return timingSpectrumFigure(name, g, "Service time (finished − started)", "service time", (*Cell).MergedService)
}

func timingSpectrumFigure(name string, g *configGroup, what, yLabel string, hist func(*Cell) *hdr.Histogram) figure {
	title := what + " by percentile — " + g.Family + ", " + groupLabel(g)
	return figure{name: name, title: title, w: 8 * vg.Inch, h: 5 * vg.Inch, build: func() (drawable, error) {
		p := newPlot(title, "percentile (log scale of 1/(1−p))", yLabel)
		logNsAxis(&p.Y)
		p.X.Tick.Marker = percentileTicks{}
		p.X.Min = 0
		for i, c := range g.Cells {
			pts := positiveXYs(spectrumPoints(hist(c)), false)
			if err := addLine(p, i, c.Impl, pts); err != nil {
				return nil, err
			}
		}
		return p, nil
	}}
}

// spectrumPoints evaluates h at percentiles evenly spaced on x = -log10(1-p), up
// to the resolution the sample size supports (x ≤ log10(count): with 1000 ops the
// 99.9th percentile is already the maximum).
func spectrumPoints(h *hdr.Histogram) plotter.XYs {
	n := h.TotalCount()
	if n == 0 {
		return nil
	}
	xmax := math.Min(maxSpectrumNines, math.Log10(float64(n)))
	if xmax < spectrumStep {
		xmax = spectrumStep
	}
	var xs, ps []float64
	for x := 0.0; x <= xmax+1e-9; x += spectrumStep {
		xs = append(xs, x)
		ps = append(ps, 100*(1-math.Pow(10, -x)))
	}
	vs := result.ValuesAtQuantiles(h, ps)
	pts := make(plotter.XYs, len(xs))
	for i := range xs {
		pts[i] = plotter.XY{X: xs[i], Y: float64(vs[i])}
	}
	return pts
}

// percentileTicks labels the -log10(1-p) axis with the percentiles a latency
// reader knows: 0, 50, 90, 99, 99.9, ...
type percentileTicks struct{}

// Ticks implements plot.Ticker.
func (percentileTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	add := func(x float64, label string) {
		if x >= min-1e-9 && x <= max+1e-9 {
			ticks = append(ticks, plot.Tick{Value: x, Label: label})
		}
	}
	add(0, "0%")
	add(math.Log10(2), "50%")
	for k := 1; k <= 9; k++ {
		p := 100 * (1 - math.Pow(10, -float64(k)))
		add(float64(k), strconv.FormatFloat(p, 'f', max0(k-2), 64)+"%")
	}
	return ticks
}

func max0(v int) int {
	if v < 0 {
		return 0
	}
	return v
}
