package workloads

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/syncbench/syncbench/internal/metrics"
)

// Scenario is a workload described in a YAML file (-workload file.yaml): one or
// more phases run back to back, with the op mix, keys, timings, family parameters
// and thresholds they share. Pointer fields are nil when the file does not set
// them, so the CLI can apply only what the file says and keep its flag defaults
// for the rest. The file format is documented by the examples/ folder:
//
//	description: text shown in reports
//	impl: mutex,rwmutex            # optional: a name, a family, "all", or a list
//	seed: 1
//	warmup: 200ms
//	mix: 0.9                       # read ratio, or weights: {read: 9, write: 1}
//	                               # or {load: 90, store: 5, delete: 5}
//	keys: 1024
//	zipf: 1.1                      # 0 (uniform) or > 1
//	work: 1us                      # busy time inside the critical section
//	hold: 0s                       # sleeping time while holding
//	think: 0s                      # closed-loop pause between ops
//	params: {limit: 1000, burst: 10, window: 1s, mode: allow, capacity: 4,
//	         weights: [1, 2], timeout: 10ms, key-ttl: 1m, shared-ratio: 0.5}
//	thresholds: ["p99<2ms", "error_rate<1%"]
//	phases:
//	  - name: steady
//	    arrival: poisson            # constant, poisson, ramp, step, sine, burst,
//	    rate: 1000                  # replay, or closed (the default without rate)
//	    concurrency: 8
//	    duration: 1s
//	    # shape keys, spelled as the flags: ramp-from, ramp-to, ramp-over, stages,
//	    # amplitude, period, burst-on, burst-off, replay
type Scenario struct {
	// Name is the file name the scenario was parsed from, as given.
	Name string
	// Description says what the scenario is for.
	Description string
	// Impl is the -impl value the file asks for ("" when the flags decide).
	Impl string
	// Phases run in order; at least one.
	Phases []Phase

	// ReadRatio is the fraction of reads, from a mix given as a ratio or as
	// read/write weights.
	ReadRatio *float64
	// Mix is the op-kind mix, from mix weights that name load, store or delete
	// (see Mix); it overrides ReadRatio.
	Mix *Mix
	// Keys is the number of distinct keys (≥ 1).
	Keys *int
	// Zipf is the key skew: 0 uniform, > 1 Zipf (see NewKeyChooser).
	Zipf *float64
	// Work, Hold and Think are the op timings (see Spec).
	Work, Hold, Think *time.Duration
	// Warmup runs before the first phase and is not recorded.
	Warmup *time.Duration
	// Seed makes the run reproducible.
	Seed *int64
	// Params are the family parameters.
	Params FamilyParams
	// Thresholds are checked against every result of the run.
	Thresholds []metrics.Threshold

	// positions holds where each key the file sets stands, by its path
	// ("impl", "params.limit", "phases.0.replay"), for ErrorAt.
	positions map[string]position
}

// position is a YAML node's line and column, 1-based.
type position struct{ line, column int }

// Sets reports whether the file gives key, a path such as "keys",
// "params.limit" or "phases.0.replay" (phases counted from 0).
func (s *Scenario) Sets(key string) bool {
	_, ok := s.positions[key]
	return ok
}

// ErrorAt returns a *ScenarioError at the value of key (a path as for Sets),
// or at 1:1 when the file does not give it. The caller uses it for what can
// only be judged beside the command line (an implementation name, a parameter
// that applies to none of the chosen implementations), so that such an error
// points into the file, not at a flag the user never passed.
func (s *Scenario) ErrorAt(key, format string, args ...any) *ScenarioError {
	pos, ok := s.positions[key]
	if !ok {
		pos = position{1, 1}
	}
	return &ScenarioError{File: s.Name, Line: pos.line, Column: pos.column, Msg: fmt.Sprintf(format, args...)}
}

// Phase is one stretch of a scenario with its own load model.
type Phase struct {
	// Name labels the phase in output ("phase 1" when the file gives none).
	Name string
	// Arrival is the open-loop schedule name, or "" for a closed loop.
	Arrival string
	// Rate is the open-loop rate in ops/s (see ArrivalParams.Rate); 0 when closed.
	Rate float64
	// Concurrency is the number of closed-loop workers or the open-loop in-flight
	// bound; 0 leaves it to the flags.
	Concurrency int
	// Duration is the phase's length.
	Duration time.Duration
	// Shape holds the shape keys (ramp, stages, sine, burst, replay). A relative
	// replay path is resolved against the scenario file's directory.
	Shape ArrivalParams
}

// Open reports whether the phase is an open loop.
func (p Phase) Open() bool { return p.Arrival != "" }

