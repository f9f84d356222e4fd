package reports

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot/vg"

	"github.com/syncbench/syncbench/metrics"
)

// isLimiterFamily says whether a family's implementations admit events at a
// configured rate, so their admitted rate is plotted against the limit.
func isLimiterFamily(family string) bool {
	return family == "limiters" || family == "redis"
}

// configuredLimit returns the limiter limit (events/s) a run was configured with:
// Params.Family["limit"], else Extras["limiter"]["limit"]. ok is false when neither
// holds a positive number.
func configuredLimit(r *metrics.Result) (limit float64, ok bool) {
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
func extraNumber(r *metrics.Result, group, key string) (float64, bool) {
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

// limiterFigure draws each implementation's admitted rate over time against the
// configured limit: a limiter that lets bursts through shows peaks above the line.
func limiterFigure(name string, g *configGroup) figure {
	title := "Admitted rate vs configured limit — " + g.Family + ", " + configLabel(g.Workload, g.Params)
	return figure{name: name, title: title, w: 8 * vg.Inch, h: 5 * vg.Inch, build: func() (drawable, error) {
		p := newPlot(title, "time since start of measurement (s)", "admitted rate (events/s)")
		p.Y.Tick.Marker = siTicks{}
		p.X.Tick.Marker = plainTicks{}
		xmax := 0.0
		limit, haveLimit := 0.0, false
		for i, c := range g.Cells {
			run := c.MedianRun()
			pts := finiteXYs(seriesXY(run.Series, func(iv metrics.Interval) float64 { return iv.Admitted }, meanOf))
			if err := addLine(p, i, c.Impl, pts); err != nil {
				return nil, err
			}
			for _, pt := range pts {
				xmax = math.Max(xmax, pt.X)
			}
			if l, ok := configuredLimit(run); ok && !haveLimit {
				limit, haveLimit = l, true
			}
		}
		if haveLimit {
			if xmax == 0 {
				xmax = 1
			}
			if err := addHLine(p, fmt.Sprintf("limit %s/s", formatRate(limit)), limit, 0, xmax, limitColor); err != nil {
				return nil, err
			}
		}
		p.Y.Min = 0
		return p, nil
	}}
}
