package trend

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/syncbench/syncbench/internal/units"
)

// Report is what `loadgen trend` writes as JSON: the settings and every
// series' change points.
type Report struct {
	Alpha        float64 `json:"alpha"`
	Permutations int     `json:"permutations"`
	MinSegment   int     `json:"min_segment"`
	// ThresholdPct is the smallest change, in percent, that counts as a
	// regression.
	ThresholdPct float64        `json:"threshold_pct"`
	Commits      int            `json:"commits"`
	Series       []SeriesReport `json:"series"`
	// Regressions names the series whose newest change point is a regression.
	Regressions []string `json:"regressions"`
}

// SeriesReport is one series in a Report.
type SeriesReport struct {
	Name           string        `json:"name"`
	Unit           string        `json:"unit"`
	BiggerIsBetter bool          `json:"bigger_is_better"`
	Points         int           `json:"points"`
	ChangePoints   []PointReport `json:"change_points"`
	// Plot is the file the series was drawn to, relative to the markdown;
	// empty when not drawn.
	Plot string `json:"plot,omitempty"`
}

// PointReport is one change point in a Report.
type PointReport struct {
	Commit   string  `json:"commit"`
	Previous string  `json:"previous"`
	Index    int     `json:"index"`
	P        float64 `json:"p"`
	Before   float64 `json:"before"`
	After    float64 `json:"after"`
	// ChangePct is After/Before − 1 in percent, with its 95% bootstrap
	// interval [LoPct, HiPct]; null when Before is 0.
	ChangePct  *float64 `json:"change_pct"`
	LoPct      *float64 `json:"lo_pct"`
	HiPct      *float64 `json:"hi_pct"`
	Regression bool     `json:"regression"`
}

// NewReport builds the report of findings over a history of commits.
func NewReport(findings []Finding, cfg Config, threshold float64, commits int) Report {
	r := Report{Alpha: cfg.Alpha, Permutations: cfg.Permutations, MinSegment: cfg.MinSegment,
		ThresholdPct: threshold * 100, Commits: commits, Series: []SeriesReport{}, Regressions: []string{}}
	for _, f := range findings {
		s := SeriesReport{Name: f.Series.Name, Unit: f.Series.Unit, BiggerIsBetter: f.Series.BiggerIsBetter,
			Points: len(f.Series.Values), ChangePoints: []PointReport{}}
		for _, p := range f.Points {
			s.ChangePoints = append(s.ChangePoints, PointReport{Commit: p.Commit, Previous: p.Previous, Index: p.Index,
				P: p.P, Before: p.Before, After: p.After, ChangePct: pct(p.Ratio), LoPct: pct(p.Lo), HiPct: pct(p.Hi),
				Regression: p.Regression})
		}
		if n := f.Newest(); n != nil && n.Regression {
			r.Regressions = append(r.Regressions, f.Series.Name)
		}
		r.Series = append(r.Series, s)
	}
	return r
}

func pct(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	p := v * 100
	return &p
}

// WriteJSON writes r as indented JSON.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteMarkdown writes r as markdown: a verdict line, then one row per change
// point, then the plots of the series that have change points.
func (r Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Trend over %d commits\n\n", r.Commits)
	changed := 0
	for _, s := range r.Series {
		if len(s.ChangePoints) > 0 {
			changed++
		}
	}
	switch {
	case len(r.Regressions) > 0:
		fmt.Fprintf(&b, "**Regression**: the newest change point of %d series is a slowdown beyond %s: %s.\n\n",
			len(r.Regressions), units.Percent(r.ThresholdPct), strings.Join(r.Regressions, ", "))
	case changed > 0:
		fmt.Fprintf(&b, "No regression at the newest change point of any series; %d of %d series changed somewhere in the history.\n\n", changed, len(r.Series))
	default:
		fmt.Fprintf(&b, "No change point in any of %d series.\n\n", len(r.Series))
	}
	fmt.Fprintf(&b, "E-divisive means, permutation test (%d permutations, p ≤ %v), segments of at least %d commits; "+
		"a change is its segments' medians, with a 95%% bootstrap interval. Confirm one with `scripts/confirm.sh PREVIOUS COMMIT`.\n\n",
		r.Permutations, r.Alpha, r.MinSegment)
	if changed > 0 {
		b.WriteString("| series | first commit after | before → after | change [95% interval] | p | verdict |\n|---|---|---|---|---|---|\n")
		for _, s := range r.Series {
			for _, p := range s.ChangePoints {
				verdict := "change"
				if p.Regression {
					verdict = "**regression**"
				} else if improved(s.BiggerIsBetter, p) {
					verdict = "improvement"
				}
				fmt.Fprintf(&b, "| %s | `%s` | %s → %s | %s | %.3f | %s |\n", s.Name, short(p.Commit),
					valueText(p.Before, s.Unit), valueText(p.After, s.Unit), intervalText(p), p.P, verdict)
			}
		}
		b.WriteString("\n")
		for _, s := range r.Series {
			if s.Plot != "" {
				fmt.Fprintf(&b, "![%s](%s)\n\n", s.Name, s.Plot)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// improved says whether change point p moved the figure the better way.
func improved(biggerIsBetter bool, p PointReport) bool {
	if p.ChangePct == nil {
		return false
	}
	return (*p.ChangePct > 0) == biggerIsBetter
}

func intervalText(p PointReport) string {
	if p.ChangePct == nil {
		return "n/a (the figure before was 0)"
	}
	return fmt.Sprintf("%s [%s, %s]", units.SignedPercent(*p.ChangePct), units.SignedPercent(*p.LoPct), units.SignedPercent(*p.HiPct))
}

// valueText prints a figure in its unit: times as durations (benchfmt's
// sec/op, loadgen's ns), anything else as a number and its unit.
func valueText(v float64, unit string) string {
	switch {
	case unit == "ns":
		return units.Duration(v)
	case unit == "sec/op":
		return units.Duration(v*1e9) + "/op"
	case strings.HasSuffix(unit, "-sec/op"): // cpu-sec/op
		return units.Duration(v*1e9) + " " + strings.TrimSuffix(unit, "-sec/op") + "/op"
	}
	return units.Number(v) + " " + unit
}

// short abbreviates a commit hash to 12 characters; other names are kept.
func short(id string) string {
	if len(id) == 40 && strings.Trim(id, "0123456789abcdef") == "" {
		return id[:12]
	}
	return id
}
