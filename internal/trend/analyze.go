package trend

import (
	"math/rand/v2"
	"slices"
)

// Series is one benchmark's figure across a history, oldest first.
type Series struct {
	Name           string
	Unit           string
	BiggerIsBetter bool
	// Commits and Values are parallel: Values[i] was measured at Commits[i].
	// A commit that lacks the benchmark is not in the series.
	Commits []string
	Values  []float64
}

// SeriesOf gathers the series of commits, in order of first appearance.
func SeriesOf(commits []Commit) []Series {
	index := map[[2]string]int{}
	var all []Series
	for _, c := range commits {
		for _, b := range c.Benches {
			k := [2]string{b.Name, b.Unit}
			i, ok := index[k]
			if !ok {
				i = len(all)
				index[k] = i
				all = append(all, Series{Name: b.Name, Unit: b.Unit, BiggerIsBetter: b.BiggerIsBetter})
			}
			all[i].Commits = append(all[i].Commits, c.ID)
			all[i].Values = append(all[i].Values, b.Value)
		}
	}
	return all
}

// Point is one change point of a series, with its size.
type Point struct {
	Split
	// Commit is the first commit after the change; Previous the last before.
	Commit, Previous string
	Change
	// Regression is set when the change made the figure worse by more than
	// the threshold Analyze was given, in the direction the series improves.
	Regression bool
}

// Finding is the change points of one series.
type Finding struct {
	Series Series
	Points []Point
}

// Newest returns the newest change point, or nil when there is none.
func (f Finding) Newest() *Point {
	if len(f.Points) == 0 {
		return nil
	}
	return &f.Points[len(f.Points)-1]
}

// Analyze finds the change points of every series with cfg. A change point is
// a regression when the figure moved the wrong way by more than threshold (a
// fraction: 0.05 is 5%) and its whole interval lies beyond zero. seed makes
// the permutations and bootstraps reproducible.
func Analyze(series []Series, cfg Config, threshold float64, seed uint64) []Finding {
	findings := make([]Finding, 0, len(series))
	for i, s := range series {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		f := Finding{Series: s}
		splits := ChangePoints(s.Values, cfg, rng)
		bounds := append(append([]int{0}, indexes(splits)...), len(s.Values))
		for j, sp := range splits {
			before := s.Values[bounds[j]:sp.Index]
			after := s.Values[sp.Index:bounds[j+2]]
			p := Point{Split: sp, Commit: s.Commits[sp.Index], Previous: s.Commits[sp.Index-1], Change: measure(before, after, rng)}
			p.Regression = worse(p.Change, s.BiggerIsBetter, threshold)
			f.Points = append(f.Points, p)
		}
		findings = append(findings, f)
	}
	return findings
}

// worse says whether change c is a regression beyond threshold.
func worse(c Change, biggerIsBetter bool, threshold float64) bool {
	if biggerIsBetter {
		return c.Ratio < -threshold && c.Hi < 0
	}
	return c.Ratio > threshold && c.Lo > 0
}

func indexes(splits []Split) []int {
	out := make([]int, len(splits))
	for i, s := range splits {
		out[i] = s.Index
	}
	return slices.Clip(out)
}