// ArrivalParams returns the parameters that build the phase's schedule with
// ParseArrival(p.Arrival, ...): the shape keys plus rate, seed and duration.
func (p Phase) ArrivalParams(seed int64) ArrivalParams {
	a := p.Shape
	a.Rate, a.Seed, a.Duration = p.Rate, seed, p.Duration
	return a
}

// Duration returns the total length of the scenario's phases, warm-up excluded.
func (s *Scenario) Duration() time.Duration {
	var d time.Duration
	for _, p := range s.Phases {
		d += p.Duration
	}
	return d
}

// FamilyParams are the family-specific settings of a scenario's params map, spelled
// as their flags. Nil or empty means not set.
type FamilyParams struct {
	// Limit is a rate limiter's rate in events/s (> 0).
	Limit *float64
	// Burst is a rate limiter's bucket size (≥ 0).
	Burst *int
	// Window is a window limiter's window (> 0).
	Window *time.Duration
	// Mode is "allow" or "wait" for limiters, "acquire" or "try" for semaphores.
	Mode string
	// Capacity is a semaphore's total weight (≥ 1).
	Capacity *int64
	// Weights are the op weights drawn per op (each ≥ 1).
	Weights []int64
	// Timeout bounds a blocking acquire (≥ 0).
	Timeout *time.Duration
	// KeyTTL evicts idle keyed limiters (≥ 0).
	KeyTTL *time.Duration
	// SharedRatio is the fraction of file-lock ops taken shared, in [0, 1].
	SharedRatio *float64
}

// Flags returns the parameters that are set, as flag name → value text, the form
// result.Params.Family stores.
func (f FamilyParams) Flags() map[string]string {
	m := map[string]string{}
	num := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	if f.Limit != nil {
		m["limit"] = num(*f.Limit)
	}
	if f.Burst != nil {
		m["burst"] = strconv.Itoa(*f.Burst)
	}
	if f.Window != nil {
		m["window"] = f.Window.String()
	}
	if f.Mode != "" {
		m["mode"] = f.Mode
	}
	if f.Capacity != nil {
		m["capacity"] = strconv.FormatInt(*f.Capacity, 10)
	}
	if len(f.Weights) > 0 {
		parts := make([]string, len(f.Weights))
		for i, w := range f.Weights {
			parts[i] = strconv.FormatInt(w, 10)
		}
		m["weights"] = strings.Join(parts, ",")
	}
	if f.Timeout != nil {
		m["timeout"] = f.Timeout.String()
	}
	if f.KeyTTL != nil {
		m["key-ttl"] = f.KeyTTL.String()
	}
	if f.SharedRatio != nil {
		m["shared-ratio"] = num(*f.SharedRatio)
	}
	return m
}

// ScenarioError reports a scenario file that cannot be used, at the position of
// the offending YAML node. Its message reads FILE:LINE:COL: what is wrong
// (allowed: ...), like a compiler's, so editors can jump to it.
type ScenarioError struct {
	File   string
	Line   int // 1-based
	Column int // 1-based
	// Msg says what is wrong and, in parentheses, what is allowed.
	Msg string
}

func (e *ScenarioError) Error() string { return e.Pos() + ": " + e.Msg }

// Pos is the error's position, "FILE:LINE:COLUMN", as compilers and editors
// print one.
func (e *ScenarioError) Pos() string { return fmt.Sprintf("%s:%d:%d", e.File, e.Line, e.Column) }

// LoadScenario reads and parses the scenario file at path (see ParseScenario).
// A file that cannot be read is reported as a *ScenarioError at 1:1 too, so every
// scenario problem is one kind of bad input.
func LoadScenario(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if pe, ok := errors.AsType[*os.PathError](err); ok {
			err = pe.Err
		}
		return nil, &ScenarioError{File: path, Line: 1, Column: 1, Msg: "cannot read scenario: " + err.Error()}
	}
	s, err := ParseScenario(path, data)
	if err != nil {
		return nil, err
	}
	// A replay file is read now, so that a missing or bad one is reported at
	// the replay key that names it.
	for i, ph := range s.Phases {
		if ph.Arrival != ArrivalReplay {
			continue
		}
		if err := checkReplayFile(ph.Shape.ReplayFile); err != nil {
			return nil, s.ErrorAt(fmt.Sprintf("phases.%d.replay", i), "replay file %v", err)
		}
	}
	return s, nil
}

// checkReplayFile reads the replay file at path as ParseArrival will, and
// returns what is wrong with it: "PATH: no such file or directory", or the
// *ReplayError naming its line.
func checkReplayFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		if pe, ok := errors.AsType[*os.PathError](err); ok {
			err = pe.Err
		}
		return fmt.Errorf("%s: %v", path, err)
	}
	defer f.Close()
	_, err = Replay(f)
	if rerr, ok := errors.AsType[*ReplayError](err); ok {
		rerr.File = path
		return rerr
	}
	return err
}
