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

// kindDealer deals one worker's op kinds from its own copy of the deck,
// reshuffling it (Fisher–Yates, from the worker's seeded generator) each time it
// has been dealt through. Not safe for concurrent use.
type kindDealer struct {
	cards []impls.OpKind
	next  int
}

func newKindDealer(deck []impls.OpKind) kindDealer {
	cards := append([]impls.OpKind(nil), deck...)
	return kindDealer{cards: cards, next: len(cards)}
}

// deal returns the next kind.
func (d *kindDealer) deal(rng *rand.Rand) impls.OpKind {
	if d.next == len(d.cards) {
		for i := len(d.cards) - 1; i > 0; i-- {
			j := rng.IntN(i + 1)
			d.cards[i], d.cards[j] = d.cards[j], d.cards[i]
		}
		d.next = 0
	}
	k := d.cards[d.next]
	d.next++
	return k
}
