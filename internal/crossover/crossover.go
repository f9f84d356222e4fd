// Package crossover finds where two implementations' order flips as one
// parameter varies: loadgen crossover. It decides which parameter values to
// probe and what the probes say; measuring a probe is the caller's (a
// MeasureFunc: both implementations in paired rounds across forks, compared
// by the verdicts' test), and so is printing the outcome.
//
// A probe at x gives A's advantage over B there (the ratio of their figures,
// oriented so that above 1 means A is better), its between-fork 95% interval,
// and whether the forks separate the two. Find measures both ends of the
// range. When the estimates lean the same way at both ends it probes a coarse
// grid between them; when no grid point leans the other way, A (or B) is
// ahead over the whole range, with its smallest margin. Otherwise it bisects
// the first bracket whose ends lean opposite ways, keeping the end that leans
// as the midpoint does, for at most Options.Steps probes, and stops early
// once both ends of the bracket are not separated (their intervals straddle
// 1: the forks cannot say more there) or, for an integer parameter, once the
// bracket is two neighbouring integers. The crossover is that bracket.
package crossover

import (
	"context"
	"math"
	"sort"
)

// Range is the varied parameter and the values it runs over.
type Range struct {
	// Name is the parameter's name ("read-ratio", "concurrency", ...).
	Name string
	// Lo < Hi bound the range.
	Lo, Hi float64
	// Integer parameters are probed at integers only.
	Integer bool
	// Log spaces the grid and the midpoints geometrically (Lo > 0): for
	// parameters such as concurrency or a key count, whose effects scale.
	Log bool
}

// Point is one probe: A's advantage over B at X.
type Point struct {
	X float64
	// Ratio is A's advantage (> 1: A better), the Hodges-Lehmann estimate
	// from the paired forks; Lo and Hi bound its 95% interval (0 and +Inf
	// when there are too few pairs for one).
	Ratio, Lo, Hi float64
	// Separated: the forks separate the two at p < 0.05, in the direction
	// Ratio leans.
	Separated bool
}

// Side says who is ahead.
type Side int

// The sides.
const (
	Neither Side = 0  // not separated
	A       Side = 1  // A is better
	B       Side = -1 // B is better
)

// lean is the side the estimate points to, separated or not (a ratio of
// exactly 1 counts as A's).
func (p Point) lean() Side {
	if p.Ratio >= 1 {
		return A
	}
	return B
}

// Side is who the forks put ahead at p: the side the estimate leans when
// they separate the two, else Neither.
func (p Point) Side() Side {
	if !p.Separated {
		return Neither
	}
	return p.lean()
}

// MeasureFunc measures the probe at x, the n-th (0-based) of the search. An
// error ends the search.
type MeasureFunc func(ctx context.Context, n int, x float64) (Point, error)

// Options bound a search.
type Options struct {
	// Steps is the most bisection probes after the ends (and the grid).
	Steps int
	// Grid is the number of points, ends included, probed when the two ends
	// lean the same way (at least 2; 2 probes the ends only).
	Grid int
}

// DefaultOptions are loadgen crossover's -steps and -grid defaults.
var DefaultOptions = Options{Steps: 5, Grid: 5}

// Kind is what a search found.
type Kind string

const (
	// Flip: the estimates lean opposite ways at the two ends of the
	// bracket [Outcome.Lo, Outcome.Hi].
	Flip Kind = "crossover"
	// WholeRange: every probe leans the same way (Outcome.Leader).
	WholeRange Kind = "whole-range"
	// NotSeparated: the estimates lean opposite ways somewhere, but the
	// forks separate neither implementation at any probe: there is no order
	// to flip. Lo and Hi are still the bracket the estimates give.
	NotSeparated Kind = "not-separated"
)

// Outcome is the result of a search.
type Outcome struct {
	Kind Kind
	// Lo and Hi bracket the crossover (Flip): adjacent probes whose
	// estimates lean opposite ways. Estimate is where the log ratio,
	// interpolated between them (on the parameter's scale), crosses 0.
	Lo, Hi, Estimate float64
	// Below and Above are who leads below and above the crossover (Flip),
	// by the estimates; SeparatedBelow and SeparatedAbove say whether the
	// forks separate that leader at some probe on its side.
	Below, Above                   Side
	SeparatedBelow, SeparatedAbove bool
	// Leader is who is ahead at every probe (WholeRange); AllSeparated says
	// whether the forks separate it at every probe, and Margin is the probe
	// where its advantage is smallest.
	Leader       Side
	AllSeparated bool
	Margin       Point
	// Flips counts the sign changes of the estimates along the probes in
	// order of X: more than 1 means the order flips back within the range
	// (the search followed the first).
	Flips int
	// Points are the probes in order of X; Probes is how many were made.
	Points []Point
	Probes int
	// Resolved says why the bisection stopped (Flip): "steps" (the -steps
	// budget ran out), "not separated" (both ends of the bracket are not
	// separated), "integer" (the bracket is two neighbouring integers).
	Resolved string
}

