package reports

import (
	"fmt"
	"strconv"

	"github.com/syncbench/syncbench/internal/units"
	"github.com/syncbench/syncbench/result"
)

// Between-run uncertainty. A cell's figure is taken per process, then across
// processes: runs of one process (its -count repetitions) share that
// process's state, so they agree with each other more than two processes do,
// and only the spread across processes says what a second invocation would
// see. A process is identified by its host and PID (Environment.Hostname,
// PID); a result without a PID (a file from before PIDs were recorded) counts
// as a process of its own, since nothing says which of them shared one.

// processKey identifies the process that ran r.
func processKey(r *result.Result) string {
	if r.Env.PID > 0 {
		return r.Env.Hostname + "\x00" + strconv.Itoa(r.Env.PID)
	}
	return "run\x00" + r.Impl + "\x00" + r.Start.String() + "\x00" + strconv.Itoa(r.Repetition) + "\x00" + strconv.Itoa(r.Fork)
}

// unit is the runs of one cell that one process ran.
type unit struct {
	key  string
	runs []*result.Result
}

// units returns c's runs by process, in the order of each process's first
// run (fork order).
func (c *Cell) units() []unit {
	idx := map[string]int{}
	var out []unit
	for _, r := range c.Runs {
		k := processKey(r)
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, unit{key: k})
		}
		out[i].runs = append(out[i].runs, r)
	}
	return out
}

// value is f of the unit: the median over its runs.
func (u unit) value(f func(*result.Result) float64) float64 {
	v := make([]float64, len(u.runs))
	for i, r := range u.runs {
		v[i] = f(r)
	}
	return SpreadOf(v).Median
}

// Across says what a Figure's range spans.
type Across int

const (
	// AcrossForks: separate processes, recorded as such: the between-run
	// spread.
	AcrossForks Across = iota
	// AcrossRuns: runs whose processes were not recorded (older files),
	// each taken as its own process.
	AcrossRuns
	// WithinProcess: the repetitions (-count) of a cell that ran in one
	// process: a lower bound on the run-to-run spread.
	WithinProcess
)

// Figure is one metric of a cell across the processes that ran it: the
// median of the per-process values (each the median of that process's runs)
// and their range. With one process of several runs it is over those runs
// instead, and Across says so.
type Figure struct {
	Spread
	Across Across
	// Runs is the number of results the figure is over.
	Runs int
}

// Figure returns f of c across its processes.
func (c *Cell) Figure(f func(*result.Result) float64) Figure {
	us := c.units()
	if len(us) == 1 && len(us[0].runs) > 1 {
		return Figure{Spread: SpreadOf(c.Metric(f)), Across: WithinProcess, Runs: len(c.Runs)}
	}
	vals := make([]float64, len(us))
	across := AcrossForks
	for i, u := range us {
		vals[i] = u.value(f)
		if u.runs[0].Env.PID == 0 {
			across = AcrossRuns
		}
	}
	return Figure{Spread: SpreadOf(vals), Across: across, Runs: len(c.Runs)}
}

// BetweenRuns reports whether the figure's range is a between-run interval:
// over two or more processes.
func (f Figure) BetweenRuns() bool { return f.N >= 2 && f.Across != WithinProcess }

// noun is what the figure's N counts: "forks" or "runs".
func (f Figure) noun() string {
	if f.Across == AcrossForks {
		return plural(f.N, "fork", "forks")
	}
	return plural(f.N, "run", "runs")
}

// Describe prints the figure with what its range means, for prose (the
// verdicts): "48.2M ops/s (44.1M–53.0M over 6 forks)"; a range over one
// process's repetitions is called a lower bound, and a single run says that
// no between-run uncertainty is known.
func (f Figure) Describe(format func(float64) string, unit string) string {
	if f.N == 0 {
		return units.Missing
	}
	m := format(f.Median) + unit
	switch {
	case f.Across == WithinProcess:
		return fmt.Sprintf("%s (%s–%s over %d runs in one process: a lower bound on the run-to-run spread)", m, format(f.Min), format(f.Max), f.Runs)
	case f.N == 1:
		return m + " (one run: no between-run uncertainty known)"
	case format(f.Min) == format(f.Max):
		return fmt.Sprintf("%s (over %d %s, all alike)", m, f.N, f.noun())
	}
	return fmt.Sprintf("%s (%s–%s over %d %s)", m, format(f.Min), format(f.Max), f.N, f.noun())
}

// plural returns one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// intervalMark flags, in the tables, a cell whose figures carry no
// between-run interval: one process, so its ranges are a lower bound or
// absent.
func intervalMark(c *Cell) (Mark, bool) {
	f := c.Figure(achieved)
	switch {
	case f.Across == WithinProcess:
		return Mark{"⚠R", "one process: the ranges are over in-process repetitions (-count), which share the process's state, so they are a lower bound on the run-to-run spread; run -forks 6 or more for a between-run interval."}, true
	case f.N == 1:
		return Mark{"⚠1", "one run: no between-run uncertainty is known; run -forks 6 or more for a between-run interval."}, true
	}
	return Mark{}, false
}
