package workloads

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

func TestParseMix(t *testing.T) {
	tests := []struct {
		in   string
		want Mix
	}{
		{"load=90,store=5,delete=5", Mix{90, 5, 5}},
		{"load=100", Mix{Load: 100}},
		{"load=99, store=0.5, delete=0.5", Mix{99, 0.5, 0.5}},
		{"delete=1,load=3", Mix{Load: 3, Delete: 1}},
		{"read=9,write=1", Mix{Load: 9, Store: 1}},
		{"LOAD=1,store=0", Mix{Load: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.in+" parses", func(t *testing.T) {
			got, err := ParseMix(tt.in)
			if err != nil || got != tt.want {
				t.Fatalf("ParseMix(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
			if again, err := ParseMix(got.String()); err != nil || again != got {
				t.Errorf("String %q does not parse back: %+v, %v", got.String(), again, err)
			}
		})
	}
}

func TestParseMixRejects(t *testing.T) {
	tests := []struct {
		in   string
		want []string // substrings of the error: the bad value and what is allowed
	}{
		{"", []string{`"" is not kind=weight`, "allowed: load, store and delete"}},
		{"load", []string{`"load" is not kind=weight`}},
		{"lod=90,store=10", []string{`unknown op kind "lod"`, "allowed: load, store, delete", `did you mean "load"?`}},
		{"insert=1", []string{`unknown op kind "insert"`, "allowed: load, store, delete"}},
		{"load=ninety", []string{`weight "ninety" of load is not a number`, "allowed: a finite weight ≥ 0"}},
		{"load=90,store=-5", []string{"store weight -5 is not allowed", "allowed: a finite weight ≥ 0"}},
		{"load=inf", []string{"load weight +Inf is not allowed"}},
		{"load=NaN", []string{"load weight NaN is not allowed"}},
		{"load=0,store=0", []string{"the weights add up to 0", "allowed: at least one positive weight"}},
		{"load=1e308,store=1e308", []string{"more than a float64 holds", "allowed: a finite sum"}},
		{"load=1,read=2", []string{"load is given twice", "allowed: each kind once"}},
	}
	for _, tt := range tests {
		t.Run(tt.in+" is refused", func(t *testing.T) {
			_, err := ParseMix(tt.in)
			if err == nil {
				t.Fatalf("ParseMix(%q) accepted it", tt.in)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func FuzzParseMix(f *testing.F) {
	for _, s := range []string{"load=90,store=5,delete=5", "read=1", "load=1e308,store=1e308", "load=-0", " , =", "delete=0x1p-1074"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMix(s)
		if err != nil {
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("ParseMix(%q) accepted an invalid mix %+v: %v", s, m, err)
		}
		deck := newKindDeck(m)
		if len(deck) == 0 || len(deck) > maxDeck {
			t.Fatalf("mix %+v deals a deck of %d cards, want 1 to %d", m, len(deck), maxDeck)
		}
	})
}

func TestSpecValidateNamesABadMix(t *testing.T) {
	s := DefaultSpec()
	s.Mix = Mix{Load: 1, Delete: -2}
	err := s.Validate()
	if err == nil || !strings.Contains(err.Error(), "delete weight -2 is not allowed") {
		t.Errorf("Validate = %v, want an error naming the negative delete weight", err)
	}
}

func TestOpMixFallsBackToReadRatio(t *testing.T) {
	s := DefaultSpec()
	s.ReadRatio = 0.25
	if got := s.OpMix(); got != (Mix{Load: 0.25, Store: 0.75}) {
		t.Errorf("OpMix with ReadRatio 0.25 = %+v, want load=0.25,store=0.75", got)
	}
	s.Mix = Mix{Load: 1, Delete: 1}
	if got := s.OpMix(); got != s.Mix {
		t.Errorf("OpMix with Mix set = %+v, want %+v", got, s.Mix)
	}
	if got := s.OpMix().Share(impls.OpDelete); got != 0.5 {
		t.Errorf("delete share = %v, want 0.5", got)
	}
}

func TestDeckCounts(t *testing.T) {
	tests := []struct {
		name string
		mix  Mix
		want [3]int
	}{
		{"xsync's 100% loads is one load card", Mix{Load: 100}, [3]int{1, 0, 0}},
		{"xsync's 99/0.5/0.5 is 198:1:1", Mix{99, 0.5, 0.5}, [3]int{198, 1, 1}},
		{"xsync's 90/5/5 is 18:1:1", Mix{90, 5, 5}, [3]int{18, 1, 1}},
		{"xsync's 75/12.5/12.5 is 6:1:1", Mix{75, 12.5, 12.5}, [3]int{6, 1, 1}},
		{"read ratio 0.9 is 9:1 despite 1-0.9 rounding", ReadRatioMix(0.9), [3]int{9, 1, 0}},
		{"read ratio 0 is all stores", ReadRatioMix(0), [3]int{0, 1, 0}},
		{"a ratio no decimal scale makes whole is apportioned over maxDeck cards", Mix{Load: 1, Store: 1.0 / 3}, [3]int{maxDeck * 3 / 4, maxDeck / 4, 0}},
		{"weights too small for any decimal scale still deal", Mix{Load: 1e-12, Store: 1e-12}, [3]int{maxDeck / 2, maxDeck / 2, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := deckCounts(tt.mix.weights())
			if got != tt.want {
				t.Errorf("deckCounts(%+v) = %v, want %v", tt.mix, got, tt.want)
			}
		})
	}
}

// TestGeneratorDealsTheMixExactly checks the op kinds of one worker over whole
// decks: exact counts, a seeded order that repeats, and a different order for
// another worker.
func TestGeneratorDealsTheMixExactly(t *testing.T) {
	spec := DefaultSpec()
	spec.Mix = Mix{90, 5, 5}
	spec.Keys = 1000
	kinds := func(worker int) []impls.OpKind {
		g := newOpGenerator(spec, worker, nil)
		out := make([]impls.OpKind, 20*50)
		for i := range out {
			out[i] = g.next().Kind
		}
		return out
	}
	a := kinds(0)
	for deck := range 50 {
		var n [impls.NumOpKinds]int
		for _, k := range a[deck*20 : deck*20+20] {
			n[k]++
		}
		if n[impls.OpRead] != 18 || n[impls.OpWrite] != 1 || n[impls.OpDelete] != 1 {
			t.Fatalf("deck %d holds %d loads, %d stores, %d deletes; want 18, 1, 1", deck, n[impls.OpRead], n[impls.OpWrite], n[impls.OpDelete])
		}
	}
	if !slices.Equal(a, kinds(0)) {
		t.Error("the same seed and worker dealt a different order")
	}
	if slices.Equal(a, kinds(1)) {
		t.Error("worker 1 dealt the same order as worker 0")
	}
	if slices.Equal(a[:20], a[20:40]) && slices.Equal(a[20:40], a[40:60]) {
		t.Error("the deck is not reshuffled between deals")
	}
}

// kindCounter answers at once and counts the ops of each kind.
type kindCounter struct {
	n [impls.NumOpKinds]atomic.Int64
}

func (c *kindCounter) Do(_ context.Context, op impls.Op) impls.Outcome {
	c.n[op.Kind].Add(1)
	return impls.OK
}
func (c *kindCounter) Verify() error { return nil }
func (c *kindCounter) Close() error  { return nil }

func TestSeededRunAppliesTheMixExactly(t *testing.T) {
	for _, tt := range []struct {
		mix                   string
		loads, stores, delete int64
	}{
		{"load=90,store=5,delete=5", 3600, 200, 200},
		{"load=75,store=12.5,delete=12.5", 3000, 500, 500},
		{"load=99,store=0.5,delete=0.5", 3960, 20, 20},
	} {
		t.Run(tt.mix+" over 4000 ops of 2 workers", func(t *testing.T) {
			mix, err := ParseMix(tt.mix)
			if err != nil {
				t.Fatal(err)
			}
			spec := DefaultSpec()
			// MaxOps, not the clock, ends the run: 2000 ops per worker, 10 whole
			// decks of 200 (the largest deck here).
			spec.Concurrency, spec.Warmup, spec.Duration, spec.MaxOps = 2, 0, time.Minute, 4000
			spec.Mix, spec.Keys = mix, 1000
			target := &kindCounter{}
			run, err := Drive(context.Background(), target, spec, Hooks{})
			if err != nil {
				t.Fatal(err)
			}
			if got := run.Totals.Completed(); got != 4000 {
				t.Fatalf("completed %d ops, want 4000", got)
			}
			got := [3]int64{target.n[impls.OpRead].Load(), target.n[impls.OpWrite].Load(), target.n[impls.OpDelete].Load()}
			if want := [3]int64{tt.loads, tt.stores, tt.delete}; got != want {
				t.Errorf("loads, stores, deletes = %v, want %v", got, want)
			}
		})
	}
}

func TestScenarioMixWeights(t *testing.T) {
	phase := "phases: [{duration: 1s}]\n"
	s, err := ParseScenario("churn.yaml", []byte("mix: {load: 90, store: 5, delete: 5}\n"+phase))
	if err != nil {
		t.Fatal(err)
	}
	if s.Mix == nil || *s.Mix != (Mix{90, 5, 5}) || s.ReadRatio != nil {
		t.Errorf("load/store/delete weights gave mix %v, read ratio %v; want the mix 90/5/5 and no read ratio", s.Mix, s.ReadRatio)
	}
	s, err = ParseScenario("locks.yaml", []byte("mix: {read: 3, write: 1}\n"+phase))
	if err != nil {
		t.Fatal(err)
	}
	if s.Mix != nil || s.ReadRatio == nil || *s.ReadRatio != 0.75 {
		t.Errorf("read/write weights gave mix %v, read ratio %v; want no mix and 0.75, as before mixes existed", s.Mix, s.ReadRatio)
	}
}
