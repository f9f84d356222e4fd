package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/pflag"
)

func init() {
	registerSubcommand(subcommand{name: "help", summary: "show usage", run: runHelp})
}

const usageHeader = `loadgen drives locks, semaphores and rate limiters with configurable load and
reports what they cost.

Usage:
  loadgen [flags]            run load (closed loop by default; -rps N for an open loop)
  loadgen VERB [args]        one of the verbs below

Examples:
  loadgen -impl tokenbucket -rps 5000
  loadgen -impl mutex,rwmutex,atomic -rps 5000 -duration 3s
  loadgen -impl locks -concurrency 1,8,64 -out results/

Exit codes: 0 ok, 1 run failed (invariant violated), 2 bad input,
3 threshold or regression check failed, 130 interrupted.
`

// runHelp prints usage: the verbs and the run command's flags.
func runHelp(_ context.Context, args []string, std stdio) int {
	if len(args) > 0 {
		if topic, ok := helpTopics[args[0]]; ok {
			fmt.Fprint(std.stdout, topic())
			return ExitOK
		}
		return badInput(std.stderr, "no help on %q", args[0])
	}
	var f runFlags
	printRunUsage(std.stdout, newRunFlagSet(&f))
	return ExitOK
}

// helpTopics are the extra pages of `loadgen help TOPIC`.
var helpTopics = map[string]func() string{}

func printRunUsage(w io.Writer, fs *pflag.FlagSet) {
	fmt.Fprint(w, usageHeader)
	fmt.Fprintln(w, "\nVerbs:")
	for _, name := range subcommandNames() {
		fmt.Fprintf(w, "  %-10s %s\n", name, subcommands[name].summary)
	}
	fmt.Fprintln(w, "\nFlags (single or double dash):")
	fmt.Fprint(w, fs.FlagUsages())
}
