// Package metrics records what happens during a run: the harness's
// measuring side, whose output the public result package stores.
//
// A [Recorder] takes three instants per op (intended, started, finished) from many
// workers and folds them into HDR histograms (hdrhistogram-go's layout, 3 significant
// digits, 1 ns to 1 h) for response time (finished − intended), service time (finished
// − started) and lag (started − intended), plus counts per outcome. The workers record
// into cells, plain counts arrays in that layout that merge and clear in microseconds
// (cell.go); every interval they are swapped out, merged into the run totals and shown
// as hdr.Histograms, so memory stays flat however long the run: no raw samples are
// kept.
//
// Beside the recorder it holds the run's other measurements: runtime telemetry
// (runtime.go: CPU, GC, scheduling, the target's CPU per op), a rate limiter's
// admissions against its bound (accuracy.go), the harness's own allocations
// (harness_allocs.go) and -threshold checks (threshold.go). What they produce is
// stored in a result.Result (package result: the v1 schema, written atomically,
// validated on read).
package metrics
