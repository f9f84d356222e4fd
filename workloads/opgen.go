package workloads

import (
	"math/rand/v2"

	"github.com/syncbench/syncbench/impls"
)

// opGenerator builds the ops of one worker. It is owned by that worker and not safe
// for concurrent use; drawing from a per-worker PCG keeps op generation off any
// shared cache line.
type opGenerator struct {
	// kinds deals the op kinds of the spec's mix; nil when the mix has a single
	// kind, which is then template.Kind on every op.
	kinds    *kindDealer
	rng      *rand.Rand
	template impls.Op
	weights  []int64
	nextKey  func() uint64
}

func newOpGenerator(spec Spec, worker int) *opGenerator {
	seed := uint64(spec.Seed)*0x9E3779B97F4A7C15 + uint64(worker)
	g := &opGenerator{
		rng:      rand.New(rand.NewPCG(seed, uint64(worker)+1)),
		template: impls.Op{Worker: worker, Weight: 1, Hold: spec.Hold, Work: spec.Work},
		weights:  spec.Weights,
	}
	deck := newKindDeck(spec.OpMix())
	if k, ok := familyKind(spec.Family); ok {
		g.template.Kind = k // the family's one kind of op; the mix does not apply
	} else if single(deck) {
		g.template.Kind = deck[0]
	} else {
		d := newKindDealer(deck)
		g.kinds = &d
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

// single reports whether every card of deck is the same kind.
func single(deck []impls.OpKind) bool {
	for _, k := range deck {
		if k != deck[0] {
			return false
		}
	}
	return true
}

// next returns the worker's next op.
func (g *opGenerator) next() impls.Op {
	op := g.template
	if g.kinds != nil {
		op.Kind = g.kinds.deal(g.rng)
	}
	if g.weights != nil {
		op.Weight = g.weights[g.rng.IntN(len(g.weights))]
	}
	if g.nextKey != nil {
		op.Key = g.nextKey()
	}
	return op
}

// familyKind is the one op kind of families whose ops are all alike: a limiter
// is asked to allow, a semaphore to acquire. Their ops carry that kind, so a
// result's per-kind split names what was measured rather than a read/write mix
// the target ignores.
func familyKind(family string) (impls.OpKind, bool) {
	switch family {
	case impls.FamilyLimiters:
		return impls.OpAllow, true
	case impls.FamilySemaphores:
		return impls.OpAcquire, true
	}
	return 0, false
}
