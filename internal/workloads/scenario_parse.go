package workloads

// The YAML walker of scenario files: ParseScenario and the scenarioParser that
// checks every value where it stands, so each error carries its position. The
// types it fills are in scenario.go.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
	"go.yaml.in/yaml/v3"
)

// Keys accepted at each level of a scenario, in the order error messages list them.
var (
	scenarioKeys = []string{"description", "impl", "seed", "warmup", "mix", "keys", "zipf", "work", "hold", "think", "params", "thresholds", "phases"}
	phaseKeys    = []string{"name", "arrival", "rate", "concurrency", "duration", "ramp-from", "ramp-to", "ramp-over", "stages", "amplitude", "period", "burst-on", "burst-off", "replay"}
	paramKeys    = []string{"limit", "burst", "window", "mode", "capacity", "weights", "timeout", "key-ttl", "shared-ratio"}
	mixKeys      = []string{"read", "write", "load", "store", "delete"}
	modes        = []string{"allow", "wait", "acquire", "try"}
	// shapeKeys maps each shape key to the one arrival it applies to.
	shapeKeys = map[string]string{
		"ramp-from": ArrivalRamp, "ramp-to": ArrivalRamp, "ramp-over": ArrivalRamp,
		"stages": ArrivalStep, "amplitude": ArrivalSine, "period": ArrivalSine,
		"burst-on": ArrivalBurst, "burst-off": ArrivalBurst, "replay": ArrivalReplay,
	}
)

// arrivalClosed is the arrival name a phase may give to say "closed loop".
const arrivalClosed = "closed"

// ParseScenario parses a scenario from data; name is the file name used in errors
// and to resolve relative replay paths. Unknown keys, wrong types and impossible
// values (negative durations, a read ratio outside [0, 1], a rate phase without a
// positive rate, a malformed threshold, ...) are rejected with a *ScenarioError
// naming the line and column. It never panics, whatever data holds.
func ParseScenario(name string, data []byte) (*Scenario, error) {
	p := &scenarioParser{file: name}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, p.errAtPos(1, 1, "empty scenario (allowed: a mapping with at least a phases list; see examples/)")
		}
		return nil, p.syntaxError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err != io.EOF {
		if err != nil {
			return nil, p.syntaxError(err)
		}
		return nil, p.errAt(&extra, "a second YAML document (allowed: one document per scenario file)")
	}
	if len(doc.Content) == 0 {
		return nil, p.errAtPos(1, 1, "empty scenario (allowed: a mapping with at least a phases list; see examples/)")
	}
	root := doc.Content[0]
	s := &Scenario{Name: name, positions: map[string]position{}}
	p.positions = s.positions
	if err := p.scenario(root, s); err != nil {
		return nil, err
	}
	return s, nil
}

// scenarioParser walks a YAML node tree, checking each value where it is, so every
// error can carry the node's position. (yaml's own struct decoding with
// KnownFields reports unknown keys by line only, and cannot check values.)
type scenarioParser struct {
	file string
	// positions records where each key's value stands (Scenario.positions).
	positions map[string]position
}

// at records the position of the value v of the key path key.
func (p *scenarioParser) at(key string, v *yaml.Node) {
	if p.positions != nil {
		p.positions[key] = position{max(v.Line, 1), max(v.Column, 1)}
	}
}

func (p *scenarioParser) errAtPos(line, col int, format string, args ...any) error {
	return &ScenarioError{File: p.file, Line: max(line, 1), Column: max(col, 1), Msg: fmt.Sprintf(format, args...)}
}

func (p *scenarioParser) errAt(n *yaml.Node, format string, args ...any) error {
	return p.errAtPos(n.Line, n.Column, format, args...)
}

// yamlLine finds the line number in the yaml package's error text, which has no
// structured position for syntax errors.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

func (p *scenarioParser) syntaxError(err error) error {
	msg := err.Error()
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	return p.errAtPos(line, 1, "not valid YAML: %s", msg)
}

