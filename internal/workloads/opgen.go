package workloads

import (
	"math/rand/v2"
	"slices"

	"github.com/syncbench/syncbench/impls"
)

// opGenerator builds the ops of one worker. It is owned by that worker and not safe
// for concurrent use; drawing from a per-worker PCG keeps op generation off any
// shared cache line.
//
// A closed loop of cheap ops calls it between primitives that take a few ns, so
// its common case (a mix of kinds, one weight, one key) is a card dealt from a
// deck into an op the loop keeps: fill changes only the fields that vary.
type opGenerator struct {
	// kinds deals the op kinds of the spec's mix; nil when the mix has a single
	// kind, which is then template.Kind on every op.
	kinds *kindDealer
	// sameKind is template.Kind sameRun times, what kindRun deals when the
	// mix has a single kind.
	sameKind []impls.OpKind
	// pcg is the worker's stream; rng wraps the same stream for the draws off
	// the common path (weights, keys).
	pcg      *rand.PCG
	rng      *rand.Rand
	template impls.Op
	weights  []int64
	nextKey  func() uint64
}

// newOpGenerator returns worker's generator for spec. pool is the run's shared
// kindPool (kindPoolFor); nil builds one for this generator alone.
func newOpGenerator(spec Spec, worker int, pool *kindPool) *opGenerator {
	seed := uint64(spec.Seed)*0x9E3779B97F4A7C15 + uint64(worker)
	pcg := rand.NewPCG(seed, uint64(worker)+1)
	g := &opGenerator{
		pcg:      pcg,
		rng:      rand.New(pcg),
		template: impls.Op{Worker: worker, Weight: 1, Hold: spec.Hold, Work: spec.Work},
		weights:  spec.Weights,
	}
	if kind, ok := singleKind(spec); ok {
		g.template.Kind = kind
		g.sameKind = slices.Repeat([]impls.OpKind{kind}, sameRun)
	} else {
		if pool == nil {
			pool = kindPoolFor(spec)
		}
		d := newKindDealer(pool)
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

// singleKind reports whether every op of spec has the same kind, and which.
func singleKind(spec Spec) (impls.OpKind, bool) {
	if k, ok := familyKind(spec.Family); ok {
		return k, true // the family's one kind of op; the mix does not apply
	}
	deck := newKindDeck(spec.OpMix())
	return deck[0], single(deck)
}

// kindPoolFor returns the shuffled decks a run of spec deals its op kinds from,
// shared by its workers; nil when every op has the same kind.
func kindPoolFor(spec Spec) *kindPool {
	if _, ok := singleKind(spec); ok {
		return nil
	}
	return newKindPool(newKindDeck(spec.OpMix()), uint64(spec.Seed))
}

// sameRun is how many ops of a single-kind spec kindRun deals at once: enough
// that a loop's per-run cost vanishes per op.
const sameRun = 256

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
	op.Kind = g.kindRun(1)[0]
	g.fillRare(&op)
	return op
}

// kindRun returns the kinds of the worker's next ops, at least one and at most
// max (≥ 1), for a loop that sets each op's Kind itself and calls fillRare when
// rare says so. The slice is the generator's own, valid until its next call.
func (g *opGenerator) kindRun(max int64) []impls.OpKind {
	if g.kinds == nil {
		return g.sameKind[:min(max, int64(len(g.sameKind)))]
	}
	return g.kinds.run(g.pcg, max)
}

// rare reports whether ops vary in more than their kind (weights or keys drawn
// per op): fillRare must then be called on each.
func (g *opGenerator) rare() bool { return g.weights != nil || g.nextKey != nil }

// fillRare draws the weight and key of op for specs that vary them, and does
// nothing otherwise.
func (g *opGenerator) fillRare(op *impls.Op) {
	if g.weights != nil {
		op.Weight = g.weights[g.rng.IntN(len(g.weights))]
	}
	if g.nextKey != nil {
		op.Key = g.nextKey()
	}
}

// familyKind is the one op kind of families whose ops are all alike: a limiter
// is asked to allow, a semaphore (or a pool, for an object) to acquire, a
// coalescer to read, a queue to take an item. Their ops carry that kind, so a
// result's per-kind split names what was measured rather than a read/write mix
// the target ignores.
func familyKind(family string) (impls.OpKind, bool) {
	switch family {
	case impls.FamilyLimiters:
		return impls.OpAllow, true
	case impls.FamilySemaphores, impls.FamilyPools:
		return impls.OpAcquire, true
	case impls.FamilyCoalescing:
		return impls.OpRead, true
	case impls.FamilyQueues:
		return impls.OpEnqueue, true
	}
	return 0, false
}
