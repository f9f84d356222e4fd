package backend

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// quantity is how one track's values are read, checked and written.
type quantity struct {
	parse   func(string) (float64, error)
	check   func(float64) error
	format  func(float64) string
	allowed string // what a value may be, for messages
	example string
}

var capacityQuantity = quantity{
	parse: func(s string) (float64, error) {
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, fmt.Errorf("%q is not a whole number", s)
		}
		return float64(n), nil
	},
	check: func(v float64) error {
		if !(v >= 1 && v <= MaxCapacity) {
			return fmt.Errorf("capacity %v is out of range", v)
		}
		return nil
	},
	format:  func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) },
	allowed: fmt.Sprintf("whole calls from 1 to %d", MaxCapacity),
	example: "16x3s,4x4s,16",
}

var serviceQuantity = quantity{
	parse: func(s string) (float64, error) {
		if s == "0" {
			return 0, nil
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("%q is not a Go duration", s)
		}
		return float64(d), nil
	},
	check: func(v float64) error {
		if !(v >= 0 && v <= float64(MaxService)) {
			return fmt.Errorf("service time %v is out of range", time.Duration(v))
		}
		return nil
	},
	format:  func(v float64) string { return time.Duration(v).String() },
	allowed: "a Go duration from 0 to 1h, e.g. 10ms",
	example: "10msx3s,10ms..40msx2s,40ms",
}

var failureQuantity = quantity{
	parse: func(s string) (float64, error) {
		if pct, ok := strings.CutSuffix(s, "%"); ok {
			f, err := strconv.ParseFloat(pct, 64)
			if err != nil {
				return 0, fmt.Errorf("%q is not a percentage", s)
			}
			return f / 100, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number", s)
		}
		return f, nil
	},
	check: func(v float64) error {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("failure rate %v is outside [0, 1]", v)
		}
		return nil
	},
	format:  func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) },
	allowed: "a fraction from 0 to 1, or a percentage such as 50%",
	example: "0x3s,1x4s,0",
}

// quantityOf returns the quantity of the track called name.
func quantityOf(name string) (quantity, bool) {
	switch name {
	case "capacity":
		return capacityQuantity, true
	case "service":
		return serviceQuantity, true
	case "failure":
		return failureQuantity, true
	}
	return quantity{}, false
}

// ParseTrack reads one track in the stage syntax: a comma-separated list of
// stages, each VALUExDURATION (hold VALUE), FROM..TOxDURATION (ramp linearly), or,
// as the last stage only, a bare VALUE that holds for the rest of the run. A
// single VALUE is a constant. name is "capacity" (whole calls, 1 to MaxCapacity),
// "service" (a Go duration, 0 to MaxService) or "failure" (a fraction from 0 to
// 1, or a percentage); what names the parameter in errors ("-backend-capacity",
// "capacity"). Errors name the stage and what is allowed.
func ParseTrack(name, what, text string) (Track, error) {
	q, ok := quantityOf(name)
	if !ok {
		return Track{}, fmt.Errorf("%s: unknown backend track %q (allowed: capacity, service, failure)", what, name)
	}
	return q.parseTrack(what, text)
}

func (q quantity) parseTrack(what, text string) (Track, error) {
	if strings.TrimSpace(text) == "" {
		return Track{}, fmt.Errorf("%s is empty (allowed: stages such as %s)", what, q.example)
	}
	parts := strings.Split(text, ",")
	var t Track
	for i, part := range parts {
		part = strings.TrimSpace(part)
		bad := func(format string, args ...any) error {
			return fmt.Errorf("%s: stage %d %q: %s (allowed: VALUExDURATION, FROM..TOxDURATION or, last, VALUE, with values %s; e.g. %s)",
				what, i+1, part, fmt.Sprintf(format, args...), q.allowed, q.example)
		}
		valueText, durText := part, ""
		if k := strings.LastIndex(part, "x"); k >= 0 {
			valueText, durText = strings.TrimSpace(part[:k]), strings.TrimSpace(part[k+1:])
		}
		var st Stage
		fromText, toText, ramp := strings.Cut(valueText, "..")
		var err error
		if st.From, err = q.parse(strings.TrimSpace(fromText)); err != nil {
			return Track{}, bad("%v", err)
		}
		st.To = st.From
		if ramp {
			if st.To, err = q.parse(strings.TrimSpace(toText)); err != nil {
				return Track{}, bad("%v", err)
			}
		}
		for _, v := range []float64{st.From, st.To} {
			if err := q.check(v); err != nil {
				return Track{}, bad("%v", err)
			}
		}
		switch {
		case durText != "":
			d, err := time.ParseDuration(durText)
			if err != nil || d <= 0 {
				return Track{}, bad("duration %q is not a positive Go duration", durText)
			}
			st.Duration = d
		case i != len(parts)-1:
			return Track{}, bad("missing xDURATION (only the last stage may hold for the rest of the run)")
		case ramp:
			return Track{}, bad("a ramp needs xDURATION, the time it takes")
		}
		t.Stages = append(t.Stages, st)
	}
	return t, nil
}

func (q quantity) formatTrack(t Track) string {
	parts := make([]string, len(t.Stages))
	for i, st := range t.Stages {
		v := q.format(st.From)
		if st.Ramp() {
			v += ".." + q.format(st.To)
		}
		if st.Duration > 0 {
			v += "x" + st.Duration.String()
		}
		parts[i] = v
	}
	return strings.Join(parts, ",")
}

// ParseDist reads a service-time distribution name (see Dists); what names the
// parameter in errors.
func ParseDist(what, name string) (Dist, error) {
	d, err := parseDist(name)
	if err != nil {
		return "", fmt.Errorf("%s: %v", what, err)
	}
	return d, nil
}

func parseDist(name string) (Dist, error) {
	switch d := Dist(strings.ToLower(strings.TrimSpace(name))); d {
	case "", DistConst, DistUniform, DistExp:
		return d, nil
	}
	return "", fmt.Errorf("unknown service-time distribution %q (allowed: uniform, const, exp)", name)
}

// ParseSpec reads a schedule in the spec syntax Schedule.String writes: parts
// separated by semicolons, each capacity=TRACK, service=TRACK, failure=TRACK or
// dist=NAME (see ParseTrack), any of them left out (unset, for Over to fill).
// The empty string is the empty schedule.
func ParseSpec(spec string) (Schedule, error) {
	var s Schedule
	seen := map[string]bool{}
	for part := range strings.SplitSeq(spec, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		key, val, ok := strings.Cut(part, "=")
		key = strings.TrimSpace(key)
		if !ok {
			return Schedule{}, fmt.Errorf("backend spec part %q has no '=' (allowed: capacity=, service=, failure=, dist=)", part)
		}
		if seen[key] {
			return Schedule{}, fmt.Errorf("backend spec gives %s twice (allowed: each part once)", key)
		}
		seen[key] = true
		var err error
		switch key {
		case "capacity":
			s.Capacity, err = capacityQuantity.parseTrack("backend capacity", val)
		case "service":
			s.Service, err = serviceQuantity.parseTrack("backend service", val)
		case "failure":
			s.Failure, err = failureQuantity.parseTrack("backend failure", val)
		case "dist":
			s.Dist, err = ParseDist("backend dist", val)
		default:
			err = fmt.Errorf("backend spec has unknown part %q (allowed: capacity, service, failure, dist)", key)
		}
		if err != nil {
			return Schedule{}, err
		}
	}
	return s, nil
}