// Find searches r with measure. It returns what it found so far beside the
// first error.
func Find(ctx context.Context, r Range, opt Options, measure MeasureFunc) (Outcome, error) {
	s := &search{r: r, measure: measure}
	if err := s.probe(ctx, r.Lo); err != nil {
		return s.outcome(), err
	}
	if err := s.probe(ctx, r.Hi); err != nil {
		return s.outcome(), err
	}
	if s.points[0].lean() == s.points[1].lean() {
		for i := 1; i < opt.Grid-1; i++ {
			x := r.at(float64(i) / float64(opt.Grid-1))
			if s.has(x) {
				continue
			}
			if err := s.probe(ctx, x); err != nil {
				return s.outcome(), err
			}
		}
	}
	for step := 0; ; step++ {
		lo, hi, ok := s.bracket()
		if !ok {
			break
		}
		switch {
		case r.Integer && hi.X-lo.X <= 1:
			s.resolved = "integer"
		case !lo.Separated && !hi.Separated:
			s.resolved = "not separated"
		case step >= opt.Steps:
			s.resolved = "steps"
		}
		if s.resolved != "" {
			break
		}
		if err := s.probe(ctx, r.mid(lo.X, hi.X)); err != nil {
			return s.outcome(), err
		}
	}
	return s.outcome(), nil
}

type search struct {
	r        Range
	measure  MeasureFunc
	points   []Point // in order of X
	probes   int
	resolved string
}

func (s *search) has(x float64) bool {
	for _, p := range s.points {
		if p.X == x {
			return true
		}
	}
	return false
}

func (s *search) probe(ctx context.Context, x float64) error {
	p, err := s.measure(ctx, s.probes, x)
	s.probes++
	if err != nil {
		return err
	}
	p.X = x
	s.points = append(s.points, p)
	sort.SliceStable(s.points, func(i, j int) bool { return s.points[i].X < s.points[j].X })
	return nil
}

// bracket returns the first two neighbouring probes whose estimates lean
// opposite ways.
func (s *search) bracket() (lo, hi Point, ok bool) {
	for i := 1; i < len(s.points); i++ {
		if s.points[i-1].lean() != s.points[i].lean() {
			return s.points[i-1], s.points[i], true
		}
	}
	return Point{}, Point{}, false
}

func (s *search) outcome() Outcome {
	o := Outcome{Points: append([]Point(nil), s.points...), Probes: s.probes, Resolved: s.resolved}
	for i := 1; i < len(o.Points); i++ {
		if o.Points[i-1].lean() != o.Points[i].lean() {
			o.Flips++
		}
	}
	if len(o.Points) == 0 {
		return o
	}
	lo, hi, ok := s.bracket()
	if !ok {
		o.Kind, o.Leader, o.AllSeparated = WholeRange, o.Points[0].lean(), true
		o.Margin = o.Points[0]
		for _, p := range o.Points {
			o.AllSeparated = o.AllSeparated && p.Separated
			if math.Abs(math.Log(p.Ratio)) < math.Abs(math.Log(o.Margin.Ratio)) {
				o.Margin = p
			}
		}
		return o
	}
	o.Kind, o.Lo, o.Hi = Flip, lo.X, hi.X
	o.Below, o.Above = lo.lean(), hi.lean()
	for _, p := range o.Points {
		if p.X <= lo.X && p.Side() == o.Below {
			o.SeparatedBelow = true
		}
		if p.X >= hi.X && p.Side() == o.Above {
			o.SeparatedAbove = true
		}
	}
	o.Estimate = s.r.interpolate(lo, hi)
	if !o.SeparatedBelow && !o.SeparatedAbove {
		o.Kind = NotSeparated
	}
	return o
}

// at returns the point a fraction t of the way from Lo to Hi, on the
// range's scale, rounded to an integer for an integer parameter.
func (r Range) at(t float64) float64 {
	var x float64
	if r.Log && r.Lo > 0 {
		x = math.Exp(math.Log(r.Lo) + t*(math.Log(r.Hi)-math.Log(r.Lo)))
	} else {
		x = r.Lo + t*(r.Hi-r.Lo)
	}
	if r.Integer {
		x = math.Round(x)
	}
	return x
}

// mid returns the midpoint of lo < hi on the range's scale; for an integer
// parameter an integer strictly between them (the caller stops before they
// are neighbours).
func (r Range) mid(lo, hi float64) float64 {
	var m float64
	if r.Log && lo > 0 {
		m = math.Sqrt(lo * hi)
	} else {
		m = (lo + hi) / 2
	}
	if r.Integer {
		m = math.Min(math.Max(math.Round(m), lo+1), hi-1)
	}
	return m
}

// interpolate returns where the log ratio, linear between a and b on the
// range's scale, crosses 0.
func (r Range) interpolate(a, b Point) float64 {
	la, lb := math.Log(a.Ratio), math.Log(b.Ratio)
	if !(la-lb != 0) || math.IsInf(la, 0) || math.IsInf(lb, 0) || math.IsNaN(la) || math.IsNaN(lb) {
		return (a.X + b.X) / 2
	}
	t := la / (la - lb)
	if r.Log && a.X > 0 {
		return math.Exp(math.Log(a.X) + t*(math.Log(b.X)-math.Log(a.X)))
	}
	return a.X + t*(b.X-a.X)
}
