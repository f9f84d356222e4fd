package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

func init() {
	registerSubcommand(subcommand{name: "help", summary: "show usage; help VERB for one verb", run: runHelp,
		usage: "usage: loadgen help [VERB]\n\nWithout VERB: every flag of the run command and the verbs. With VERB (or run): that verb's usage and flags."})
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

Exit codes: 0 ok, 1 run failed (invariant violated, no op succeeded, or an
output file could not be written), 2 bad input (nothing run or written),
3 threshold or regression check failed, 130 interrupted.
`

// shortUsage is what bare `loadgen` prints: enough to start, and where to read on.
const shortUsage = `loadgen drives locks, semaphores and rate limiters with configurable load and
reports what they cost.

  loadgen -impl tokenbucket -rps 5000          open loop: 5000 ops/s on a token bucket
  loadgen -impl mutex,rwmutex,atomic -out r/   closed loop, results and report.md in r/
  loadgen list                                 the implementations and workloads
  loadgen help                                 every flag and verb;  loadgen help VERB
  loadgen version
`

// runHelp prints usage: the verbs and the run command's flags, or with a verb
// (or "run") that verb's own page.
func runHelp(ctx context.Context, args []string, std stdio) int {
	if len(args) > 0 {
		name := args[0]
		if topic, ok := helpTopics[name]; ok {
			fmt.Fprint(std.stdout, topic())
			return ExitOK
		}
		if name == "run" {
			var f runFlags
			printRunUsage(std.stdout, newRunFlagSet(&f))
			return ExitOK
		}
		sc, ok := subcommands[name]
		if !ok {
			return badInput(std.stderr, "no verb %q%s (allowed: run, %s)", name, didYouMean(name, append(subcommandNames(), "run"), ""), strings.Join(subcommandNames(), ", "))
		}
		if sc.usage != "" {
			fmt.Fprintln(std.stdout, sc.usage)
			return ExitOK
		}
		// Every verb with flags prints its usage and flags on --help.
		return sc.run(ctx, []string{"--help"}, std)
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
