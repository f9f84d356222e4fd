package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/workloads"
)

func init() {
	registerSubcommand(subcommand{name: "list", summary: "list implementations by family", run: runList,
		usage: "usage: loadgen list\n\nPrints every implementation -impl accepts, by family, and the built-in workloads -workload accepts."})
}

// runList prints every registered implementation grouped by family, then the
// built-in workloads.
func runList(_ context.Context, args []string, std stdio) int {
	if len(args) > 0 {
		return badInput(std.stderr, "list takes no arguments (got %q)", args[0])
	}
	tw := tabwriter.NewWriter(std.stdout, 0, 4, 2, ' ', 0)
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
	fmt.Fprintln(tw, "\nworkloads (-workload NAME, or -workload FILE.yaml for a scenario):")
	for _, wl := range workloads.NamedWorkloads() {
		fmt.Fprintf(tw, "  %s\t%s\n", wl.Name, wl.Summary)
	}
	tw.Flush()
	return ExitOK
}
