package reports

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// isLimiterFamily says whether a family's implementations admit events at a
// configured rate, so their admitted rate is plotted against the limit.
func isLimiterFamily(family string) bool {
	return family == "limiters" || family == "redis"
}

// configuredLimit returns the limiter limit (events/s) a run was configured with:
// Params.Family["limit"], else Extras["limiter"]["limit"]. ok is false when neither
// holds a positive number.
func configuredLimit(r *result.Result) (limit float64, ok bool) {
	if s, found := r.Params.Family["limit"]; found {
		if v, err := strconv.ParseFloat(s, 64); err == nil && v > 0 {
			return v, true
		}
	}
	if v, found := extraNumber(r, "limiter", "limit"); found && v > 0 {
		return v, true
	}
	return 0, false
}

// extraNumber reads Extras[group][key] as a number. JSON decodes numbers into
// float64; a string holding a number is accepted too.
func extraNumber(r *result.Result, group, key string) (float64, bool) {
	v, ok := r.Extras[group][key]
	if !ok {
		return 0, false
	}
	return toNumber(v)
}

func toNumber(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, !math.IsNaN(v)
	case float32:
		return float64(v), true
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil
	}
	return 0, false
}

// admittedPoints returns run's admitted rate over time, in events/s at the
// middle of each bin: from the limiter's sub-second admission bins
// (Extras["limiter"]["admitted_bins"], 50 ms wide) when the result has them, else
// from the 1 s series. binNs is the resolution used.
func admittedPoints(run *result.Result) (pts plotter.XYs, binNs int64) {
	bins, _ := run.Extras[result.LimiterExtrasKey]["admitted_bins"].([]any)
	width, _ := extraNumber(run, result.LimiterExtrasKey, "admitted_bin_ns")
	if len(bins) > 0 && width > 0 {
		pts = make(plotter.XYs, 0, len(bins))
		for i, b := range bins {
			n, ok := toNumber(b)
			if !ok {
				continue
			}
			pts = append(pts, plotter.XY{X: (float64(i) + 0.5) * width / 1e9, Y: n / (width / 1e9)})
		}
		return finiteXYs(pts), int64(width)
	}
	pts = finiteXYs(seriesXY(measuredSeries(run), func(iv result.Interval) float64 { return iv.Admitted }, meanOf))
	if len(run.Series) > 0 {
		binNs = run.Series[0].DurationNs
	}
	return pts, binNs
}

// limiterFigure draws each implementation's admitted rate over time against the
// configured limit, as small multiples on one scale: a limiter that lets bursts
// through shows peaks above the line. The rate is drawn at the admission bins'
// resolution (50 ms), fine enough that a fixed window's burst at each window
// boundary shows as a spike where 1 s intervals would average it away.
func limiterFigure(name string, g *configGroup) figure {
	title := "Admitted rate vs configured limit — " + g.Family + ", " + groupLabel(g)
	cols := smallMultiplesCols(len(g.Cells))
	rowsOfTiles := (len(g.Cells) + cols - 1) / cols
	w := vg.Length(2.75*float64(cols)+1.2) * vg.Inch
	h := vg.Length(1.9*float64(rowsOfTiles)+0.6) * vg.Inch
	return figure{name: name, title: title, w: w, h: h, build: func() (drawable, error) {
		rows := make([][]*plot.Plot, rowsOfTiles)
		for j := range rows {
			rows[j] = make([]*plot.Plot, cols)
		}
		var tiles []*plot.Plot
		res := ""
		for k, c := range g.Cells {
			run := c.MedianRun()
			pts, binNs := admittedPoints(run)
			col, row := k%cols, k/cols
			yLabel, xLabel := "", ""
			if col == 0 {
				yLabel = "admitted/s"
			}
			if binNs > 0 && k == 0 {
				res = units.Trim(units.Duration(float64(binNs)))
			}
			if row == rowsOfTiles-1 || k+cols >= len(g.Cells) {
				xLabel = "time (s)"
			}
			p := newTile(c.Impl, xLabel, yLabel)
			p.Y.Tick.Marker = siTicks{}
			label := "admitted/s"
			if res != "" {
				label += " per " + res
			}
			if k > 0 {
				label = ""
			}
			if err := addLine(p, 0, label, pts); err != nil {
				return nil, err
			}
			if p.Legend.Left && label == "" {
				p.Legend = emptyLegend(p.Legend)
			}
			xmax := 0.0
			for _, pt := range pts {
				xmax = math.Max(xmax, pt.X)
			}
			if l, ok := configuredLimit(run); ok {
				if xmax == 0 {
					xmax = 1
				}
				ll := ""
				if k == 0 {
					ll = fmt.Sprintf("limit %s/s", units.Trim(formatRate(l)))
				}
				if err := addHLine(p, ll, l, 0, xmax, limitColor); err != nil {
					return nil, err
				}
				if k > 0 {
					p.Legend = emptyLegend(p.Legend)
				}
			}
			rows[row][col] = p
			tiles = append(tiles, p)
		}
		shareY(tiles, true)
		alignX(tiles...)
		return grid{rows: rows, title: title}, nil
	}}
}