// deref follows an alias to the node it names.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

var kindNames = map[yaml.Kind]string{yaml.DocumentNode: "a document", yaml.SequenceNode: "a list", yaml.MappingNode: "a mapping", yaml.ScalarNode: "a scalar", yaml.AliasNode: "an alias"}

func describe(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return fmt.Sprintf("%q", n.Value)
	}
	return kindNames[n.Kind]
}

// fields walks a mapping, rejecting unknown and repeated keys, and calls fn for
// each key with its value node.
func (p *scenarioParser) fields(n *yaml.Node, what string, allowed []string, fn func(key string, k, v *yaml.Node) error) error {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		return p.errAt(n, "%s is %s (allowed: a mapping of %s)", what, describe(n), strings.Join(allowed, ", "))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return p.errAt(k, "%s has a key that is %s (allowed keys: %s)", what, describe(k), strings.Join(allowed, ", "))
		}
		known := false
		for _, a := range allowed {
			known = known || a == k.Value
		}
		if !known {
			msg := fmt.Sprintf("unknown key %q in %s", k.Value, what)
			if s := closest(k.Value, allowed); s != "" {
				msg += fmt.Sprintf("; did you mean %s?", s)
			}
			return p.errAt(k, "%s (allowed: %s)", msg, strings.Join(allowed, ", "))
		}
		if seen[k.Value] {
			return p.errAt(k, "%s repeats key %q (allowed: each key once)", what, k.Value)
		}
		seen[k.Value] = true
		if err := fn(k.Value, k, deref(v)); err != nil {
			return err
		}
	}
	return nil
}

func (p *scenarioParser) str(v *yaml.Node, key string) (string, error) {
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		return "", p.errAt(v, "%s is %s (allowed: a string; quote it if it looks like a number)", key, describe(v))
	}
	return v.Value, nil
}

func (p *scenarioParser) number(v *yaml.Node, key string) (float64, error) {
	var f float64
	if v.Kind != yaml.ScalarNode || (v.ShortTag() != "!!int" && v.ShortTag() != "!!float") || v.Decode(&f) != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, p.errAt(v, "%s is %s (allowed: a finite number)", key, describe(v))
	}
	return f, nil
}

func (p *scenarioParser) integer(v *yaml.Node, key string) (int64, error) {
	var i int64
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" || v.Decode(&i) != nil {
		return 0, p.errAt(v, "%s is %s (allowed: a whole number)", key, describe(v))
	}
	return i, nil
}

// duration reads a Go duration string; a bare 0 is accepted as zero, any other
// bare number is refused because its unit would be a guess.
func (p *scenarioParser) duration(v *yaml.Node, key string) (time.Duration, error) {
	if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!int" && v.Value == "0" {
		return 0, nil
	}
	if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" {
		if d, err := time.ParseDuration(v.Value); err == nil {
			return d, nil
		}
	}
	return 0, p.errAt(v, "%s is %s (allowed: a Go duration with a unit, e.g. 500ms, 2s, 1m30s)", key, describe(v))
}

func (p *scenarioParser) nonNegDuration(v *yaml.Node, key string) (*time.Duration, error) {
	d, err := p.duration(v, key)
	if err == nil && d < 0 {
		err = p.errAt(v, "%s %v is negative (allowed: a duration ≥ 0)", key, d)
	}
	return &d, err
}

func (p *scenarioParser) positiveDuration(v *yaml.Node, key string) (time.Duration, error) {
	d, err := p.duration(v, key)
	if err == nil && d <= 0 {
		err = p.errAt(v, "%s %v is not positive (allowed: a duration > 0)", key, d)
	}
	return d, err
}

func (p *scenarioParser) ratio(v *yaml.Node, key string) (float64, error) {
	f, err := p.number(v, key)
	if err == nil && (f < 0 || f > 1) {
		err = p.errAt(v, "%s %v is outside [0, 1] (allowed: a fraction from 0 to 1)", key, f)
	}
	return f, err
}

