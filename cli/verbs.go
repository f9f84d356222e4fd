package cli

import (
	"context"
	"io"
	"sort"
)

// stdio is where a subcommand writes.
type stdio struct {
	stdout, stderr io.Writer
}

// subcommand is one `loadgen NAME ...` verb. Files that implement a verb register
// it from init; main dispatches on the first argument.
type subcommand struct {
	name    string
	summary string // one line for `loadgen help`
	// usage is the verb's page for `loadgen help VERB` when the verb has no
	// flags of its own to print (verbs with flags print theirs on -h).
	usage string
	// run parses args (everything after the verb) and returns an exit code. ctx is
	// cancelled on the first SIGINT/SIGTERM.
	run func(ctx context.Context, args []string, std stdio) int
}

var subcommands = map[string]subcommand{}

func registerSubcommand(sc subcommand) {
	if _, dup := subcommands[sc.name]; dup {
		panic("duplicate subcommand " + sc.name)
	}
	subcommands[sc.name] = sc
}

// subcommandNames returns the registered verbs in order.
func subcommandNames() []string {
	names := make([]string, 0, len(subcommands))
	for name := range subcommands {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
