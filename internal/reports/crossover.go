package reports

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"

	"github.com/syncbench/syncbench/internal/crossover"
	"github.com/syncbench/syncbench/result"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// PairComparison is two implementations' cells of one configuration compared
// on one headline figure by the verdicts' rule (see separate): each cell's
// figure across its forks, and A's advantage over B with its between-fork
// interval and test. loadgen crossover makes one at every probe.
type PairComparison struct {
	A, B Figure
	// Ratio is A's advantage (above 1: A better): A/B for a figure where
	// higher is better, B/A for one where lower is. Lo and Hi bound its 95%
	// interval: 0 and +Inf when the runs give none (too few paired forks).
	Ratio, Lo, Hi float64
	// P is the test's p-value, NaN when there was no test.
	P float64
	// Pairs is the number of paired forks (0 when unpaired or untested).
	Pairs int
	// Separated: the forks separate the two (p < 0.05), in the direction
	// Ratio leans.
	Separated bool
	// Evidence prints the interval and the test, or why there was none, as
	// the verdicts do.
	Evidence string
}

// ComparePair compares implementation a with b over results, which must
// hold one cell of each (one configuration), on the headline figure metric
// (a HeadlineFigures name); higherBetter says which way it is better.
func ComparePair(results []*result.Result, a, b, metric string, higherBetter bool) (PairComparison, error) {
	h := HeadlineFigure(metric)
	var ca, cb *Cell
	for _, c := range GroupCells(results) {
		var slot **Cell
		switch c.Impl {
		case a:
			slot = &ca
		case b:
			slot = &cb
		default:
			return PairComparison{}, fmt.Errorf("the results hold %s, neither %s nor %s", c.Impl, a, b)
		}
		if *slot != nil {
			return PairComparison{}, fmt.Errorf("the results hold two configurations of %s", c.Impl)
		}
		*slot = c
	}
	if ca == nil || cb == nil {
		return PairComparison{}, fmt.Errorf("the results hold no run of %s", map[bool]string{true: a, false: b}[ca == nil])
	}
	s := separate(ca, cb, h.Get, higherBetter, false)
	pc := PairComparison{A: ca.Figure(h.Get), B: cb.Figure(h.Get), Ratio: s.ratio, Lo: s.lo, Hi: s.hi, P: s.p, Pairs: s.pairs,
		Evidence: s.evidence(ratioText)}
	if !s.tested {
		pc.P = math.NaN()
	}
	if !s.tested || math.IsNaN(pc.Lo) || math.IsNaN(pc.Hi) {
		pc.Lo, pc.Hi = 0, math.Inf(1)
	}
	pc.Separated = s.tested && s.p < significanceAlpha
	return pc, nil
}

// CrossoverPlot is what WriteCrossoverPlot draws: A's advantage over B
// against the varied parameter, with its band.
type CrossoverPlot struct {
	Title, XLabel, YLabel string
	// LogX draws the parameter on a log axis (only positive values).
	LogX bool
	// Points are the probes, each with its ratio and interval.
	Points []crossover.Point
	// Bracket, when set, shades the crossover's interval [Lo, Hi] and marks
	// Estimate.
	Bracket          bool
	Lo, Hi, Estimate float64
}

// CrossoverPlotName is the base name of the crossover figure in -out.
const CrossoverPlotName = "crossover"

// WriteCrossoverPlot writes crossover.png and crossover.svg into dir: the
// ratio (log axis) against the parameter, its 95% between-fork band where
// the forks give one, the level line at 1× and the crossover's interval.
func WriteCrossoverPlot(dir string, c CrossoverPlot) error {
	return writeFigure(dir, crossoverFigure(c), defaultPlotFormats)
}