func (p *scenarioParser) seq(v *yaml.Node, key, items string) ([]*yaml.Node, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, p.errAt(v, "%s is %s (allowed: a list of %s)", key, describe(v), items)
	}
	out := make([]*yaml.Node, len(v.Content))
	for i, c := range v.Content {
		out[i] = deref(c)
	}
	return out, nil
}

func (p *scenarioParser) scenario(root *yaml.Node, s *Scenario) error {
	var phases *yaml.Node
	err := p.fields(root, "the scenario", scenarioKeys, func(key string, k, v *yaml.Node) error {
		p.at(key, v)
		var err error
		switch key {
		case "description":
			s.Description, err = p.str(v, key)
		case "impl":
			s.Impl, err = p.impl(v)
		case "seed":
			var seed int64
			seed, err = p.integer(v, key)
			s.Seed = &seed
		case "warmup":
			s.Warmup, err = p.nonNegDuration(v, key)
		case "work":
			s.Work, err = p.nonNegDuration(v, key)
		case "hold":
			s.Hold, err = p.nonNegDuration(v, key)
		case "think":
			s.Think, err = p.nonNegDuration(v, key)
		case "mix":
			s.ReadRatio, s.Mix, err = p.mix(v)
		case "keys":
			var n int64
			if n, err = p.integer(v, key); err == nil && (n < 1 || n > math.MaxInt32) {
				err = p.errAt(v, "keys %d is out of range (allowed: 1 to %d)", n, math.MaxInt32)
			}
			keys := int(n)
			s.Keys = &keys
		case "zipf":
			var z float64
			if z, err = p.number(v, key); err == nil && z != 0 && z <= 1 {
				err = p.errAt(v, "zipf %v: a Zipf skew needs s > 1 (allowed: 0 for uniform keys, or a number > 1 such as 1.1)", z)
			}
			s.Zipf = &z
		case "params":
			err = p.params(v, &s.Params)
		case "thresholds":
			s.Thresholds, err = p.thresholds(v)
		case "phases":
			phases = v
		}
		return err
	})
	if err != nil {
		return err
	}
	if phases == nil {
		return p.errAt(root, "the scenario has no phases (allowed: a list of phases, each with a duration; see examples/)")
	}
	return p.phases(phases, s)
}

func (p *scenarioParser) impl(v *yaml.Node) (string, error) {
	if v.Kind == yaml.SequenceNode {
		items, _ := p.seq(v, "impl", "names")
		names := make([]string, 0, len(items))
		for _, it := range items {
			name, err := p.str(it, "an impl name")
			if err != nil {
				return "", err
			}
			names = append(names, name)
		}
		v = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: strings.Join(names, ","), Line: v.Line, Column: v.Column}
	}
	name, err := p.str(v, "impl")
	if err == nil && strings.Trim(name, ", ") == "" {
		err = p.errAt(v, "impl is empty (allowed: an implementation, a family, all, or a list; see `loadgen list`)")
	}
	return name, err
}

