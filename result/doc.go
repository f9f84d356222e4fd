// Package result is syncbench's result format: the JSON document loadgen writes
// for every run, schema "syncbench/result/v1" ([Schema]), its parts, and the
// functions that read, write and check it. Everything a report shows is rebuilt
// from these documents, so they are the record of a run; CI compares them across
// versions.
//
// The format is specified field by field, with the files written beside it
// (.hlog, .hgrm) and the exports (CSV, benchfmt), in [docs/results-format.md].
// In short: a [Result] holds the run's configuration ([Params], [Environment]),
// its [Counts] and [Rates] over the measured window, [Latencies] summarising
// response, service and lag times, the merged HDR histograms ([Histograms], V2
// compressed and base64 encoded, one geometry for all so any two merge
// losslessly: see [NewHistogram]), per-kind and per-outcome [Split] groups, a
// time [Interval] series, the harness's own share ([Floor], [Timing], [Harness])
// and family extras. Durations and latencies are nanoseconds, rates per second.
//
// Stability: within v1, fields are added, never renamed or removed, and their
// meaning does not change. [Decode] refuses another schema and, decoding with
// DisallowUnknownFields, a field it does not know, so a file with a field added
// by a newer release is refused by an older one. Every refusal is a
// [*FormatError] naming the file.
//
// What fields mean read together is a method, so every reader applies one
// rule: [Result.OpenLoop], [Result.IsSaturated], [Result.Lag] (absent for a
// closed loop), [Result.SplitGroup] and [Result.SplitLatency],
// [Result.Starvation]; [Counts.Add] adds the counts of concurrent parts of one
// run.
//
// [WriteFile] writes a document atomically (a temporary file renamed into
// place); [ReadFile] reads and validates one. The functions are safe for
// concurrent use; a Result is plain data, to be shared read-only.
//
// [docs/results-format.md]: https://github.com/syncbench/syncbench/blob/main/docs/results-format.md
package result
