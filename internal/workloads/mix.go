package workloads

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/syncbench/syncbench/impls"
)

// Mix is the share of each op kind in a run, as relative weights: Load
// ([impls.OpRead]), Store ([impls.OpWrite]) and Delete ([impls.OpDelete]). Only
// the ratios matter, so {90, 5, 5} and {18, 1, 1} are the same mix. Weights must
// be finite and non-negative with a positive sum; the zero Mix means "not set",
// and the spec's ReadRatio decides (see Spec.OpMix).
//
// The names are the map ones because maps are where all three kinds differ; a
// lock reads on a load and writes on a store, and a family without items treats
// a delete as its default kind. "read" and "write" are accepted as aliases of
// "load" and "store".
//
// Each worker deals its kinds from a shuffled deck in which every kind appears in
// proportion to its weight (see newKindDeck), so over every whole deck the mix is
// exact, not a sample of it: load=90,store=5,delete=5 is exactly 18 loads, 1
// store and 1 delete in each 20 ops of every worker, in random order.
type Mix struct {
	Load, Store, Delete float64
}

// mixNames are the op kinds in the order Mix.String prints them.
var mixNames = [...]string{"load", "store", "delete"}

// mixAliases map the lock names onto the map ones.
var mixAliases = map[string]string{"read": "load", "write": "store"}

// ReadRatioMix is the mix that ReadRatio r is shorthand for: load=r, store=1−r.
func ReadRatioMix(r float64) Mix { return Mix{Load: r, Store: 1 - r} }

// ParseMix parses a comma-separated list of kind=weight pairs, such as
// "load=90,store=5,delete=5" (spaces around items are ignored). Kinds not listed
// weigh 0. The error names the bad item and what is allowed.
func ParseMix(s string) (Mix, error) {
	var m Mix
	seen := map[string]bool{}
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		name, weight, ok := strings.Cut(item, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return Mix{}, fmt.Errorf("mix %q: %q is not kind=weight (allowed: load, store and delete with a weight ≥ 0, e.g. load=90,store=5,delete=5)", s, item)
		}
		name = strings.ToLower(strings.TrimSpace(name))
		if alias, ok := mixAliases[name]; ok {
			name = alias
		}
		w, err := strconv.ParseFloat(strings.TrimSpace(weight), 64)
		if err != nil {
			return Mix{}, fmt.Errorf("mix %q: weight %q of %s is not a number (allowed: a finite weight ≥ 0)", s, strings.TrimSpace(weight), name)
		}
		if seen[name] {
			return Mix{}, fmt.Errorf("mix %q: %s is given twice (allowed: each kind once)", s, name)
		}
		seen[name] = true
		switch name {
		case "load":
			m.Load = w
		case "store":
			m.Store = w
		case "delete":
			m.Delete = w
		default:
			msg := fmt.Sprintf("mix %q: unknown op kind %q (allowed: load, store, delete; read and write are aliases of load and store)", s, name)
			if near := closest(name, append(mixNames[:], "read", "write")); near != "" {
				msg += fmt.Sprintf("; did you mean %q?", near)
			}
			return Mix{}, fmt.Errorf("%s", msg)
		}
	}
	if err := m.Validate(); err != nil {
		return Mix{}, fmt.Errorf("mix %q: %w", s, err)
	}
	return m, nil
}

// IsZero reports whether m is unset (every weight exactly 0).
func (m Mix) IsZero() bool { return m == Mix{} }

// weights returns the weights indexed like mixNames.
func (m Mix) weights() [3]float64 { return [3]float64{m.Load, m.Store, m.Delete} }

// Validate reports a weight that is negative, infinite or NaN, or a mix whose
// weights add up to zero, naming the value and what is allowed.
func (m Mix) Validate() error {
	var sum float64
	for i, w := range m.weights() {
		if w < 0 || math.IsInf(w, 0) || math.IsNaN(w) {
			return fmt.Errorf("%s weight %v is not allowed (allowed: a finite weight ≥ 0)", mixNames[i], w)
		}
		sum += w
	}
	if sum <= 0 {
		return fmt.Errorf("the weights add up to 0 (allowed: at least one positive weight)")
	}
	if math.IsInf(sum, 0) {
		return fmt.Errorf("the weights add up to more than a float64 holds (allowed: a finite sum)")
	}
	return nil
}

// Share returns kind's fraction of all ops in [0, 1]: OpRead for loads, OpWrite
// for stores, OpDelete for deletes, 0 for any other kind or an invalid mix.
func (m Mix) Share(kind impls.OpKind) float64 {
	w := m.weights()
	sum := w[0] + w[1] + w[2]
	if m.Validate() != nil {
		return 0
	}
	switch kind {
	case impls.OpRead:
		return w[0] / sum
	case impls.OpWrite:
		return w[1] / sum
	case impls.OpDelete:
		return w[2] / sum
	}
	return 0
}

// String returns the mix as ParseMix reads it, kinds of weight 0 left out
// ("load=90,store=5,delete=5"); "" for the zero Mix.
func (m Mix) String() string {
	var parts []string
	for i, w := range m.weights() {
		if w != 0 {
			parts = append(parts, mixNames[i]+"="+strconv.FormatFloat(w, 'g', -1, 64))
		}
	}
	return strings.Join(parts, ",")
}
