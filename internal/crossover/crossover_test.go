package crossover

import (
	"context"
	"errors"
	"math"
	"testing"
)

// fake returns a MeasureFunc for the ratio f(x) with a 95% interval of
// ratio·e^(±w), separated when that interval excludes 1, and records the
// probed x.
func fake(f func(x float64) float64, w float64, probed *[]float64) MeasureFunc {
	return func(_ context.Context, n int, x float64) (Point, error) {
		if n != len(*probed) {
			return Point{}, errors.New("probe numbers out of order")
		}
		*probed = append(*probed, x)
		r := f(x)
		lo, hi := r*math.Exp(-w), r*math.Exp(w)
		return Point{Ratio: r, Lo: lo, Hi: hi, Separated: lo > 1 || hi < 1}, nil
	}
}

// rwmutexLike is mutex's advantage over rwmutex: 2× with no reads, its log
// falling linearly to 1 at read ratio 0.7 and below 1 beyond.
func rwmutexLike(x float64) float64 { return math.Exp(math.Log(2) * (0.7 - x) / 0.7) }

func boolF(c bool, a, b float64) float64 {
	if c {
		return a
	}
	return b
}

func TestFindsTheFlipOfAMonotoneRatio(t *testing.T) {
	t.Parallel()
	var probed []float64
	o, err := Find(context.Background(), Range{Name: "read-ratio", Lo: 0, Hi: 1}, Options{Steps: 5, Grid: 5}, fake(rwmutexLike, 0.01, &probed))
	if err != nil {
		t.Fatal(err)
	}
	if o.Kind != Flip || o.Below != A || o.Above != B || !o.SeparatedBelow || !o.SeparatedAbove {
		t.Fatalf("outcome %+v; want a flip from A to B, both separated", o)
	}
	// Ends, then 5 midpoints: 0.5, 0.75, 0.625, 0.6875, 0.71875.
	want := []float64{0, 1, 0.5, 0.75, 0.625, 0.6875, 0.71875}
	if len(probed) != len(want) || o.Probes != len(want) {
		t.Fatalf("probed %v; want %v", probed, want)
	}
	for i := range want {
		if probed[i] != want[i] {
			t.Fatalf("probed %v; want %v", probed, want)
		}
	}
	if o.Lo != 0.6875 || o.Hi != 0.71875 || o.Resolved != "steps" || o.Flips != 1 {
		t.Errorf("bracket [%v, %v] resolved %q flips %d; want [0.6875, 0.71875] by steps, 1 flip", o.Lo, o.Hi, o.Resolved, o.Flips)
	}
	if math.Abs(o.Estimate-0.7) > 1e-9 {
		t.Errorf("estimate %v; want 0.7 (the log ratio is linear on the bracket)", o.Estimate)
	}
}

func TestReportsTheWholeRangeWhenNothingFlips(t *testing.T) {
	t.Parallel()
	var probed []float64
	ratio := func(x float64) float64 { return 1.5 - 0.4*x*(1-x) } // smallest, 1.4, at 0.5
	o, err := Find(context.Background(), Range{Name: "read-ratio", Lo: 0, Hi: 1}, Options{Steps: 5, Grid: 5}, fake(ratio, 0.05, &probed))
	if err != nil {
		t.Fatal(err)
	}
	if o.Kind != WholeRange || o.Leader != A || !o.AllSeparated || o.Flips != 0 {
		t.Fatalf("outcome %+v; want A over the whole range, separated everywhere", o)
	}
	if len(probed) != 5 || o.Margin.X != 0.5 || math.Abs(o.Margin.Ratio-1.4) > 1e-12 {
		t.Errorf("probed %v, margin %+v; want the ends and 3 grid points, the smallest margin 1.4× at 0.5", probed, o.Margin)
	}
}

func TestBLeadingEverywhereIsTheWholeRangeToo(t *testing.T) {
	t.Parallel()
	var probed []float64
	o, _ := Find(context.Background(), Range{Name: "keys", Lo: 1, Hi: 1000, Integer: true, Log: true}, Options{Steps: 5, Grid: 4},
		fake(func(x float64) float64 { return 0.5 }, 0.01, &probed))
	if o.Kind != WholeRange || o.Leader != B {
		t.Fatalf("outcome %+v; want B over the whole range", o)
	}
	// A log grid of 4 points on 1..1000 is 1, 10, 100, 1000.
	if want := []float64{1, 1000, 10, 100}; len(probed) != 4 || probed[2] != want[2] || probed[3] != want[3] {
		t.Errorf("probed %v; want %v", probed, want)
	}
}