// mix reads a read ratio, or weights: read/write weights become a read ratio
// (as they always have), weights naming load, store or delete become a Mix
// (read and write are then aliases of load and store).
func (p *scenarioParser) mix(v *yaml.Node) (*float64, *Mix, error) {
	if v.Kind != yaml.MappingNode {
		if v.Kind != yaml.ScalarNode {
			return nil, nil, p.errAt(v, "mix is %s (allowed: a read ratio from 0 to 1, or weights like {load: 90, store: 5, delete: 5})", describe(v))
		}
		r, err := p.ratio(v, "mix")
		return &r, nil, err
	}
	var m Mix
	named := map[string]string{} // kind → the key that gave it
	usesMixNames := false
	err := p.fields(v, "mix", mixKeys, func(key string, k, w *yaml.Node) error {
		f, err := p.number(w, "mix."+key)
		if err == nil && f < 0 {
			err = p.errAt(w, "mix.%s %v is negative (allowed: a weight ≥ 0)", key, f)
		}
		if err != nil {
			return err
		}
		kind := key
		if alias, ok := mixAliases[key]; ok {
			kind = alias
		} else {
			usesMixNames = true
		}
		if other, ok := named[kind]; ok {
			return p.errAt(k, "mix gives %s and %s, which are the same kind (allowed: one of them)", other, key)
		}
		named[kind] = key
		switch kind {
		case "load":
			m.Load = f
		case "store":
			m.Store = f
		default:
			m.Delete = f
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, nil, p.errAt(v, "mix: %v", err)
	}
	if usesMixNames {
		return nil, &m, nil
	}
	r := m.Share(impls.OpRead)
	return &r, nil, nil
}

func (p *scenarioParser) params(v *yaml.Node, f *FamilyParams) error {
	return p.fields(v, "params", paramKeys, func(key string, k, v *yaml.Node) error {
		p.at("params."+key, v)
		var err error
		switch key {
		case "limit":
			var l float64
			if l, err = p.number(v, key); err == nil && l <= 0 {
				err = p.errAt(v, "limit %v is not positive (allowed: events/s > 0)", l)
			}
			f.Limit = &l
		case "burst":
			var b int64
			if b, err = p.integer(v, key); err == nil && (b < 0 || b > math.MaxInt32) {
				err = p.errAt(v, "burst %d is out of range (allowed: 0 to %d events)", b, math.MaxInt32)
			}
			burst := int(b)
			f.Burst = &burst
		case "window":
			var w time.Duration
			w, err = p.positiveDuration(v, key)
			f.Window = &w
		case "mode":
			if f.Mode, err = p.str(v, key); err == nil && !slices.Contains(modes, f.Mode) {
				err = p.errAt(v, "mode %q is unknown (allowed: %s)", f.Mode, strings.Join(modes, ", "))
			}
		case "capacity":
			var c int64
			if c, err = p.integer(v, key); err == nil && c < 1 {
				err = p.errAt(v, "capacity %d is not positive (allowed: a total weight ≥ 1)", c)
			}
			f.Capacity = &c
		case "weights":
			f.Weights, err = p.weights(v)
		case "timeout":
			f.Timeout, err = p.nonNegDuration(v, key)
		case "key-ttl":
			f.KeyTTL, err = p.nonNegDuration(v, key)
		case "shared-ratio":
			var r float64
			r, err = p.ratio(v, key)
			f.SharedRatio = &r
		}
		return err
	})
}

func (p *scenarioParser) weights(v *yaml.Node) ([]int64, error) {
	items := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		items, _ = p.seq(v, "weights", "whole numbers")
		if len(items) == 0 {
			return nil, p.errAt(v, "weights is an empty list (allowed: one or more whole numbers ≥ 1)")
		}
	}
	out := make([]int64, 0, len(items))
	for _, it := range items {
		w, err := p.integer(it, "a weight")
		if err == nil && w < 1 {
			err = p.errAt(it, "weight %d is not positive (allowed: whole numbers ≥ 1)", w)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, nil
}

func (p *scenarioParser) thresholds(v *yaml.Node) ([]metrics.Threshold, error) {
	items, err := p.seq(v, "thresholds", `strings such as "p99<2ms"`)
	if err != nil {
		return nil, err
	}
	out := make([]metrics.Threshold, 0, len(items))
	for _, it := range items {
		text, err := p.str(it, "a threshold")
		if err != nil {
			return nil, err
		}
		th, err := metrics.ParseThreshold(text)
		if err != nil {
			return nil, p.errAt(it, "%v", err)
		}
		out = append(out, th)
	}
	return out, nil
}

func (p *scenarioParser) phases(v *yaml.Node, s *Scenario) error {
	items, err := p.seq(v, "phases", "phases")
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return p.errAt(v, "phases is empty (allowed: one or more phases, each with a duration)")
	}
	for i, it := range items {
		ph, err := p.phase(it, i+1)
		if err != nil {
			return err
		}
		s.Phases = append(s.Phases, ph)
	}
	return nil
}

// scenarioSpelling names arrival parameters as scenario keys: the flag name,
// except -rps, which a phase calls rate.
func scenarioSpelling(field string) string {
	if field == "rps" {
		return "rate"
	}
	return field
}

func (p *scenarioParser) phase(n *yaml.Node, index int) (Phase, error) {
	ph := Phase{Name: fmt.Sprintf("phase %d", index)}
	what := fmt.Sprintf("phase %d", index)
	nodes := map[string]*yaml.Node{}
	err := p.fields(n, what, phaseKeys, func(key string, k, v *yaml.Node) error {
		nodes[key] = v
		p.at(fmt.Sprintf("phases.%d.%s", index-1, key), v)
		var err error
		switch key {
		case "name":
			ph.Name, err = p.str(v, key)
		case "arrival":
			if ph.Arrival, err = p.str(v, key); err == nil {
				ph.Arrival = strings.ToLower(ph.Arrival)
				if ph.Arrival != arrivalClosed && !slices.Contains(ArrivalNames(), ph.Arrival) {
					allowed := append(ArrivalNames(), arrivalClosed)
					msg := fmt.Sprintf("unknown arrival %q", ph.Arrival)
					if s := closest(ph.Arrival, allowed); s != "" {
						msg += fmt.Sprintf("; did you mean %s?", s)
					}
					err = p.errAt(v, "%s (allowed: %s)", msg, strings.Join(allowed, ", "))
				}
			}
		case "rate":
			if ph.Rate, err = p.number(v, key); err == nil && ph.Rate < 0 {
				err = p.errAt(v, "rate %v is negative (allowed: ops/s > 0)", ph.Rate)
			}
		case "concurrency":
			var c int64
			if c, err = p.integer(v, key); err == nil && (c < 1 || c > MaxConcurrency) {
				err = p.errAt(v, "concurrency %d is out of range (allowed: 1 to %d; %s)", c, MaxConcurrency, maxConcurrencyWhy)
			}
			ph.Concurrency = int(c)
		case "duration":
			ph.Duration, err = p.positiveDuration(v, key)
		case "ramp-from", "ramp-to", "amplitude":
			var f float64
			if f, err = p.number(v, key); err == nil && f < 0 {
				err = p.errAt(v, "%s %v is negative (allowed: ops/s ≥ 0)", key, f)
			}
			switch key {
			case "ramp-from":
				ph.Shape.RampFrom = f
			case "ramp-to":
				ph.Shape.RampTo = f
			default:
				ph.Shape.Amplitude = f
			}
		case "ramp-over", "period", "burst-on", "burst-off":
			var d time.Duration
			d, err = p.positiveDuration(v, key)
			switch key {
			case "ramp-over":
				ph.Shape.RampOver = d
			case "period":
				ph.Shape.Period = d
			case "burst-on":
				ph.Shape.BurstOn = d
			default:
				ph.Shape.BurstOff = d
			}
		case "stages":
			ph.Shape.Stages, err = p.stages(v)
		case "replay":
			if ph.Shape.ReplayFile, err = p.str(v, key); err == nil {
				if ph.Shape.ReplayFile == "" {
					err = p.errAt(v, "replay is empty (allowed: the path of a file of offsets)")
				} else if !filepath.IsAbs(ph.Shape.ReplayFile) {
					ph.Shape.ReplayFile = filepath.Join(filepath.Dir(p.file), ph.Shape.ReplayFile)
				}
			}
		}
		return err
	})
	if err != nil {
		return ph, err
	}
	return ph, p.checkPhase(n, &ph, nodes)
}

// checkPhase checks a phase's keys against each other: the load model, the shape
// keys that apply to its arrival, and the arrival's own parameter rules.
func (p *scenarioParser) checkPhase(n *yaml.Node, ph *Phase, nodes map[string]*yaml.Node) error {
	at := func(key string) *yaml.Node {
		if v, ok := nodes[key]; ok {
			return v
		}
		if v, ok := nodes["arrival"]; ok {
			return v
		}
		return deref(n)
	}
	if ph.Arrival == "" && ph.Rate > 0 {
		ph.Arrival = ArrivalConstant
	}
	if ph.Arrival == arrivalClosed {
		ph.Arrival = ""
	}
	for _, key := range phaseKeys { // in a fixed order, so the error is reproducible
		arrival, isShape := shapeKeys[key]
		if _, set := nodes[key]; set && isShape && ph.Arrival != arrival {
			model := "a closed-loop phase"
			if ph.Arrival != "" {
				model = "arrival " + ph.Arrival
			}
			return p.errAt(nodes[key], "%s applies only to arrival %s, not to %s (allowed: set arrival: %[2]s, or remove %[1]s)", key, arrival, model)
		}
	}
	if ph.Arrival == "" {
		if v, set := nodes["rate"]; set {
			return p.errAt(v, "rate %v in a closed-loop phase (allowed: a rate > 0 with an open-loop arrival, or no rate for a closed loop)", ph.Rate)
		}
	}
	if (ph.Arrival == ArrivalStep || ph.Arrival == ArrivalReplay) && nodes["rate"] != nil {
		return p.errAt(nodes["rate"], "rate does not apply to arrival %s, whose rate comes from its %s (allowed: remove rate)", ph.Arrival, map[string]string{ArrivalStep: "stages", ArrivalReplay: "file"}[ph.Arrival])
	}
	if ph.Duration == 0 && ph.Arrival == ArrivalStep && ph.Shape.Stages != "" {
		if stages, err := ParseStages(ph.Shape.Stages); err == nil {
			ph.Duration = Step(stages).(Finite).Span()
		}
	}
	if ph.Duration == 0 {
		return p.errAt(deref(n), "phase %q has no duration (allowed: a Go duration > 0, e.g. 1s)", ph.Name)
	}
	if ph.Arrival == "" {
		return nil
	}
	switch ph.Arrival {
	case ArrivalConstant, ArrivalPoisson, ArrivalBurst, ArrivalSine:
		// The schedule's first op is due at the phase's start: below one op
		// per phase, that op is all it would measure.
		if v := nodes["rate"]; v != nil && ph.Rate > 0 && ph.Rate*ph.Duration.Seconds() < 1 {
			return p.errAt(v, "rate %v offers less than one op in the phase's %v (allowed: at least %s ops/s, or a longer duration)", ph.Rate, ph.Duration, strconv.FormatFloat(1/ph.Duration.Seconds(), 'g', 3, 64))
		}
	}
	if err := checkArrivalParams(ph.Arrival, ph.ArrivalParams(0), scenarioSpelling); err != nil {
		if pe, ok := errors.AsType[*paramError](err); ok {
			field := pe.Field
			if field == "rps" {
				field = "rate"
			}
			return p.errAt(at(field), "%s", pe.Msg)
		}
		return p.errAt(deref(n), "%v", err)
	}
	return nil
}

// stages reads a step phase's stages: the -stages string, or a list of
// RATExDURATION strings.
func (p *scenarioParser) stages(v *yaml.Node) (string, error) {
	items := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		items, _ = p.seq(v, "stages", "RATExDURATION strings")
	}
	parts := make([]string, 0, len(items))
	stageCount := 0
	for _, it := range items {
		text, err := p.str(it, "stages")
		if err != nil {
			return "", err
		}
		parsed, err := parseStagesFrom(text, "stages", stageCount+1)
		if err != nil {
			return "", p.errAt(it, "%v", err)
		}
		stageCount += len(parsed)
		parts = append(parts, text)
	}
	if len(parts) == 0 {
		return "", p.errAt(v, "stages is an empty list (allowed: one or more RATExDURATION, e.g. 1000x1s)")
	}
	return strings.Join(parts, ","), nil
}
