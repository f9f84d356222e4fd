package workloads

import (
	"math"
	"math/rand/v2"

	"github.com/syncbench/syncbench/impls"
)

// opGenerator builds the ops of one worker. It is owned by that worker and not safe
// for concurrent use; drawing from a per-worker PCG keeps op generation off any
// shared cache line.
type opGenerator struct {
	// writeAbove: an op is a write when a uniform uint64 draw is at or above it,
	// an integer compare instead of a float draw on every op.
	writeAbove uint64
	rng        *rand.Rand
	template   impls.Op
	weights    []int64
	nextKey    func() uint64
}

func newOpGenerator(spec Spec, worker int) *opGenerator {
	seed := uint64(spec.Seed)*0x9E3779B97F4A7C15 + uint64(worker)
	g := &opGenerator{
		writeAbove: readThreshold(spec.ReadRatio),
		rng:        rand.New(rand.NewPCG(seed, uint64(worker)+1)),
		template:   impls.Op{Worker: worker, Weight: 1, Hold: spec.Hold, Work: spec.Work},
		weights:    spec.Weights,
	}
	if len(spec.Weights) == 1 {
		g.template.Weight = spec.Weights[0]
		g.weights = nil
	}
	if spec.Keys > 1 {
		if spec.NewKey != nil {
			g.nextKey = spec.NewKey(worker, seed)
		} else {
			keys := uint64(spec.Keys)
			g.nextKey = func() uint64 { return g.rng.Uint64N(keys) }
		}
	}
	return g
}

// next returns the worker's next op.
func (g *opGenerator) next() impls.Op {
	op := g.template
	switch g.writeAbove {
	case math.MaxUint64: // all reads
	case 0:
		op.Kind = impls.OpWrite
	default:
		if g.rng.Uint64() >= g.writeAbove {
			op.Kind = impls.OpWrite
		}
	}
	if g.weights != nil {
		op.Weight = g.weights[g.rng.IntN(len(g.weights))]
	}
	if g.nextKey != nil {
		op.Key = g.nextKey()
	}
	return op
}

// readThreshold maps a read ratio in [0,1] onto the uint64 range: draws below it
// are reads. 1 maps to MaxUint64, which next treats as "always read".
func readThreshold(ratio float64) uint64 {
	if ratio >= 1 {
		return math.MaxUint64
	}
	return uint64(ratio * (1 << 64))
}
