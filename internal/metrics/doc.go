// Package metrics records what happens during a run and stores it.
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
// A [Result] is the versioned JSON document of one run (schema "syncbench/result/v1").
// [WriteFile] writes it atomically; [ReadFile] validates it and reports a bad file
// with a [*FormatError] naming the file and what is wrong.
package metrics
