package cli

import (
	"strings"

	"github.com/spf13/pflag"
)

// normalizeLongFlags rewrites Go-style single-dash long flags ("-impl", "-rps=5000")
// into pflag's double-dash form, so `loadgen -impl mutex` works as written. Only
// names of more than one letter that fs defines as long flags are rewritten; single
// letters stay shorthand, and everything after "--" is left alone.
func normalizeLongFlags(fs *pflag.FlagSet, args []string) []string {
	out := make([]string, 0, len(args))
	for i, arg := range args {
		if arg == "--" {
			return append(out, args[i:]...)
		}
		if len(arg) > 2 && arg[0] == '-' && arg[1] != '-' {
			name, _, _ := strings.Cut(arg[1:], "=")
			if len(name) > 1 && fs.Lookup(name) != nil {
				arg = "-" + arg
			}
		}
		out = append(out, arg)
	}
	return out
}
