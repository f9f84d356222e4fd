// Command loadgen drives concurrency primitives and rate limiters with configurable
// load and reports what they cost. Run `loadgen help` for usage.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "github.com/syncbench/syncbench/impls/all"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		// First signal: stop the run, write partial results, exit 130. Second:
		// the user wants out now.
		<-signals
		cancel()
		<-signals
		fmt.Fprintln(os.Stderr, "loadgen: second interrupt, exiting at once")
		os.Exit(exitInterrupted)
	}()
	os.Exit(runMain(ctx, os.Args[1:], stdio{stdout: os.Stdout, stderr: os.Stderr}))
}

// runMain dispatches to a verb, or to the run command when the first argument is a
// flag (or absent), and turns any panic into exit code 1 with one line on stderr.
func runMain(ctx context.Context, args []string, io stdio) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(io.stderr, "loadgen: internal error: %v\n", p)
			code = exitRunFailed
		}
	}()
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		if sc, ok := subcommands[args[0]]; ok {
			return sc.run(ctx, args[1:], io)
		}
		return badInput(io.stderr, "unknown command %q (allowed: %s, or flags to run load; see `loadgen help`)", args[0], joinNames(subcommandNames()))
	}
	return runLoad(ctx, args, io)
}

func joinNames(names []string) string {
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}

// isTerminal reports whether w is a terminal, for progress output that must never
// reach a pipe or a CI log.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return termIsTerminal(int(f.Fd()))
}