func TestStopsInATieBand(t *testing.T) {
	t.Parallel()
	// Separated below 0.3 and above 0.7; between them the interval
	// (±0.5 in log units) straddles 1.
	var probed []float64
	ratio := func(x float64) float64 { return math.Exp(1.0 * (0.5 - x) * 4) } // log ratio 2 at 0, -2 at 1
	o, err := Find(context.Background(), Range{Name: "read-ratio", Lo: 0, Hi: 1}, Options{Steps: 10, Grid: 5}, fake(ratio, 0.81, &probed))
	if err != nil {
		t.Fatal(err)
	}
	if o.Kind != Flip || o.Resolved != "not separated" {
		t.Fatalf("outcome %+v; want a flip resolved by the tie band", o)
	}
	// 0 and 1 separate; 0.5 leans A (ratio exactly 1) unseparated, 0.75
	// leans B and is separated (log −1), 0.625 leans B unseparated: the
	// bracket [0.5, 0.625] has both ends in the tie band.
	if o.Lo != 0.5 || o.Hi != 0.625 || len(probed) != 5 {
		t.Errorf("bracket [%v, %v] after %v; want [0.5, 0.625] after 5 probes", o.Lo, o.Hi, probed)
	}
	if !o.SeparatedBelow || !o.SeparatedAbove {
		t.Errorf("outcome %+v; want both sides separated at some probe", o)
	}
}

func TestBothEndsTiedStopsAtOnce(t *testing.T) {
	t.Parallel()
	var probed []float64
	o, _ := Find(context.Background(), Range{Name: "read-ratio", Lo: 0, Hi: 1}, DefaultOptions,
		fake(func(x float64) float64 { return 1.02 - 0.04*x }, 0.5, &probed))
	if o.Kind != NotSeparated || o.Resolved != "not separated" || len(probed) != 2 || o.SeparatedBelow || o.SeparatedAbove {
		t.Errorf("outcome %+v after %v; want a flip of the estimates that nothing separates, after the two ends", o, probed)
	}
}

func TestIntegerParametersBisectOnIntegers(t *testing.T) {
	t.Parallel()
	var probed []float64
	// A ahead up to 5 workers, B from 6.
	o, _ := Find(context.Background(), Range{Name: "concurrency", Lo: 1, Hi: 64, Integer: true}, Options{Steps: 20, Grid: 5},
		fake(func(x float64) float64 { return boolF(x <= 5, 1.5, 0.7) }, 0.01, &probed))
	for _, x := range probed {
		if x != math.Round(x) {
			t.Fatalf("probed %v: not every point is an integer", probed)
		}
	}
	if o.Kind != Flip || o.Lo != 5 || o.Hi != 6 || o.Resolved != "integer" {
		t.Errorf("outcome %+v after %v; want the bracket [5, 6], resolved on integers", o, probed)
	}
}

func TestAFlipInsideTheGridIsBisected(t *testing.T) {
	t.Parallel()
	var probed []float64
	// B ahead only in the middle: both ends lean A, so the grid finds the flip.
	o, _ := Find(context.Background(), Range{Name: "read-ratio", Lo: 0, Hi: 1}, Options{Steps: 2, Grid: 5},
		fake(func(x float64) float64 { return boolF(x > 0.4 && x < 0.6, 0.5, 2) }, 0.01, &probed))
	if o.Kind != Flip || o.Flips != 2 || o.Below != A || o.Above != B {
		t.Fatalf("outcome %+v after %v; want the first flip (A to B) and two flips in all", o, probed)
	}
	if o.Lo != 0.375 || o.Hi != 0.4375 || len(probed) != 7 {
		t.Errorf("bracket [%v, %v] after %v; want [0.375, 0.4375] (the flip is at 0.4) after the 5 grid probes and 2 steps", o.Lo, o.Hi, probed)
	}
}

func TestAMeasureErrorEndsTheSearch(t *testing.T) {
	t.Parallel()
	boom := errors.New("fork failed")
	o, err := Find(context.Background(), Range{Name: "read-ratio", Lo: 0, Hi: 1}, DefaultOptions,
		func(_ context.Context, n int, x float64) (Point, error) {
			if n == 1 {
				return Point{}, boom
			}
			return Point{Ratio: 2, Lo: 1.5, Hi: 2.5, Separated: true}, nil
		})
	if !errors.Is(err, boom) || o.Probes != 2 || len(o.Points) != 1 {
		t.Errorf("err %v, outcome %+v; want the measure's error after one kept probe of two", err, o)
	}
}
