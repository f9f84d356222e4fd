package cli

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/syncbench/syncbench/result"
)

func init() {
	registerSubcommand(subcommand{name: "version", summary: "print the module version, commit and Go version", run: runVersion,
		usage: "usage: loadgen version   (also: loadgen --version)\n\nPrints the module version, the commit it was built from and the Go version."})
}

// runVersion implements `loadgen version` and `loadgen --version`.
func runVersion(_ context.Context, args []string, std stdio) int {
	if len(args) > 0 {
		return badInput(std.stderr, "version takes no arguments, got %q", args[0])
	}
	writeVersion(std.stdout)
	return ExitOK
}

// writeVersion prints one line: "loadgen <module version> (commit <id>) <go
// version> <os>/<arch>". A binary built from a checkout without a module
// version says "(devel)"; the commit comes from the build's VCS stamp or, when
// there is none, the checkout it runs in (result.CurrentEnvironment).
func writeVersion(w io.Writer) {
	version := "(devel)"
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		version = info.Main.Version
	}
	commit := result.CurrentEnvironment().Commit
	if commit == "" {
		commit = "unknown"
	}
	fmt.Fprintf(w, "loadgen %s (commit %s) %s %s/%s\n", version, commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
