package trend

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Config tunes the change-point search. The zero Config is not valid; start
// from DefaultConfig.
type Config struct {
	// Alpha is the largest permutation p-value a change point may have, in
	// (0, 1). Smaller values raise fewer false alarms and need bigger steps.
	Alpha float64
	// Permutations is the number of random permutations each candidate is
	// tested against; the smallest p-value it can show is 1/(Permutations+1).
	Permutations int
	// MinSegment is the fewest points on either side of a change point, at
	// least 2: a change is a shift that lasts, not one odd point.
	MinSegment int
}

// DefaultConfig returns the settings whose power and false-alarm rate
// docs/trend.md reports: Alpha 0.01, 199 permutations, segments of at least 4
// points.
func DefaultConfig() Config {
	return Config{Alpha: 0.01, Permutations: 199, MinSegment: 4}
}

// Split is one change point found in a series.
type Split struct {
	// Index is the first point after the change: points [0, Index) of the
	// segment it split come before it.
	Index int
	// Q is the energy statistic q̂ at the split (dimensionless, ≥ 0).
	Q float64
	// P is its permutation p-value, in [1/(Permutations+1), Alpha].
	P float64
}

// ChangePoints returns the significant change points of series in index
// order. Points must be finite; NaN or ±Inf make the result meaningless. rng
// drives the permutations, so a seeded rng makes the result reproducible. It
// is safe to call concurrently with distinct rngs.
func ChangePoints(series []float64, cfg Config, rng *rand.Rand) []Split {
	if cfg.MinSegment < 2 {
		cfg.MinSegment = 2
	}
	var found []Split
	var scratch []float64
	var search func(lo, hi int)
	search = func(lo, hi int) {
		seg := series[lo:hi]
		if len(seg) < 2*cfg.MinSegment {
			return
		}
		at, q := bestSplit(seg, cfg.MinSegment, &scratch)
		if at < 0 {
			return
		}
		p := permutationP(seg, q, cfg, rng, &scratch)
		if p > cfg.Alpha {
			return
		}
		found = append(found, Split{Index: lo + at, Q: q, P: p})
		search(lo, lo+at)
		search(lo+at, hi)
	}
	search(0, len(series))
	slices.SortFunc(found, func(a, b Split) int { return a.Index - b.Index })
	return found
}

// bestSplit returns the split of z with the largest q̂ among those leaving at
// least minSeg points on each side, and that q̂; at is -1 when z is too short.
// It costs O(len(z)²): block sums of the distance matrix come from its 2-D
// prefix sums, kept in *scratch (grown as needed, reused across calls).
func bestSplit(z []float64, minSeg int, scratch *[]float64) (at int, q float64) {
	n := len(z)
	w := n + 1
	if cap(*scratch) < w*w {
		*scratch = make([]float64, w*w)
	}
	// prefix[i*w+j] = Σ_{i'<i, j'<j} |z[i'] − z[j']|; row and column 0 are 0.
	prefix := (*scratch)[:w*w]
	clear(prefix[:w])
	for i := 1; i <= n; i++ {
		prefix[i*w] = 0
		for j := 1; j <= n; j++ {
			prefix[i*w+j] = math.Abs(z[i-1]-z[j-1]) + prefix[(i-1)*w+j] + prefix[i*w+j-1] - prefix[(i-1)*w+j-1]
		}
	}
	block := func(r0, r1, c0, c1 int) float64 {
		return prefix[r1*w+c1] - prefix[r0*w+c1] - prefix[r1*w+c0] + prefix[r0*w+c0]
	}
	at, q = -1, math.Inf(-1)
	for tau := minSeg; tau <= n-minSeg; tau++ {
		m, k := float64(tau), float64(n-tau)
		cross := block(0, tau, tau, n)
		withinX := block(0, tau, 0, tau) / 2 // each pair counted twice
		withinY := block(tau, n, tau, n) / 2
		e := 2*cross/(m*k) - withinX/(m*(m-1)/2) - withinY/(k*(k-1)/2)
		if s := m * k / (m + k) * e; s > q {
			at, q = tau, s
		}
	}
	return at, q
}

// permutationP is the p-value of an observed best-split statistic q for z:
// the share of random orders of z (the observed one counted too) whose best
// split reaches q. Once so many orders have reached q that the p-value must
// exceed cfg.Alpha it stops and returns a value above Alpha: a rejected
// candidate's exact p-value is never reported, and in noise most are rejected
// after a few permutations.
func permutationP(z []float64, q float64, cfg Config, rng *rand.Rand, scratch *[]float64) float64 {
	perm := slices.Clone(z)
	reached := 1 // the observed order
	limit := cfg.Alpha * float64(cfg.Permutations+1)
	for range cfg.Permutations {
		rng.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		if _, s := bestSplit(perm, cfg.MinSegment, scratch); s >= q {
			reached++
			if float64(reached) > limit {
				break
			}
		}
	}
	return float64(reached) / float64(cfg.Permutations+1)
}
