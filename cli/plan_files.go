package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/syncbench/syncbench/internal/reports"
)

// checkFiles is the last step of planning and the only one that touches the
// file system: every path the run will write is checked before anything is
// created, and -out is created only when all of them are usable, so bad input
// leaves no file or directory behind.
func (p *plan) checkFiles() error {
	f := &p.flags
	f.profiles.place(f.out)
	outDir := filepath.Clean(f.out)
	outputs := []struct{ flag, path string }{
		{"-cpuprofile", f.profiles.cpu}, {"-mutexprofile", f.profiles.mutex},
		{"-blockprofile", f.profiles.block}, {"-trace", f.profiles.trace}, {"-stream", f.stream},
		{"-junit", p.shape.junit},
	}
	for i, w := range outputs {
		if w.path == "" || w.path == "-" {
			continue
		}
		// Two outputs in one file would overwrite each other.
		for _, other := range outputs[:i] {
			if other.path != "" && other.path != "-" && sameFile(w.path, other.path) {
				return fmt.Errorf("%s %q is also %s's file (allowed: a file of its own for each output)", w.flag, w.path, other.flag)
			}
		}
		inOut := f.out != "" && filepath.Dir(filepath.Clean(w.path)) == outDir
		if name := filepath.Base(w.path); inOut && isRunFile(name) {
			return fmt.Errorf("%s %q would be overwritten by the run's own %s in -out (allowed: another name, or a file outside -out)", w.flag, w.path, name)
		}
		if inOut {
			if _, err := os.Stat(w.path); err != nil {
				continue // created with -out below
			}
		}
		if err := checkWritableFile(w.path, w.flag == "-stream"); err != nil {
			return fmt.Errorf("%s %q cannot be written: %v", w.flag, w.path, err)
		}
	}
	if f.out == "" {
		return nil
	}
	if err := checkOutDir(f.out, f.force); err != nil {
		return err
	}
	_, statErr := os.Stat(f.out)
	if err := checkWritableDir(f.out); err != nil {
		return fmt.Errorf("-out %q is not a writable directory: %v", f.out, err)
	}
	p.createdOut = errors.Is(statErr, fs.ErrNotExist)
	return nil
}

// undoOut removes the -out directory planning created, if it is still empty:
// bad input found after planning (an unreachable -fleet) leaves nothing.
func (p *plan) undoOut() {
	if p.createdOut {
		_ = os.Remove(p.flags.out) // fails, harmlessly, once anything is in it
	}
}

// checkWritableFile proves path can be written without creating or changing
// anything. An existing file must be writable and of a kind an output can go
// to: a regular file or a character device (a terminal, /dev/null), and for
// -stream (stream set) also a FIFO, which openStream opens without waiting
// for its reader. A missing one needs a directory that takes a new file.
func checkWritableFile(path string, stream bool) error {
	if info, err := os.Stat(path); err == nil {
		mode := info.Mode()
		switch {
		case mode.IsDir():
			return errors.New("it is a directory")
		case mode&fs.ModeNamedPipe != 0 && !stream:
			return errors.New("it is a FIFO (allowed: a regular file; only -stream writes to a FIFO)")
		case mode&fs.ModeDevice != 0 && mode&fs.ModeCharDevice == 0:
			return errors.New("it is a block device (allowed: a regular file, a terminal or /dev/null)")
		case mode&fs.ModeSocket != 0:
			return errors.New("it is a socket (allowed: a regular file, a terminal or /dev/null)")
		}
		return accessWrite(path)
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

// sameFile reports whether two output paths name one file: the same path once
// made absolute, or (when both exist) the same file through a link.
func sameFile(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	if errA == nil && errB == nil && absA == absB {
		return true
	}
	infoA, errA := os.Stat(a)
	infoB, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(infoA, infoB)
}

// isRunFile reports whether a run writes a file of this name into -out: a
// result, .hlog or .hgrm file, or a file or directory of the report.
func isRunFile(name string) bool {
	switch name {
	case reports.CSVFile, reports.BenchFile, reports.PlotsSubdir, "procs":
		return true
	}
	return isRunOutput(name)
}

// checkOutDir refuses an -out directory the run cannot own: one whose plots/
// is a symbolic link (the plots would land outside -out), and, unless -force,
// one that already holds results of an earlier run, which the new files would
// silently mix with (a later `loadgen report DIR` reads every result there).
func checkOutDir(dir string, force bool) error {
	if err := checkPlotsDir(dir); err != nil {
		return fmt.Errorf("-out %q: %v", dir, err)
	}
	if force {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil // absent (created later) or unreadable (checkWritableDir says why)
	}
	var stale []string
	for _, e := range entries {
		if isRunOutput(e.Name()) {
			stale = append(stale, e.Name())
		}
	}
	if len(stale) > 0 {
		sort.Strings(stale)
		return fmt.Errorf("-out %q already holds results of an earlier run (%s): use a new directory, or -force to write beside them", dir, listSome(stale, 3))
	}
	return nil
}

// checkPlotsDir refuses a plots/ under dir that is not a plain directory: the
// report would follow a symbolic link and write outside dir.
func checkPlotsDir(dir string) error {
	plots := filepath.Join(dir, reports.PlotsSubdir)
	info, err := os.Lstat(plots)
	switch {
	case err != nil:
		return nil // absent, or -out itself unusable: checkWritableDir says why
	case info.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link: plots would be written outside the directory (allowed: a plain directory, or none)", plots)
	case !info.IsDir():
		return fmt.Errorf("%s is not a directory (allowed: a plain directory, or none)", plots)
	}
	return nil
}

// isRunOutput reports whether a file name is one a run writes into -out.
func isRunOutput(name string) bool {
	if strings.HasPrefix(name, ".") {
		return false
	}
	switch filepath.Ext(name) {
	case ".json", ".hlog", ".hgrm":
		return true
	}
	return name == "summary.md" || name == reports.ReportFile || name == reports.HTMLFile
}

// listSome lists the first n names and how many more there are.
func listSome(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}
