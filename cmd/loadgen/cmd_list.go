package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/syncbench/syncbench/impls"
)

func init() {
	registerSubcommand(subcommand{name: "list", summary: "list implementations by family", run: runList})
}

// runList prints every registered implementation grouped by family.
func runList(_ context.Context, args []string, io stdio) int {
	if len(args) > 0 {
		return badInput(io.stderr, "list takes no arguments (got %q)", args[0])
	}
	tw := tabwriter.NewWriter(io.stdout, 0, 4, 2, ' ', 0)
	family := ""
	for _, impl := range impls.All() {
		if impl.Family != family {
			if family != "" {
				fmt.Fprintln(tw)
			}
			family = impl.Family
			fmt.Fprintf(tw, "%s:\n", family)
		}
		fmt.Fprintf(tw, "  %s\t%s\n", impl.Name, impl.Summary)
	}
	tw.Flush()
	return exitOK
}
