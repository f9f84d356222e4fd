package cli

import (
	"fmt"
	"io"
)

// Exit codes Main returns: a stable contract of the command line (README.md,
// "Exit codes" and "Stability"). (internal/exitcode holds the same values for
// the packages that read a loadgen child's exit status; a test keeps the two
// equal.)
const (
	ExitOK          = 0   // success
	ExitRunFailed   = 1   // invariant violated, target error budget blown
	ExitBadInput    = 2   // bad flags, workload file or result file
	ExitCheckFailed = 3   // a threshold or regression check failed
	ExitInterrupted = 130 // stopped by SIGINT/SIGTERM; partial results written
)

// badInput prints one line describing bad input to stderr and returns ExitBadInput.
func badInput(stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "loadgen: "+format+"\n", args...)
	return ExitBadInput
}
