package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// verbOutput is a file a verb writes atomically (result.WriteFileAtomic): merge
// -out, export -o, compare -out and -unresolved.
type verbOutput struct{ flag, path string }

// checkVerbOutputs is what the verbs check before they read anything: each
// output can be written (it is not a directory nor a special file, and its
// directory takes a new file, which the atomic write needs), no two outputs
// share a file, and none is one of the inputs, which the write would replace.
// Problems are bad input, found before any output exists; a write that fails
// later (a full disk) is a failed command, exit 1 (writeVerbOutput).
func checkVerbOutputs(inputs []string, outputs ...verbOutput) error {
	for i, o := range outputs {
		if o.path == "" {
			continue
		}
		if err := checkAtomicTarget(o.path); err != nil {
			return fmt.Errorf("%s %q cannot be written: %v", o.flag, o.path, err)
		}
		for _, in := range inputs {
			if sameFile(o.path, in) {
				return fmt.Errorf("%s %q is also an input (allowed: a file of its own, which the output then replaces)", o.flag, o.path)
			}
		}
		for _, other := range outputs[:i] {
			if other.path != "" && sameFile(o.path, other.path) {
				return fmt.Errorf("%s %q is also %s's file (allowed: a file of its own for each output)", o.flag, o.path, other.flag)
			}
		}
	}
	return nil
}

// checkAtomicTarget proves that a file can be put at path by a temporary
// file renamed over it, without changing anything.
func checkAtomicTarget(path string) error {
	if info, err := os.Stat(path); err == nil {
		switch {
		case info.IsDir():
			return errors.New("it is a directory (allowed: a file name)")
		case !info.Mode().IsRegular():
			return errors.New("it is not a regular file (allowed: a regular file, replaced, or a new one)")
		}
	}
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	if err != nil {
		return unwrapPathError(err)
	}
	if !info.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	probe, err := os.CreateTemp(dir, ".loadgen-probe-*")
	if err != nil {
		return unwrapPathError(err)
	}
	probe.Close()
	return os.Remove(probe.Name())
}

// writeFailed reports a verb's output that could not be written once every
// check had passed (a full disk, a closed pipe): a failed command, exit 1, as
// a run's failed write is.
func writeFailed(stderr io.Writer, what string, err error) int {
	fmt.Fprintf(stderr, "loadgen: writing %s: %v\n", what, describeWriteError(unwrapPathError(err)))
	return ExitRunFailed
}
