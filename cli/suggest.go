package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/internal/spelling"
)

// didYouMean returns "; did you mean PREFIX+X?" for the candidate closest to name
// (within a third of its length in edits, at least 2), or "".
func didYouMean(name string, candidates []string, prefix string) string {
	near := spelling.Closest(name, candidates, max(2, len(name)/3), 1)
	if len(near) == 0 {
		return ""
	}
	return "; did you mean " + prefix + near[0] + "?"
}

// flagNamesOf lists fs's long flag names.
func flagNamesOf(fs *pflag.FlagSet) []string {
	var names []string
	fs.VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	return names
}

// unknownFlagError finds the first argument that names a flag fs does not
// define and describes it the way the user typed it, with the closest flag:
// "unknown flag -imp; did you mean -impl?". pflag alone would read "-imp" as
// the shorthands i, m, p and complain about 'i'. Arguments after "--", and
// values of flags that take one, are not flags. It returns nil when every flag
// is known.
func unknownFlagError(fs *pflag.FlagSet, args []string) error {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" {
			return nil
		}
		if len(arg) < 2 || arg[0] != '-' || arg == "-" {
			continue
		}
		dashes := "-"
		body := arg[1:]
		if strings.HasPrefix(body, "-") {
			dashes, body = "--", body[1:]
		}
		name, _, hasValue := strings.Cut(body, "=")
		if name == "help" || name == "h" {
			continue
		}
		var f *pflag.Flag
		if dashes == "-" && len(name) == 1 {
			f = fs.ShorthandLookup(name)
		} else {
			f = fs.Lookup(name)
			if f == nil && dashes == "-" && len(name) > 1 {
				// "-ofile" is shorthand o with value "file".
				if sh := fs.ShorthandLookup(name[:1]); sh != nil && sh.NoOptDefVal == "" {
					continue
				}
			}
		}
		if f == nil {
			return fmt.Errorf("unknown flag %s%s%s", dashes, name, didYouMean(name, flagNamesOf(fs), "-"))
		}
		if !hasValue && f.NoOptDefVal == "" {
			i++ // the next argument is this flag's value
		}
	}
	return nil
}

// parseFlagSet parses args into fs with the rules every verb shares: Go-style
// single-dash long flags, an unknown flag named as typed with the closest one,
// -h/--help reported as pflag.ErrHelp.
func parseFlagSet(fs *pflag.FlagSet, args []string) error {
	if err := unknownFlagError(fs, args); err != nil {
		return err
	}
	err := fs.Parse(normalizeLongFlags(fs, args))
	if err != nil && !errors.Is(err, pflag.ErrHelp) {
		return flagError(err, fs)
	}
	return err
}

// flagError rewrites pflag's messages into the CLI's style, adding the closest
// flag name where pflag found an unknown one.
func flagError(err error, fs *pflag.FlagSet) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
		return fmt.Errorf("unknown flag -%s%s", name, didYouMean(name, flagNamesOf(fs), "-"))
	}
	return err
}
