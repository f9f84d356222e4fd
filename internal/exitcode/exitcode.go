// Package exitcode holds loadgen's exit codes, a stable contract of the command
// line (README.md, "Exit codes" and "Stability"), so that the command line and
// the packages that start loadgen processes and read their exit status agree on
// what each code means.
package exitcode

// Exit codes of a loadgen process.
const (
	OK          = 0   // success
	RunFailed   = 1   // invariant violated, target error budget blown
	BadInput    = 2   // bad flags, workload file or result file
	CheckFailed = 3   // a threshold or regression check failed
	Interrupted = 130 // stopped by SIGINT/SIGTERM; partial results written
)
