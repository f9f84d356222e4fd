package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	_ "github.com/syncbench/syncbench/impls/all" // the built-in implementations
	"github.com/syncbench/syncbench/internal/cleanup"
)

// Main runs the loadgen command line: args are the arguments after the program
// name, exactly as `loadgen` would get them (a verb such as compare or list, or
// the run command's flags). It writes to os.Stdout and os.Stderr and returns the
// exit code (ExitOK, ExitRunFailed, ExitBadInput, ExitCheckFailed,
// ExitInterrupted) for the caller to pass to os.Exit; it never panics.
//
// Main handles SIGINT, SIGTERM and SIGHUP while it runs: the first stops the run, which
// writes its partial results marked interrupted and returns ExitInterrupted; a
// second one exits the process at once with ExitInterrupted, the one place Main
// ends the process itself (the user asked twice to stop). On return the signals
// get their default handling back. A closed stdout or -stream pipe is an
// output that failed (exit 1, the other outputs written), never SIGPIPE's death.
//
// Every implementation registered with impls.Register before Main is called can
// be named by -impl, beside the built-in ones. Main is meant to be called once,
// from a main function; it is not safe to call concurrently, since flags such as
// -cpu and -cpuprofile change process-wide settings.
func Main(args []string) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	signals := make(chan os.Signal, 2)
	// SIGHUP (the terminal closed, or a supervisor's stop) is a request to
	// stop like the others: its default action would kill the run with no
	// partial result and leave its temporary files.
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(signals)
	// With SIGPIPE notified, a write to a closed stdout (loadgen -stream - |
	// head -1) fails with EPIPE, reported like any failed output, instead of
	// the default action killing the process before it writes its results.
	// Nothing reads the channel: the signal itself carries no news.
	brokenPipe := make(chan os.Signal, 1)
	signal.Notify(brokenPipe, syscall.SIGPIPE)
	defer signal.Stop(brokenPipe)
	done := make(chan struct{})
	defer close(done)
	go func() {
		// First signal: stop the run, write partial results, exit 130. Second:
		// the user wants out now.
		select {
		case <-signals:
		case <-done:
			return
		}
		cancel()
		select {
		case <-signals:
		case <-done:
			return
		}
		fmt.Fprintln(os.Stderr, "loadgen: second interrupt, exiting at once")
		// os.Exit skips every deferred removal: take the temporary files
		// (.hlog.tmp*, the -procs directory) with us.
		cleanup.RemoveAll()
		os.Exit(ExitInterrupted)
	}()
	return runMain(ctx, args, stdio{stdout: os.Stdout, stderr: os.Stderr})
}

// runMain dispatches to a verb, or to the run command when the first argument is a
// flag (or absent), and turns any panic into exit code 1 with one line on stderr.
func runMain(ctx context.Context, args []string, std stdio) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(std.stderr, "loadgen: internal error: %v\n", p)
			code = ExitRunFailed
		}
	}()
	switch {
	case len(args) == 0:
		// Bare `loadgen` shows what it can do rather than starting a run the
		// user did not describe (as vegeta and k6 do).
		fmt.Fprint(std.stdout, shortUsage)
		return ExitOK
	case args[0] == "--version" || args[0] == "-version":
		return runVersion(ctx, args[1:], std)
	case len(args[0]) > 0 && args[0][0] != '-':
		if sc, ok := subcommands[args[0]]; ok {
			return sc.run(ctx, args[1:], std)
		}
		return badInput(std.stderr, "unknown command %q%s (allowed: %s, or flags to run load; see `loadgen help`)",
			args[0], didYouMean(args[0], subcommandNames(), ""), strings.Join(subcommandNames(), ", "))
	}
	return runLoad(ctx, args, std)
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
