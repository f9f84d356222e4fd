package reports

import (
	"math"
	"testing"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

func TestGroupCellsTreatsSeedsAsRepetitionsAndParamsAsCells(t *testing.T) {
	t.Parallel()
	a := makeCell(t, fixture{impl: "mutex", conc: 8, ops: 100, baseNs: 100, seed: 1}, 3) // seeds differ per rep
	b := makeCell(t, fixture{impl: "mutex", conc: 16, ops: 100, baseNs: 100, seed: 1}, 2)
	c := makeCell(t, fixture{impl: "atomic", conc: 8, ops: 100, baseNs: 100, seed: 1}, 1)
	// Shuffle repetitions so grouping must sort them.
	in := []*result.Result{a[2], b[0], c[0], a[0], b[1], a[1]}
	cells := GroupCells(in)
	if len(cells) != 3 {
		t.Fatalf("got %d cells, want 3", len(cells))
	}
	want := []struct {
		impl string
		conc int
		reps int
	}{{"atomic", 8, 1}, {"mutex", 8, 3}, {"mutex", 16, 2}}
	for i, w := range want {
		got := cells[i]
		if got.Impl != w.impl || got.Params.Concurrency != w.conc || len(got.Runs) != w.reps {
			t.Errorf("cell %d = %s conc=%d with %d runs, want %s conc=%d with %d", i, got.Impl, got.Params.Concurrency, len(got.Runs), w.impl, w.conc, w.reps)
		}
		for j, r := range got.Runs {
			if r.Repetition != j+1 {
				t.Errorf("cell %d run %d has repetition %d, want runs ordered by repetition", i, j, r.Repetition)
			}
		}
		if got.Params.Seed != 0 {
			t.Errorf("cell %d keeps seed %d; cells must ignore it", i, got.Params.Seed)
		}
	}
}

func TestSpreadOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		in            []float64
		med, min, max float64
		n             int
	}{
		{"an odd count has its middle value as median", []float64{3, 1, 2}, 2, 1, 3, 3},
		{"an even count averages the two middle values", []float64{4, 1, 3, 2}, 2.5, 1, 4, 4},
		{"one value is its own median and range", []float64{7}, 7, 7, 7, 1},
		{"NaNs are ignored", []float64{math.NaN(), 5, 1}, 3, 1, 5, 2},
		{"an outlier does not move the median much", []float64{10, 11, 12, 1000}, 11.5, 10, 1000, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := SpreadOf(tt.in)
			if s.Median != tt.med || s.Min != tt.min || s.Max != tt.max || s.N != tt.n {
				t.Errorf("SpreadOf(%v) = %+v, want median %v min %v max %v n %d", tt.in, s, tt.med, tt.min, tt.max, tt.n)
			}
		})
	}
	t.Run("an empty set has NaN fields and N 0", func(t *testing.T) {
		s := SpreadOf(nil)
		if s.N != 0 || !math.IsNaN(s.Median) {
			t.Errorf("SpreadOf(nil) = %+v", s)
		}
	})
}

func TestCellMedianIsTheMedianOfRepetitionsNotAnAverageOfPercentiles(t *testing.T) {
	t.Parallel()
	runs := makeCell(t, fixture{impl: "mutex", conc: 1, ops: 500, baseNs: 1000, seed: 3}, 3)
	runs[0].Latency.Response.P99 = 100
	runs[1].Latency.Response.P99 = 200
	runs[2].Latency.Response.P99 = 900
	c := GroupCells(runs)[0]
	s := c.Spread(func(r *result.Result) float64 { return float64(r.Latency.Response.P99) })
	if s.Median != 200 || s.Min != 100 || s.Max != 900 {
		t.Errorf("p99 spread = %+v, want median 200 (not the mean 400), range 100–900", s)
	}
}

func TestMergedResponseHoldsEveryRepetitionsOps(t *testing.T) {
	t.Parallel()
	runs := makeCell(t, fixture{impl: "mutex", conc: 1, ops: 300, intervals: 2, baseNs: 1000, seed: 3}, 4)
	c := GroupCells(runs)[0]
	if got, want := c.MergedResponse().TotalCount(), int64(4*600); got != want {
		t.Errorf("merged histogram holds %d ops, want %d", got, want)
	}
}

func TestSpreadFormat(t *testing.T) {
	t.Parallel()
	f := func(v float64) string { return units.Plain(v) }
	tests := []struct {
		name    string
		values  []float64
		want    string
		counted string
	}{
		{"no value prints as missing", nil, "-", "-"},
		{"one value prints alone", []float64{5}, "5", "5/s"},
		{"equal values print alone", []float64{5, 5}, "5", "5/s (5–5, 2 runs)"},
		{"a range prints after the median", []float64{3, 5, 4}, "4 (3–5)", "4/s (3–5, 3 runs)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := SpreadOf(tt.values)
			if got := s.Format(f); got != tt.want {
				t.Errorf("Format = %q, want %q", got, tt.want)
			}
			if got := s.FormatCounted(f, "/s"); got != tt.counted {
				t.Errorf("FormatCounted = %q, want %q", got, tt.counted)
			}
		})
	}
}
