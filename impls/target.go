package impls

import "context"

// Target is the uniform face of every implementation. The driver calls Do from
// Config.Workers goroutines at once, then Verify once all calls have returned, then
// Close.
type Target interface {
	// Do performs one operation and reports its outcome. It must be safe for
	// concurrent use by Config.Workers goroutines (never two at once with the same
	// Op.Worker). A Target that blocks (a lock, a limiter in wait mode) must return
	// Timeout when ctx is done before it could proceed.
	Do(ctx context.Context, op Op) Outcome
	// Verify checks the family's invariant after the run (no lost updates, held
	// weight never above capacity, ...) and returns an *InvariantError describing
	// the first violation, or nil. It is called once, after every Do has returned.
	Verify() error
	// Close releases the target's resources (goroutines, files, connections).
	Close() error
}

// StatsReporter is implemented by targets that keep family-specific figures worth
// storing in the result (peak in-use weight, live keyed limiters, round trips per
// op). Stats is called once, after Verify; keys are stable snake_case names and
// values carry their unit in the name (e.g. "bytes_per_key").
type StatsReporter interface {
	Stats() map[string]float64
}

// InvariantError reports a violated post-run invariant: a correctness failure of the
// implementation under test, which fails the run.
type InvariantError struct {
	Impl   string // implementation name
	Detail string // what was expected and what was found
}

func (e *InvariantError) Error() string {
	return "invariant violated by " + e.Impl + ": " + e.Detail
}
