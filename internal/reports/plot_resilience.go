package reports

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/syncbench/syncbench/result"
)

// Result.Extras groups of the families in front of a scheduled backend (written
// by impls/adaptive and impls/breakers, whose ExtrasKey they match).
const (
	adaptiveGroup = "adaptive"
	breakerGroup  = "breaker"
)

// timelineSeries reads one series of a run's Extras[group]["timeline"] as points
// at the middle of each bin (seconds into the window); bins without a value
// (-1) are left out.
func timelineSeries(run *result.Result, group, series string) plotter.XYs {
	tl, _ := run.Extras[group]["timeline"].(map[string]any)
	width, _ := toNumber(tl["bin_ns"])
	var values []any
	switch v := tl[series].(type) {
	case []any: // as decoded from a result file
		values = v
	case []float64: // as built in this process
		for _, f := range v {
			values = append(values, f)
		}
	}
	if width <= 0 {
		return nil
	}
	pts := make(plotter.XYs, 0, len(values))
	for i, v := range values {
		if y, ok := toNumber(v); ok && y >= 0 {
			pts = append(pts, plotter.XY{X: (float64(i) + 0.5) * width / 1e9, Y: y})
		}
	}
	return finiteXYs(pts)
}

// hasTimeline reports whether some cell's median run holds a group's timeline.
func hasTimeline(g *configGroup, group string) bool {
	for _, c := range g.Cells {
		if len(timelineSeries(c.MedianRun(), group, firstSeries[group])) > 0 {
			return true
		}
	}
	return false
}

// firstSeries is each group's series that every timeline has.
var firstSeries = map[string]string{adaptiveGroup: "limit", breakerGroup: "open"}

// resilienceFigure draws each implementation's timeline against the backend's
// truth, as small multiples on one scale: an adaptive limit against the true
// capacity (the limit's mean per bin), or a breaker's time open and half-open per
// bin against the failure rate (0 to 1). A limit that tracks its backend lies on
// the capacity's steps; a breaker that tracks it is open where the failure rate
// is high.
func resilienceFigure(name, group string, g *configGroup) figure {
	title := "Limit vs true capacity — " + g.Family + ", " + groupLabel(g)
	lines := []struct{ series, label string }{{"limit", "limit (mean per bin)"}, {"capacity", "true capacity"}}
	yLabel := "calls in flight"
	if group == breakerGroup {
		title = "Breaker state vs failure rate — " + g.Family + ", " + groupLabel(g)
		lines = []struct{ series, label string }{{"open", "share of time open"}, {"half_open", "share half-open"}, {"failure", "failure rate"}}
		yLabel = "share"
	}
	cols := smallMultiplesCols(len(g.Cells))
	rowsOfTiles := (len(g.Cells) + cols - 1) / cols
	w := vg.Length(2.75*float64(cols)+1.4) * vg.Inch
	h := vg.Length(1.9*float64(rowsOfTiles)+0.6) * vg.Inch
	return figure{name: name, title: title, w: w, h: h, build: func() (drawable, error) {
		rows := make([][]*plot.Plot, rowsOfTiles)
		for j := range rows {
			rows[j] = make([]*plot.Plot, cols)
		}
		var tiles []*plot.Plot
		for k, c := range g.Cells {
			run := c.MedianRun()
			col, row := k%cols, k/cols
			x, y := "", ""
			if col == 0 {
				y = yLabel
			}
			if row == rowsOfTiles-1 || k+cols >= len(g.Cells) {
				x = "time (s)"
			}
			p := newTile(c.Impl, x, y)
			for i, l := range lines {
				label := l.label
				if k > 0 {
					label = ""
				}
				pts := timelineSeries(run, group, l.series)
				if l.series == "capacity" || l.series == "failure" {
					if err := addTruth(p, label, pts); err != nil {
						return nil, err
					}
					continue
				}
				if err := addLine(p, i, label, pts); err != nil {
					return nil, err
				}
			}
			if k > 0 {
				p.Legend = emptyLegend(p.Legend)
			}
			rows[row][col] = p
			tiles = append(tiles, p)
		}
		shareY(tiles, true)
		alignX(tiles...)
		return grid{rows: rows, title: title}, nil
	}}
}

// addTruth draws the schedule's truth as a step line in the reference colour.
func addTruth(p *plot.Plot, label string, pts plotter.XYs) error {
	if len(pts) == 0 {
		return nil
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return err
	}
	l.StepStyle = plotter.MidStep
	l.Color = limitColor
	l.Width = vg.Points(1.5)
	l.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
	p.Add(l)
	if label != "" {
		p.Legend.Add(label, l)
	}
	return nil
}
