package workloads

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Stage is one step of a Step schedule: Rate ops/s for Duration.
type Stage struct {
	// Rate is the arrival rate in ops/s during the stage; 0 is a pause.
	Rate float64
	// Duration is how long the stage lasts.
	Duration time.Duration
}

// String returns the stage in the -stages syntax, e.g. "1000x5s".
func (s Stage) String() string {
	return strconv.FormatFloat(s.Rate, 'g', -1, 64) + "x" + s.Duration.String()
}

// stepArrivals holds a constant rate per stage. Arrival i (from 0) is placed where
// the cumulative count of all stages so far reaches i, so a stage holding a
// fraction of an arrival carries it over into the next instead of dropping it.
type stepArrivals struct {
	stages []Stage
	start  []float64 // offset of each stage's start, seconds; len(stages)+1 entries
	cum    []float64 // arrivals before each stage; len(stages)+1 entries
	k      int       // current stage
	i      float64
	mono   monotone
}

// Step returns a schedule that runs each stage in turn at its rate for its
// duration and then ends: after the last stage Next reports false, so a stepped
// run lasts exactly the sum of its stages (Span) however long the run was asked
// to be. A stage of rate 0 is a pause with no arrivals. Negative, NaN or infinite
// rates count as 0 and non-positive durations as empty stages; ParseStages rejects
// them with a message instead.
func Step(stages []Stage) Arrivals {
	s := &stepArrivals{stages: append([]Stage(nil), stages...)}
	s.start = make([]float64, len(stages)+1)
	s.cum = make([]float64, len(stages)+1)
	for k, st := range s.stages {
		if !validRate(st.Rate) {
			s.stages[k].Rate = 0
		}
		if st.Duration < 0 {
			s.stages[k].Duration = 0
		}
		d := s.stages[k].Duration.Seconds()
		s.start[k+1] = s.start[k] + d
		s.cum[k+1] = s.cum[k] + s.stages[k].Rate*d
	}
	return s
}

// Next returns the offset of the next arrival.
func (s *stepArrivals) Next() (time.Duration, bool) {
	i := s.i
	// Skip stages whose arrivals are used up; a pause adds nothing to cum, so it is
	// skipped here and never divided by.
	for s.k < len(s.stages) && i >= s.cum[s.k+1] {
		s.k++
	}
	if s.k == len(s.stages) {
		return 0, false
	}
	s.i++
	t := s.start[s.k] + (i-s.cum[s.k])/s.stages[s.k].Rate
	d, ok := offsetAt(t)
	if !ok {
		s.k = len(s.stages)
		return 0, false
	}
	return s.mono.clamp(d), true
}

// stageAt returns the index of the stage holding offset t seconds, or len(stages)
// after the end.
func (s *stepArrivals) stageAt(sec float64) int {
	for k := range s.stages {
		if sec < s.start[k+1] {
			return k
		}
	}
	return len(s.stages)
}

// RateAt returns the rate of the stage holding t, or 0 before 0 and after the end.
func (s *stepArrivals) RateAt(t time.Duration) float64 {
	sec := t.Seconds()
	if sec < 0 {
		return 0
	}
	if k := s.stageAt(sec); k < len(s.stages) {
		return s.stages[k].Rate
	}
	return 0
}

func (s *stepArrivals) expected(t time.Duration) float64 {
	sec := t.Seconds()
	if sec <= 0 {
		return 0
	}
	k := s.stageAt(sec)
	if k == len(s.stages) {
		return s.cum[k]
	}
	return s.cum[k] + (sec-s.start[k])*s.stages[k].Rate
}

// Span returns the schedule's total length, the sum of its stage durations.
func (s *stepArrivals) Span() time.Duration {
	var total time.Duration
	for _, st := range s.stages {
		total += st.Duration
	}
	return total
}

// ParseStages parses the -stages syntax: a comma-separated list of RATExDURATION,
// e.g. "1000x5s,2000x5s,0x1s" (rate in ops/s, a Go duration). A rate of 0 is a
// pause. Errors name the bad stage and its position.
func ParseStages(s string) ([]Stage, error) {
	return parseStages(s, "-stages")
}

// parseStages is ParseStages with the parameter's name spelled by the caller (a
// flag or a scenario key).
func parseStages(s, what string) ([]Stage, error) {
	return parseStagesFrom(s, what, 1)
}

// parseStagesFrom numbers the stages of s from first, for a scenario that lists
// stages across several strings.
func parseStagesFrom(s, what string, first int) ([]Stage, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("%s is empty (allowed: a comma-separated list of RATExDURATION, e.g. 1000x5s,2000x5s)", what)
	}
	var stages []Stage
	for n, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		bad := func(why string) error {
			return fmt.Errorf("%s: stage %d %q: %s (allowed: RATExDURATION with RATE ≥ 0 ops/s and a positive Go duration, e.g. 1000x5s)", what, first+n, part, why)
		}
		rateText, durText, found := strings.Cut(part, "x")
		if !found {
			return nil, bad("missing 'x' between rate and duration")
		}
		rate, err := strconv.ParseFloat(strings.TrimSpace(rateText), 64)
		if err != nil || rate < 0 || math.IsInf(rate, 0) || math.IsNaN(rate) {
			return nil, bad(fmt.Sprintf("rate %q is not a non-negative number", rateText))
		}
		d, err := time.ParseDuration(strings.TrimSpace(durText))
		if err != nil || d <= 0 {
			return nil, bad(fmt.Sprintf("duration %q is not a positive Go duration", durText))
		}
		stages = append(stages, Stage{Rate: rate, Duration: d})
	}
	return stages, nil
}
