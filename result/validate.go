package result

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// checkNonNegative refuses a negative count, rate, duration or size: none of
// them can be measured below zero, and one that is (a hand-edited file) would
// make a merge add nonsense to good figures.
func (r *Result) checkNonNegative() error {
	type field struct {
		name string
		v    float64
	}
	c, rt, p := r.Counts, r.Rates, r.Params
	fields := []field{
		{"duration_ns", float64(r.DurationNs)}, {"repetition", float64(r.Repetition)}, {"fork", float64(r.Fork)},
		{"counts.offered", float64(c.Offered)}, {"counts.completed", float64(c.Completed)},
		{"counts.ok", float64(c.OK)}, {"counts.denied", float64(c.Denied)}, {"counts.timeout", float64(c.Timeout)},
		{"counts.error", float64(c.Error)}, {"counts.unfinished", float64(c.Unfinished)},
		{"rates.offered", rt.Offered}, {"rates.achieved", rt.Achieved}, {"rates.admitted", rt.Admitted},
		{"params.rate", p.Rate}, {"params.concurrency", float64(p.Concurrency)}, {"params.gomaxprocs", float64(p.GOMAXPROCS)},
		{"params.duration_ns", float64(p.DurationNs)}, {"params.warmup_ns", float64(p.WarmupNs)},
		{"params.work_ns", float64(p.WorkNs)}, {"params.think_ns", float64(p.ThinkNs)},
		{"params.keys", float64(p.Keys)}, {"params.forks", float64(p.Forks)},
	}
	for i, sp := range r.Split {
		fields = append(fields, field{fmt.Sprintf("split[%d].count", i), float64(sp.Count)})
	}
	for i, iv := range r.Series {
		at := fmt.Sprintf("series[%d].", i)
		fields = append(fields,
			field{at + "duration_ns", float64(iv.DurationNs)}, field{at + "offered", iv.Offered},
			field{at + "achieved", iv.Achieved}, field{at + "admitted", iv.Admitted},
			field{at + "ok", float64(iv.OK)}, field{at + "denied", float64(iv.Denied)},
			field{at + "timeout", float64(iv.Timeout)}, field{at + "error", float64(iv.Error)},
			field{at + "unfinished", float64(iv.Unfinished)})
	}
	for _, f := range fields {
		if f.v < 0 {
			return fmt.Errorf("%s is negative (%s)", f.name, strconv.FormatFloat(f.v, 'g', -1, 64))
		}
	}
	return nil
}

// frame is an object or array being walked by checkDocument.
type frame struct {
	path  string
	keys  map[string]bool // nil for an array
	index int             // the next element's index (arrays)
	key   string          // the key whose value comes next (objects)
	inKey bool            // an object expecting a key
}

// checkDocument refuses data that is not exactly one JSON document with every
// object's keys distinct: encoding/json keeps the last of two equal keys
// without a word, and stops after the first document, ignoring what follows
// (a second, concatenated result; trailing garbage).
func checkDocument(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var stack []*frame
	// valueDone tells the enclosing container that one of its values ended.
	valueDone := func() {
		if len(stack) == 0 {
			return
		}
		top := stack[len(stack)-1]
		if top.keys != nil {
			top.inKey = true
		} else {
			top.index++
		}
	}
	// childPath names the value about to start inside the top container.
	childPath := func() string {
		if len(stack) == 0 {
			return ""
		}
		top := stack[len(stack)-1]
		if top.keys == nil {
			return fmt.Sprintf("%s[%d]", top.path, top.index)
		}
		if top.path == "" {
			return top.key
		}
		return top.path + "." + top.key
	}
	started := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			if !started {
				return errors.New("not a result document: empty input")
			}
			return nil // a truncated document: Decode's own syntax error says so
		}
		if err != nil {
			return fmt.Errorf("not a result document: %v", err)
		}
		started = true
		if len(stack) > 0 {
			if top := stack[len(stack)-1]; top.keys != nil && top.inKey && tok != json.Delim('}') {
				key, ok := tok.(string)
				if !ok {
					return fmt.Errorf("not a result document: a key is not a string at byte %d", dec.InputOffset())
				}
				if top.keys[key] {
					name := key
					if top.path != "" {
						name = top.path + "." + key
					}
					return fmt.Errorf("key %q appears twice (allowed: each key once; a JSON reader would keep one of them silently)", name)
				}
				top.keys[key] = true
				top.key, top.inKey = key, false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{path: childPath(), keys: map[string]bool{}, inKey: true})
		case json.Delim('['):
			stack = append(stack, &frame{path: childPath()})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			valueDone()
		default:
			valueDone()
		}
		if len(stack) == 0 {
			// The document ended: only blanks may follow.
			end := dec.InputOffset()
			if rest := bytes.TrimLeft(data[end:], " \t\r\n"); len(rest) > 0 {
				return fmt.Errorf("not a result document: data after its end at byte %d (a second document, or trailing garbage)", end)
			}
			return nil
		}
	}
}
