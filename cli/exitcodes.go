package cli

import (
	"fmt"
	"io"

	"github.com/syncbench/syncbench/internal/exitcode"
)

// Exit codes Main returns: the CLI contract of DESIGN.md.
const (
	ExitOK          = exitcode.OK          // 0: success
	ExitRunFailed   = exitcode.RunFailed   // 1: invariant violated, target error budget blown
	ExitBadInput    = exitcode.BadInput    // 2: bad flags, workload file or result file
	ExitCheckFailed = exitcode.CheckFailed // 3: a threshold or regression check failed
	ExitInterrupted = exitcode.Interrupted // 130: stopped by SIGINT/SIGTERM; partial results written
)

// badInput prints one line describing bad input to stderr and returns ExitBadInput.
func badInput(stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "loadgen: "+format+"\n", args...)
	return ExitBadInput
}
