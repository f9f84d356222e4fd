package workloads

import (
	"math"
	"math/rand/v2"

	"github.com/syncbench/syncbench/impls"
)

// maxDeck is the most cards a kind deck holds: 16 KiB of kinds per worker, small
// enough to stay in L1 while it is dealt and reshuffled, large enough for any
// mix of percentages with one decimal (load=99.9,store=0.1 is 999:1).
const maxDeck = 1 << 14

// deckKinds are the op kinds a Mix's weights stand for, indexed like mixNames.
var deckKinds = [...]impls.OpKind{impls.OpRead, impls.OpWrite, impls.OpDelete}

// newKindDeck returns one unshuffled deck for m: each kind as many times as its
// share of the deck. When the weights are in a ratio of whole numbers with a
// sum of at most maxDeck (after dividing out their greatest common divisor and
// scaling decimals by up to 10⁶, so load=99,store=0.5,delete=0.5 is 198:1:1),
// the deck is exactly that ratio. Otherwise its maxDeck cards are apportioned by
// largest remainder, so each share is off by less than 1/maxDeck, and a kind
// whose share is below that may get no card. m must be valid.
func newKindDeck(m Mix) []impls.OpKind {
	counts := deckCounts(m.weights())
	var deck []impls.OpKind
	for i, n := range counts {
		for range n {
			deck = append(deck, deckKinds[i])
		}
	}
	return deck
}

// deckCounts turns weights into card counts: an exact integer ratio when one
// fits in maxDeck cards, else maxDeck cards by largest remainder.
func deckCounts(w [3]float64) [3]int {
	for scale := 1.0; scale <= 1e6; scale *= 10 {
		if c, ok := integerRatio(w, scale); ok {
			return c
		}
	}
	var sum float64
	for _, x := range w {
		sum += x
	}
	var c [3]int
	var rem [3]float64
	left := maxDeck
	for i, x := range w {
		exact := x / sum * maxDeck
		c[i] = int(exact)
		rem[i] = exact - float64(c[i])
		left -= c[i]
	}
	for ; left > 0; left-- {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		c[best]++
		rem[best] = -1
	}
	return c
}

// integerRatio reports whether every weight times scale is a whole number (to
// within float rounding) and, if so, those numbers divided by their greatest
// common divisor, provided they add up to at most maxDeck.
func integerRatio(w [3]float64, scale float64) ([3]int, bool) {
	var c [3]int
	g := 0
	for i, x := range w {
		y := x * scale
		r := math.Round(y)
		if r > maxDeck*1e6 || math.Abs(y-r) > 1e-9*max(1, y) {
			return c, false
		}
		c[i] = int(r)
		g = gcd(g, c[i])
	}
	if g == 0 {
		return c, false // every weight rounded to 0 at this scale
	}
	total := 0
	for i := range c {
		c[i] /= g
		total += c[i]
	}
	return c, total <= maxDeck
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// A kindPool is a run's shuffled copies of its deck, shared read-only by the
// workers: each dealer deals whole copies, one chosen at random per deck.
//
// Dealing sits on the closed loop's per-op path, next to primitives that take a
// few ns; reshuffling a deck per worker costs a random draw and a swap per card,
// more than the op loop itself. Shuffling poolCards cards once per run and
// picking one of the copies per deck costs one draw per deck: every deck still
// holds the mix exactly, and each is a uniformly random choice among the
// pool's uniformly random orders (at least minPool of them, 256 for small
// decks), which no workload can align with.
type kindPool struct {
	decks [][]impls.OpKind
}

// Pool sizes: poolCards cards in all (64 KiB, shared), between minPool and
// maxPool copies of the deck.
const (
	poolCards = 1 << 16
	minPool   = 8
	maxPool   = 256
)

// minRun is the fewest cards a pool entry holds: a small deck (50/50 is two
// cards) is shuffled ⌈minRun/len⌉ times over into one entry, each copy on its
// own, so every copy still holds the mix exactly while a loop deals whole runs
// of at least minRun ops per draw.
const minRun = 64

// newKindPool shuffles copies of deck (at least two cards) with a generator
// seeded from seed.
func newKindPool(deck []impls.OpKind, seed uint64) *kindPool {
	copies := (minRun + len(deck) - 1) / len(deck)
	n := min(max(poolCards/(copies*len(deck)), minPool), maxPool)
	rng := rand.New(rand.NewPCG(seed, 0x6B696E64)) // "kind"
	p := &kindPool{decks: make([][]impls.OpKind, n)}
	for i := range p.decks {
		var entry []impls.OpKind
		for range copies {
			d := append([]impls.OpKind(nil), deck...)
			rng.Shuffle(len(d), func(a, b int) { d[a], d[b] = d[b], d[a] })
			entry = append(entry, d...)
		}
		p.decks[i] = entry
	}
	return p
}

// kindDealer deals one worker's op kinds, deck by deck, from a shared pool. Not
// safe for concurrent use (each worker owns its dealer; the pool is read-only).
type kindDealer struct {
	pool *kindPool
	deck []impls.OpKind // the deck being dealt
	next int            // its next card
}

func newKindDealer(pool *kindPool) kindDealer { return kindDealer{pool: pool} }

// run deals the kinds of the next ops at once: at least one and at most max (≥ 1),
// the rest of the current deck (a new one, picked at random from the pool, when
// it has been dealt through). The slice is the pool's own: read only.
func (d *kindDealer) run(rng *rand.PCG, max int64) []impls.OpKind {
	if d.next >= len(d.deck) {
		// Multiply-shift on 32 random bits: biased by at most maxPool/2³².
		d.deck = d.pool.decks[(rng.Uint64()&0xFFFFFFFF)*uint64(len(d.pool.decks))>>32]
		d.next = 0
	}
	end := len(d.deck)
	if int64(end-d.next) > max {
		end = d.next + int(max)
	}
	k := d.deck[d.next:end]
	d.next = end
	return k
}
