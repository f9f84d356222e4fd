package backend

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// A schedule file (loadgen -backend FILE.yaml) lists phases run back to back, as a
// scenario file does:
//
//	description: a brownout and its recovery   # optional
//	dist: uniform                              # optional: uniform, const, exp
//	phases:
//	  - name: healthy                          # optional, for messages
//	    duration: 3s
//	    capacity: 16                           # calls served at once
//	    service: 10ms                          # mean service time
//	    failure: 0                             # fraction, or "20%"
//	  - name: brownout
//	    duration: 2s
//	    ramp: true                             # move linearly from the previous
//	    capacity: 4                            # phase's values to these
//	    service: 40ms
//	    failure: 20%
//	  - name: recovery                         # the last phase may omit its
//	    capacity: 16                           # duration: it holds to the end
//	    service: 10ms
//	    failure: 0
//
// A key a phase leaves out holds the previous phase's value; a track no phase
// sets is left unset (the family's default applies). A track must be set by the
// first phase if any phase sets it.

// ScheduleError reports a schedule file that cannot be used, at the position of
// the offending YAML node: FILE:LINE:COL: what is wrong (allowed: ...).
type ScheduleError struct {
	File         string
	Line, Column int // 1-based
	Msg          string
}

func (e *ScheduleError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

var (
	fileKeys  = []string{"description", "dist", "phases"}
	phaseKeys = []string{"name", "duration", "ramp", "capacity", "service", "failure"}
	yamlLine  = regexp.MustCompile(`^yaml: line (\d+): `)
)

// LoadFile reads and parses the schedule file at path (see ParseFile). A file
// that cannot be read is a *ScheduleError at 1:1 too.
func LoadFile(path string) (Schedule, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if pe, ok := errors.AsType[*os.PathError](err); ok {
			err = pe.Err
		}
		return Schedule{}, &ScheduleError{File: path, Line: 1, Column: 1, Msg: "cannot read backend schedule: " + err.Error()}
	}
	return ParseFile(path, data)
}

// ParseFile parses a schedule file's contents; name is the file name errors carry.
// Unknown or repeated keys, wrong types and values out of range are a
// *ScheduleError at the node's line and column. It never panics.
func ParseFile(name string, data []byte) (Schedule, error) {
	p := fileParser{file: name}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return Schedule{}, p.errAtPos(1, 1, "empty backend schedule (allowed: a mapping with a phases list)")
		}
		msg, line := err.Error(), 1
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = msg[len(m[0]):]
		}
		return Schedule{}, p.errAtPos(line, 1, "not valid YAML: %s", strings.TrimPrefix(msg, "yaml: "))
	}
	if len(doc.Content) == 0 {
		return Schedule{}, p.errAtPos(1, 1, "empty backend schedule (allowed: a mapping with a phases list)")
	}
	return p.schedule(doc.Content[0])
}

type fileParser struct{ file string }

func (p fileParser) errAtPos(line, col int, format string, args ...any) error {
	return &ScheduleError{File: p.file, Line: max(line, 1), Column: max(col, 1), Msg: fmt.Sprintf(format, args...)}
}

func (p fileParser) errAt(n *yaml.Node, format string, args ...any) error {
	return p.errAtPos(n.Line, n.Column, format, args...)
}

// fields walks a mapping, rejecting unknown and repeated keys.
func (p fileParser) fields(n *yaml.Node, what string, allowed []string, fn func(key string, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return p.errAt(n, "%s is not a mapping (allowed: a mapping of %s)", what, strings.Join(allowed, ", "))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		known := false
		for _, a := range allowed {
			known = known || a == k.Value
		}
		if k.Kind != yaml.ScalarNode || !known {
			return p.errAt(k, "unknown key %q in %s (allowed: %s)", k.Value, what, strings.Join(allowed, ", "))
		}
		if seen[k.Value] {
			return p.errAt(k, "%s repeats key %q (allowed: each key once)", what, k.Value)
		}
		seen[k.Value] = true
		if err := fn(k.Value, v); err != nil {
			return err
		}
	}
	return nil
}

