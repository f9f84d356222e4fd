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
//	flags_normalize.go  Go-style single-dash long flags (-impl) for pflag
//	run.go              the run command: plan, execute cells, write, print
//	run_flags.go        the run command's flags and which family each applies to
//	run_workload.go     -workload, -arrival and shapes, -zipf, -threshold
//	run_scenario.go     scenario files (-workload FILE.yaml) onto the flags
//	findmax.go          -find-max: probes through maxrate, prints the curve
//	procs.go            -procs: child command lines for multiproc, prints the merge
//	profiles.go         -cpuprofile, -mutexprofile, -blockprofile, -trace
//	hlog.go             the per-run HdrHistogram interval log (.hlog)
//	status.go           the live status line (terminal only)
//	terminal.go         terminal detection
//	summary*.go         the text and markdown summaries
//	cmd_compare.go      loadgen compare
//	cmd_export.go       loadgen export
//	cmd_list.go         loadgen list
//	cmd_merge.go        loadgen merge
//	cmd_report.go       loadgen report, and the verbs' shared flag parsing
package cli
