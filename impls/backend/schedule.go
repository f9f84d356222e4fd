package backend

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// Dist is the distribution a call's service time is drawn from, around the
// schedule's mean service time m at the instant the call starts service.
type Dist string

// Service-time distributions.
const (
	// DistConst serves every call in exactly m.
	DistConst Dist = "const"
	// DistUniform draws uniformly from [m/2, 3m/2]: a floor and a spread, as a
	// server whose work varies per call but never vanishes (the default).
	DistUniform Dist = "uniform"
	// DistExp draws from the exponential distribution of mean m (memoryless,
	// the M/M/c textbook server: some calls are far slower than m).
	DistExp Dist = "exp"
)

// Dists lists the distributions in the order help texts show them.
func Dists() []Dist { return []Dist{DistUniform, DistConst, DistExp} }

// draw returns a service time of mean m.
func (d Dist) draw(rng *rand.Rand, m time.Duration) time.Duration {
	if m <= 0 {
		return 0
	}
	switch d {
	case DistConst:
		return m
	case DistExp:
		return time.Duration(rng.ExpFloat64() * float64(m))
	default:
		return m/2 + time.Duration(rng.Float64()*float64(m))
	}
}

// FailingLine is the failure rate at and above which the backend counts as
// failing when breakers are scored: a breaker should be open while at least
// half the calls fail, and closed while more than half succeed. A breaker
// whose own rule trips on fewer failures is not wrong, but the calls it sheds
// below the line are counted as shed while healthy.
const FailingLine = 0.5

// Limits of a schedule's values; anything beyond them is a typo.
const (
	MaxCapacity = 1_000_000
	MaxService  = time.Hour
)

// Schedule is what a scheduled backend does over a run: how many calls it serves
// at once (Capacity, whole calls, at least 1), the mean time it takes to serve one
// (Service, in nanoseconds), the probability that a call fails (Failure, in
// [0, 1]) and the distribution service times are drawn from (Dist). Offsets are
// measured from the opening of the measured window (see Backend.WindowOpened).
// Each track changes on its own: steps, ramps, a brownout (service time and
// failures up, capacity down) and a recovery are all sequences of stages.
//
// A Schedule is a value; unset tracks (no stages) and an empty Dist are filled
// from another schedule by Over, which is how a family's default applies under
// what a user gave. Safe to copy and to read from several goroutines.
type Schedule struct {
	Capacity Track
	Service  Track
	Failure  Track
	Dist     Dist
}

// Point is a backend's true state at one instant, as the schedule says.
type Point struct {
	// Capacity is the number of calls served at once; further calls queue.
	Capacity int
	// Service is the mean service time of a call that starts now.
	Service time.Duration
	// Failure is the probability that a call that starts now fails.
	Failure float64
}

// Failing reports whether the point counts as failing when breakers are scored
// (Failure ≥ FailingLine).
func (p Point) Failing() bool { return p.Failure >= FailingLine }

// At returns the schedule's state at offset (negative offsets are the warm-up and
// read the first values).
func (s Schedule) At(offset time.Duration) Point {
	return Point{
		Capacity: s.CapacityAt(offset),
		Service:  time.Duration(math.Round(max(s.Service.At(offset), 0))),
		Failure:  min(max(s.Failure.At(offset), 0), 1),
	}
}

// CapacityAt returns the capacity at offset: the track's value rounded to the
// nearest whole call, at least 1.
func (s Schedule) CapacityAt(offset time.Duration) int {
	return max(1, int(math.Round(s.Capacity.At(offset))))
}

// Over returns s with every unset track, and an empty Dist, taken from def.
func (s Schedule) Over(def Schedule) Schedule {
	if !s.Capacity.Set() {
		s.Capacity = def.Capacity
	}
	if !s.Service.Set() {
		s.Service = def.Service
	}
	if !s.Failure.Set() {
		s.Failure = def.Failure
	}
	if s.Dist == "" {
		s.Dist = def.Dist
	}
	return s
}

// Validate reports what makes s unusable for a backend: an unset track, a value out
// of range, an open stage that is not the last one or that ramps, or an unknown
// distribution. Parsed schedules always pass.
func (s Schedule) Validate() error {
	var errs []error
	for _, q := range []struct {
		name  string
		track Track
		quantity
	}{{"capacity", s.Capacity, capacityQuantity}, {"service", s.Service, serviceQuantity}, {"failure", s.Failure, failureQuantity}} {
		if !q.track.Set() {
			errs = append(errs, fmt.Errorf("backend %s is not set", q.name))
			continue
		}
		for i, st := range q.track.Stages {
			for _, v := range []float64{st.From, st.To} {
				if err := q.check(v); err != nil {
					errs = append(errs, fmt.Errorf("backend %s stage %d: %v (allowed: %s)", q.name, i+1, err, q.allowed))
				}
			}
			if st.Duration < 0 || st.Duration == 0 && (i != len(q.track.Stages)-1 || st.Ramp()) {
				errs = append(errs, fmt.Errorf("backend %s stage %d: needs a positive duration (only the last stage may omit it, and only when it holds one value)", q.name, i+1))
			}
		}
	}
	if _, err := parseDist(string(s.Dist)); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// String returns the schedule in the spec syntax ParseSpec reads, with only the
// parts that are set, e.g. "capacity=16x3s,4x4s,16;service=10ms;dist=uniform".
// Results store it as their backend parameter.
func (s Schedule) String() string {
	var parts []string
	for _, q := range []struct {
		name  string
		track Track
		quantity
	}{{"capacity", s.Capacity, capacityQuantity}, {"service", s.Service, serviceQuantity}, {"failure", s.Failure, failureQuantity}} {
		if q.track.Set() {
			parts = append(parts, q.name+"="+q.formatTrack(q.track))
		}
	}
	if s.Dist != "" {
		parts = append(parts, "dist="+string(s.Dist))
	}
	return strings.Join(parts, ";")
}

// CapacitySteps returns the instants the capacity jumps, with the whole-call
// values on either side; jumps that round to the same capacity are left out.
func (s Schedule) CapacitySteps() []Step {
	var out []Step
	for _, st := range s.Capacity.Steps() {
		from, to := max(1, math.Round(st.From)), max(1, math.Round(st.To))
		if from != to {
			out = append(out, Step{At: st.At, From: from, To: to})
		}
	}
	return out
}

// FailingSpans returns the stretches of the run in which the backend is failing
// (failure rate ≥ FailingLine), in order.
func (s Schedule) FailingSpans() []Span { return s.Failure.Above(FailingLine) }

// Build parses spec (the spec syntax, "" for none), fills what it leaves unset
// from def, and returns a backend following the result: how a family turns
// impls.Config.Backend into the backend it sits in front of.
func Build(spec string, def Schedule, opts Options) (*Backend, error) {
	s, err := ParseSpec(spec)
	if err != nil {
		return nil, err
	}
	return New(s.Over(def), opts)
}
