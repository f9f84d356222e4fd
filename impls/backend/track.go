package backend

import (
	"math"
	"time"
)

// Stage is one piece of a [Track]: the value goes from From to To, linearly, over
// Duration (a hold when From == To; a step happens between two stages whose values
// differ). A Duration of 0 is allowed on a track's last stage only and means the
// stage lasts for the rest of the run.
type Stage struct {
	From, To float64
	Duration time.Duration
}

// Ramp reports whether the stage moves (From ≠ To).
func (s Stage) Ramp() bool { return s.From != s.To }

// Track is how one quantity of the backend (its capacity, its mean service time in
// nanoseconds, its failure rate) changes over the run: its stages in turn, from
// offset 0. Before offset 0 (a warm-up) the first stage's From holds; after the
// last stage its To holds. A Track with no stages is unset (see Schedule.Over).
//
// A Track is a value: safe to copy and to read from several goroutines.
type Track struct {
	Stages []Stage
}

// Set reports whether the track has any stage.
func (t Track) Set() bool { return len(t.Stages) > 0 }

// Constant returns the track that holds v for the whole run.
func Constant(v float64) Track { return Track{Stages: []Stage{{From: v, To: v}}} }

// At returns the track's value at offset from the schedule's start.
func (t Track) At(offset time.Duration) float64 {
	if len(t.Stages) == 0 {
		return 0
	}
	if offset <= 0 {
		return t.Stages[0].From
	}
	var start time.Duration
	for _, s := range t.Stages {
		if s.Duration == 0 { // the open last stage is a hold
			return s.From
		}
		if offset < start+s.Duration {
			frac := float64(offset-start) / float64(s.Duration)
			return s.From + (s.To-s.From)*frac
		}
		start += s.Duration
	}
	return t.Stages[len(t.Stages)-1].To
}

// Span is the offset at which the last stage ends, or 0 when it lasts for the
// rest of the run.
func (t Track) Span() time.Duration {
	var total time.Duration
	for _, s := range t.Stages {
		if s.Duration == 0 {
			return 0
		}
		total += s.Duration
	}
	return total
}

// Forever is the offset Track methods return for "never": past any run.
const Forever = time.Duration(math.MaxInt64)

// NextIntChange returns the first offset after offset at which the track's value
// rounded to the nearest whole number may differ from its rounded value at offset
// (a stage boundary or the instant a ramp crosses a half), or Forever when it
// never changes again. Capacity is read this way: a backend serves whole calls.
func (t Track) NextIntChange(offset time.Duration) time.Duration {
	var start time.Duration
	for _, s := range t.Stages {
		if s.Duration == 0 {
			return Forever
		}
		end := start + s.Duration
		if offset < end {
			if s.Ramp() && offset >= start {
				// v(x) = From + (To-From)·(x-start)/D crosses k+0.5 for each k
				// between the two ends: the next crossing after offset.
				v := t.At(offset)
				var target float64
				if s.To > s.From {
					target = math.Floor(v+0.5) + 0.5
				} else {
					target = math.Ceil(v-0.5) - 0.5
				}
				if (s.To > s.From && target < s.To) || (s.To < s.From && target > s.To) {
					frac := (target - s.From) / (s.To - s.From)
					at := start + time.Duration(math.Ceil(frac*float64(s.Duration)))
					if at > offset && at < end {
						return at
					}
				}
			}
			if offset < start {
				return start
			}
			return end
		}
		start = end
	}
	return Forever
}

// Span is a stretch of offsets [From, To); To is Forever when it lasts for the
// rest of the run.
type Span struct {
	From, To time.Duration
}

// Above returns the stretches in which the track's value is at least line, in
// order and merged where they touch. A ramp that crosses line contributes the part
// on line's side; the crossing instant is rounded up to a nanosecond.
func (t Track) Above(line float64) []Span {
	var spans []Span
	add := func(from, to time.Duration) {
		if to <= from {
			return
		}
		if n := len(spans); n > 0 && spans[n-1].To == from {
			spans[n-1].To = to
			return
		}
		spans = append(spans, Span{from, to})
	}
	if len(t.Stages) > 0 && t.Stages[0].From >= line {
		add(math.MinInt64, 0) // before the start the first value holds
	}
	var start time.Duration
	for i, s := range t.Stages {
		end := start + s.Duration
		if s.Duration == 0 {
			end = Forever
		}
		switch {
		case s.From >= line && s.To >= line:
			add(start, end)
		case s.From < line && s.To < line:
		case s.Duration == 0:
			if s.From >= line {
				add(start, end)
			}
		default:
			frac := (line - s.From) / (s.To - s.From)
			cross := start + time.Duration(math.Ceil(frac*float64(s.Duration)))
			if s.To >= line {
				add(cross, end)
			} else {
				add(start, cross)
			}
		}
		if s.Duration == 0 {
			return spans
		}
		if i == len(t.Stages)-1 && s.To >= line {
			add(end, Forever)
		}
		start = end
	}
	return spans
}

// Step is an instant at which the track's value jumps from one stage's end value
// to the next stage's start value.
type Step struct {
	At       time.Duration
	From, To float64
}

// Steps returns the track's jumps, in order. Ramps are not steps.
func (t Track) Steps() []Step {
	var steps []Step
	var start time.Duration
	for i, s := range t.Stages {
		if i > 0 {
			if prev := t.Stages[i-1]; prev.To != s.From {
				steps = append(steps, Step{At: start, From: prev.To, To: s.From})
			}
		}
		if s.Duration == 0 {
			break
		}
		start += s.Duration
	}
	return steps
}
