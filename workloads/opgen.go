package workloads

import (
	"math/rand/v2"

	"github.com/syncbench/syncbench/impls"
)

// opGenerator builds the ops of one worker. It is owned by that worker and not safe
// for concurrent use; drawing from a per-worker PCG keeps op generation off any
// shared cache line.
type opGenerator struct {
	worker    int
	readRatio float64
	rng       *rand.Rand
	template  impls.Op
	weights   []int64
	nextKey   func() uint64
}

func newOpGenerator(spec Spec, worker int) *opGenerator {
	seed := uint64(spec.Seed)*0x9E3779B97F4A7C15 + uint64(worker)
	g := &opGenerator{
		worker:    worker,
		readRatio: spec.ReadRatio,
		rng:       rand.New(rand.NewPCG(seed, uint64(worker)+1)),
		template:  impls.Op{Worker: worker, Weight: 1, Hold: spec.Hold, Work: spec.Work},
		weights:   spec.Weights,
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
	switch g.readRatio {
	case 1:
		op.Kind = impls.OpRead
	case 0:
		op.Kind = impls.OpWrite
	default:
		if g.rng.Float64() >= g.readRatio {
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
