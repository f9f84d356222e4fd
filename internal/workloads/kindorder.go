package workloads

import "github.com/syncbench/syncbench/impls"

// KindOrder deals one worker's op kinds for a share of reads, in the order the
// driver's workers deal them (the shuffled decks of opGenerator, from the
// same seed): the public bench package places its writes with it, so that
// `go test -bench` and loadgen run the same sequence of kinds for a seed.
// Every n-th op a write (bench's placement before) lined the writes up with a
// goroutine's other periodic work and its batches; loadgen deals them at
// random positions, each deck holding the mix exactly. Not safe for
// concurrent use: each worker owns its order.
type KindOrder struct {
	gen  *opGenerator
	left []impls.OpKind
}

// NewKindOrder returns worker's order for a run whose ops are reads with
// probability readRatio (in [0, 1]) and writes otherwise, seeded like a
// loadgen run with -seed seed (Spec.Seed).
func NewKindOrder(readRatio float64, seed int64, worker int) *KindOrder {
	spec := DefaultSpec()
	spec.Mix, spec.Seed = ReadRatioMix(readRatio), seed
	return &KindOrder{gen: newOpGenerator(spec, worker, nil)}
}

// Next returns the kind of the worker's next op.
func (o *KindOrder) Next() impls.OpKind {
	if len(o.left) == 0 {
		o.left = o.gen.kindRun(maxDeck)
	}
	k := o.left[0]
	o.left = o.left[1:]
	return k
}
