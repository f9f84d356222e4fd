package main

import (
	"fmt"
	"io"
)

// Exit codes: the CLI contract of DESIGN.md.
const (
	exitOK          = 0   // success
	exitRunFailed   = 1   // invariant violated, target error budget blown
	exitBadInput    = 2   // bad flags, workload file or result file
	exitCheckFailed = 3   // a threshold or regression check failed
	exitInterrupted = 130 // stopped by SIGINT/SIGTERM; partial results written
)

// badInput prints one line describing bad input to stderr and returns exitBadInput.
func badInput(stderr io.Writer, format string, args ...any) int {
	fmt.Fprintf(stderr, "loadgen: "+format+"\n", args...)
	return exitBadInput
}
