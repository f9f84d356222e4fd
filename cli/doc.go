// Package cli is loadgen's command line, importable so that a program of your
// own can register implementations and run the full command line on them:
//
//	func main() {
//		impls.Register(impls.Impl{Name: "mine", Family: impls.FamilyLimiters, ...})
//		os.Exit(cli.Main(os.Args[1:]))
//	}
//
// The package only parses flags, plans runs and prints; the load itself is
// package workloads, multi-process runs package multiproc, the max-rate search
// package maxrate, and the reports package reports. Nothing but a main imports
// it.
//
// Files:
//
//	main.go             Main: signals, verb dispatch, panics to exit 1
//	exitcodes.go        the exit codes (the CLI contract) and badInput
//	verbs.go            the verb registry (loadgen VERB ...)
//	help.go             loadgen help
//	version.go          loadgen version
//	flags_normalize.go  Go-style single-dash long flags (-impl) for pflag
//	suggest.go          "did you mean" for misspelt names and flags
//	run_flags.go        the run command's flags and which family each applies to
//	plan.go             the run command's plan: parse flags, build the cell matrix,
//	                    construct each implementation once; Spec and Config of a cell
//	plan_files.go       the paths a run writes, checked before anything is created
//	access_*.go         access(2): may a file be written, asked without opening it
//	plan_validate.go    the command line's own rules (the values' rules belong to
//	                    workloads.Spec.Validate, impls.Config.Validate, the families)
//	run.go              the run command: execute the cells, write, print
//	run_workload.go     -workload, -arrival and shapes, -zipf, -threshold
//	run_scenario.go     scenario files (-workload FILE.yaml) onto the flags
//	findmax.go          -find-max: probes through package maxrate, prints the curve
//	procs.go            -procs: child command lines for package multiproc, prints the merge
//	forks.go            -forks: how many forks a run gets, their command lines for
//	                    package forks, and what each result records of its fork
//	fleet.go            -fleet: several hosts measuring one window (package fleet)
//	profiles.go         -cpuprofile, -mutexprofile, -blockprofile, -trace
//	hlog.go, hgrm.go    the per-run HdrHistogram interval log and percentile file
//	stream.go           -stream: one JSON line per interval
//	status.go           the live status line (terminal only)
//	progress.go         the progress lines when no terminal shows the status line
//	terminal.go         terminal detection
//	summary*.go         the text and markdown summaries, the cells table (medians
//	                    across forks), the verdict lines and the notes
//	cmd_compare.go      loadgen compare
//	cmd_crossover.go    loadgen crossover: the probes' plans and forks for
//	                    package crossover's search, the answer and its files
//	cmd_export.go       loadgen export
//	cmd_list.go         loadgen list
//	cmd_merge.go        loadgen merge
//	cmd_report.go       loadgen report, and the verbs' shared flag parsing
package cli