func crossoverFigure(c CrossoverPlot) figure {
	return figure{name: CrossoverPlotName, title: c.Title, w: 8 * vg.Inch, h: 4.5 * vg.Inch, build: func() (drawable, error) {
		xl := c.XLabel
		if c.LogX {
			xl += " (log scale)"
		}
		p := newPlot(c.Title, xl, c.YLabel+" (log scale)")
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = ratioTicks{}
		if c.LogX {
			p.X.Scale = plot.LogScale{}
			p.X.Tick.Marker = plot.LogTicks{Prec: -1}
		}
		pts := append([]crossover.Point(nil), c.Points...)
		sort.Slice(pts, func(i, j int) bool { return pts[i].X < pts[j].X })
		var line, upper, lower plotter.XYs
		yMin, yMax := 1.0, 1.0
		for _, pt := range pts {
			if c.LogX && !(pt.X > 0) || !(pt.Ratio > 0) || math.IsInf(pt.Ratio, 0) {
				continue
			}
			line = append(line, plotter.XY{X: pt.X, Y: pt.Ratio})
			yMin, yMax = math.Min(yMin, pt.Ratio), math.Max(yMax, pt.Ratio)
			if pt.Lo > 0 && !math.IsInf(pt.Hi, 0) {
				lower = append(lower, plotter.XY{X: pt.X, Y: pt.Lo})
				upper = append(upper, plotter.XY{X: pt.X, Y: pt.Hi})
				yMin, yMax = math.Min(yMin, pt.Lo), math.Max(yMax, pt.Hi)
			}
		}
		if len(line) == 0 {
			return nil, fmt.Errorf("no probe has a positive ratio to draw")
		}
		yMin, yMax = yMin/1.1, yMax*1.1
		xMin, xMax := line[0].X, line[len(line)-1].X
		if c.Bracket {
			shade, err := plotter.NewPolygon(plotter.XYs{{X: c.Lo, Y: yMin}, {X: c.Hi, Y: yMin}, {X: c.Hi, Y: yMax}, {X: c.Lo, Y: yMax}})
			if err != nil {
				return nil, err
			}
			shade.Color = color.NRGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0x30}
			shade.LineStyle.Width = 0
			p.Add(shade)
			p.Legend.Add(fmt.Sprintf("crossover interval [%s, %s]", plainNumber(c.Lo), plainNumber(c.Hi)), shade)
		}
		if len(lower) >= 2 {
			band := append(append(plotter.XYs(nil), lower...), reversed(upper)...)
			poly, err := plotter.NewPolygon(band)
			if err != nil {
				return nil, err
			}
			poly.Color = color.NRGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0x40}
			poly.LineStyle.Width = 0
			p.Add(poly)
			p.Legend.Add("95% between-fork interval", poly)
		}
		if err := addLine(p, 0, c.YLabel, line); err != nil {
			return nil, err
		}
		if err := addHLine(p, "level (1×)", 1, xMin, xMax, color.Gray{Y: 0x60}); err != nil {
			return nil, err
		}
		if c.Bracket && !math.IsNaN(c.Estimate) {
			est, err := plotter.NewLine(plotter.XYs{{X: c.Estimate, Y: yMin}, {X: c.Estimate, Y: yMax}})
			if err != nil {
				return nil, err
			}
			est.Color = color.NRGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}
			est.Dashes = []vg.Length{vg.Points(2), vg.Points(2)}
			p.Add(est)
			p.Legend.Add("estimate "+plainNumber(c.Estimate), est)
		}
		p.Y.Min, p.Y.Max = yMin, yMax
		return p, nil
	}}
}

func reversed(pts plotter.XYs) plotter.XYs {
	out := make(plotter.XYs, len(pts))
	for i, pt := range pts {
		out[len(pts)-1-i] = pt
	}
	return out
}

// plainNumber prints a parameter value for a legend: "0.75", "64", "1e+06".
func plainNumber(v float64) string { return fmt.Sprintf("%.3g", v) }

// ratioTicks labels a log axis of ratios at 1-2-5 steps ("0.5×", "1×", "2×"),
// with unlabelled ticks between.
type ratioTicks struct{}

// Ticks implements plot.Ticker.
func (ratioTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	if !(lo > 0) || !(hi > lo) {
		return ts
	}
	for e := math.Floor(math.Log10(lo)) - 1; e <= math.Ceil(math.Log10(hi)); e++ {
		for m := 1; m <= 9; m++ {
			v := float64(m) * math.Pow(10, e)
			if v < lo || v > hi {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || m == 2 || m == 5 {
				t.Label = strconv.FormatFloat(v, 'g', -1, 64) + "×"
			}
			ts = append(ts, t)
		}
	}
	return ts
}