func (p fileParser) scalar(v *yaml.Node, key string) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", p.errAt(v, "%s is not a single value (allowed: a scalar)", key)
	}
	return v.Value, nil
}

func (p fileParser) schedule(root *yaml.Node) (Schedule, error) {
	var s Schedule
	var phases *yaml.Node
	err := p.fields(root, "the backend schedule", fileKeys, func(key string, v *yaml.Node) error {
		text, err := p.scalar(v, key)
		switch key {
		case "description":
		case "dist":
			if err == nil {
				if s.Dist, err = parseDist(text); err != nil {
					err = p.errAt(v, "%v", err)
				}
			}
		case "phases":
			phases, err = v, nil
		}
		return err
	})
	if err != nil {
		return Schedule{}, err
	}
	if phases == nil {
		return Schedule{}, p.errAt(root, "the backend schedule has no phases (allowed: a list of phases with a duration and capacity, service or failure)")
	}
	if phases.Kind != yaml.SequenceNode || len(phases.Content) == 0 {
		return Schedule{}, p.errAt(phases, "phases is not a list of phases (allowed: one or more mappings)")
	}
	tracks := map[string]*Track{"capacity": &s.Capacity, "service": &s.Service, "failure": &s.Failure}
	for i, ph := range phases.Content {
		if err := p.phase(ph, i, i == len(phases.Content)-1, tracks); err != nil {
			return Schedule{}, err
		}
	}
	return s, nil
}

// phase reads phase i and appends one stage to every track that is set.
func (p fileParser) phase(n *yaml.Node, i int, last bool, tracks map[string]*Track) error {
	what := fmt.Sprintf("phase %d", i+1)
	var dur time.Duration
	ramp := false
	values := map[string]float64{}
	err := p.fields(n, what, phaseKeys, func(key string, v *yaml.Node) error {
		text, err := p.scalar(v, key)
		if err != nil {
			return err
		}
		switch key {
		case "name":
			what = fmt.Sprintf("phase %d (%s)", i+1, text)
		case "duration":
			if dur, err = time.ParseDuration(text); err != nil || dur <= 0 {
				return p.errAt(v, "duration %q is not a positive Go duration (allowed: e.g. 500ms, 3s)", text)
			}
		case "ramp":
			if ramp, err = strconv.ParseBool(text); err != nil {
				return p.errAt(v, "ramp %q is not true or false", text)
			}
		default:
			q, _ := quantityOf(key)
			f, err := q.parse(text)
			if err == nil {
				err = q.check(f)
			}
			if err != nil {
				return p.errAt(v, "%s: %v (allowed: %s)", key, err, q.allowed)
			}
			values[key] = f
		}
		return nil
	})
	if err != nil {
		return err
	}
	if dur == 0 && !last {
		return p.errAt(n, "%s has no duration (allowed: a Go duration > 0; only the last phase may omit it)", what)
	}
	if ramp && i == 0 {
		return p.errAt(n, "%s ramps, but there is no previous phase to ramp from (allowed: ramp: false on the first phase)", what)
	}
	if ramp && dur == 0 {
		return p.errAt(n, "%s ramps but has no duration (allowed: a duration, the time the ramp takes)", what)
	}
	for _, name := range []string{"capacity", "service", "failure"} {
		t := tracks[name]
		v, given := values[name]
		if !t.Set() {
			if !given {
				continue
			}
			if i > 0 {
				return p.errAt(n, "%s sets %s, which phase 1 does not (allowed: set %[2]s in the first phase, so every phase has a value)", what, name)
			}
		}
		st := Stage{From: v, To: v, Duration: dur}
		if t.Set() {
			prev := t.Stages[len(t.Stages)-1].To
			switch {
			case !given:
				st.From, st.To = prev, prev
			case ramp:
				st.From = prev
			}
		}
		t.Stages = append(t.Stages, st)
	}
	return nil
}
