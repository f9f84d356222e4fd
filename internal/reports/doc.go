// Package reports turns saved result documents (result.Result, schema
// "syncbench/result/v1") into what a reader looks at: a markdown report with plots,
// exports other tools read, merged results, and statistical comparisons. It never
// runs load, so everything it shows can be rebuilt from result files long after a run.
//
// # Cells and repetitions
//
// A cell is one configuration of one implementation: results with the same Impl,
// Family, Workload and Params, ignoring Params.Seed and Params.Forks (see [CellKey]).
// Several results of a cell are its forks (separate processes, Result.Fork) and, inside
// each, its repetitions (Result.Repetition). Every headline figure ([HeadlineFigures]) is
// taken per process (the median of its runs), then across processes: the median with its
// between-run range and the number of forks ([Cell.Figure]); a cell that ran in one
// process has no between-run interval and says so. Percentiles are never averaged.
// Spectra are drawn from the cell's histograms merged losslessly.
//
// # Verdicts
//
// A verdict names a winner only when the forks separate it from the runner-up: the
// per-fork log ratios of the two, paired by process, pass a two-sided Wilcoxon
// signed-rank test at p < 0.05 (six paired forks at least), printed with the
// Hodges-Lehmann ratio and its 95% interval; otherwise the two are "not separated" (or
// "level", within 1%). The same rule governs "slowest", "most accurate" and "least
// accurate". Bimodal cells, a fork far from the rest and forks that ran under different
// machine modes are named (docs/verdicts.md).
//
// # report.md (see [WriteReport])
//
// The output directory receives
//
//	report.md    provenance, one summary table per family, "what this shows" lines,
//	             limiter accuracy and implementation statistics where present, plots
//	report.html  report.md converted to one self-contained page (see [HTMLFile]):
//	             every plot inline as SVG, styles inline, nothing fetched
//	results.csv  one row per result (see [WriteCSV])
//	cells.csv    one row per cell: each headline figure's median across the
//	cells.jsonl  cell's forks, with its range and fork count (see [WriteCellsCSV]);
//	             JSON Lines, so no reader takes it for a result (*.json)
//	bench.txt    the Go benchmark format (see [WriteBenchfmt])
//	plots/*.png  and plots/*.svg, embedded in report.md by relative path
//
// Plots: the latency percentile spectrum per family and configuration (x is the
// percentile on the HdrHistogram log scale -log10(1-p), y the response time on a log
// axis); throughput against concurrency or GOMAXPROCS when a family swept either; a
// timeline per cell (p50/p99/max over time above offered and achieved rate); admitted
// rate over time against the configured limit for limiters; and throughput bars with
// min–max error bars across repetitions. Values ≤ 0 never reach a log axis and series
// longer than [MaxSeriesPoints] are downsampled (latencies keep each bucket's
// maximum so peaks stay visible, rates take the bucket mean).
//
// # results.csv
//
// A header row, then one row per result in load order. Columns: impl, family,
// workload, model, arrival, rate, concurrency, gomaxprocs, read_ratio, work_ns,
// think_ns, keys, seed, repetition, start (RFC 3339), duration_ns, interrupted,
// pacer_limited, offered, completed, ok, denied, timeout, error, offered_rate,
// achieved_rate, admitted_rate, then for each of response, service and lag:
// <name>_p50_ns, _p90_ns, _p99_ns, _p999_ns, _p9999_ns, _max_ns, _mean_ns (lag's are
// empty for a closed loop, which has none), floor_ns_per_op, unfinished (ops cut off
// at the end), saturated, response_lower_bound (the response percentiles include
// censored waits), and for each split group (read, write, delete, acquire, allow,
// ok, denied, timeout, error, unfinished) <group>_count, <group>_p50_ns and
// <group>_p99_ns, empty when the result has no such group, then fork, forks, pid,
// machine_round_trip_ns and effective_cores (empty when not measured). Rates are ops/s, times
// nanoseconds. Columns are only ever added at the end.
//
// # bench.txt
//
// Written with golang.org/x/perf/benchfmt. Each result becomes one line named
// "BenchmarkLoadgen/impl=<impl>/workload=<w>/conc=<c>/rps=<rate>[/<family param>=<v>...]-<GOMAXPROCS>"
// with iterations = completed ops and the values ns/op (throughput-derived,
// duration/completed; closed loops only, since an open loop's is its schedule's
// 1/rate), ops/s, response p50-ns, p90-ns, p99-ns, p999-ns and max-ns, and each
// split group's response p99 as <group>-p99-ns (read-p99-ns, write-p99-ns,
// ok-p99-ns, denied-p99-ns, ...). File configuration lines carry goos, goarch, cpu and commit. "Unit ...
// better=higher|lower" lines come first, so benchstat knows each direction.
// Repetitions of a cell share a name and so become one benchstat sample.
//
// # Merge (see [Merge])
//
// Merging treats its inputs as concurrent parts of one run (several processes or
// machines loading the same target at the same time): histograms merge losslessly,
// counts add, the duration is the longest input's, and rates are recomputed as
// counts over that duration. Series intervals at the same offset add their counts
// and rates; their per-interval percentiles are the maximum of the inputs' (an upper
// bound: interval histograms are not stored).
//
// # Compare (see [Compare])
//
// Compare takes samples from two result sets (per cell: ops/s, response p50 and p99
// across repetitions) or two `go test -bench` outputs. Each side is summarised with
// golang.org/x/perf/benchmath (the median with its confidence interval). Outputs
// recorded in rounds ("round: N" configuration lines, scripts/regress.sh) are
// compared as pairs with package paired: per-round log ratios, the Wilcoxon
// signed-rank test, the Hodges-Lehmann change with its interval, and each
// metric's resolution (the smallest slowdown the run could have shown); other
// input falls back to benchmath's Mann-Whitney U. The primary family (CPU
// time/op, else time/op) is Holm-corrected and alone decides the verdict; each
// other unit is Benjamini-Hochberg-corrected on its own and reported. A metric
// regressed when its corrected p-value is below alpha and it moved in the worse
// direction by more than the threshold.
package reports
