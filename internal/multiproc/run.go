package multiproc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/filelocks"
	"github.com/syncbench/syncbench/internal/cleanup"
	"github.com/syncbench/syncbench/internal/exitcode"
	"github.com/syncbench/syncbench/result"
)

// ExtrasKey is the Extras group of a merged result that records how many
// processes it merges ("processes") and, for file locks, the outcome of the
// exclusion check ("exclusion_check": passed, failed or not checked).
const ExtrasKey = "procs"

// Plan is a multi-process run, validated by the caller: Run starts what it says
// without further checks.
type Plan struct {
	// Exe is the loadgen binary every child runs.
	Exe string
	// Procs is the number of processes per implementation (1 or more).
	Procs int
	// Impls are the implementations, in run order, each once.
	Impls []impls.Impl
	// LockFile is the lock file the user chose for the file-lock family; "" for a
	// temporary one per implementation.
	LockFile string
	// Args returns the command line (without the program name) of child number
	// child (0-based) of impl: it must run impl alone, write its result files into
	// dir and, when lockFile is not "", lock that file.
	Args func(impl impls.Impl, child int, dir, lockFile string) []string
	// Files lists the result files a child of impl writes into its directory, in
	// run order: one per cell and repetition.
	Files func(impl impls.Impl) []File
	// Env holds extra environment entries ("KEY=value") for every child, beside
	// the parent's environment: where a secret such as the Redis password
	// goes, since argv is readable by any user of the host.
	Env []string
	// Command is the parent's command line, stored in the merged results.
	Command string
	// Stamp, when not nil, is called on each merged result before it is
	// written: the parent records what only the merge can show (the
	// thresholds' verdicts).
	Stamp func(*result.Result)
	// Out is the directory the merged results are written to, as each
	// implementation finishes (<Out>/<File.Name>), with the children's results
	// under <Out>/procs/p<i>/; "" writes nothing.
	Out string
	// OnImpl, when not nil, is called before the children of the i-th (0-based)
	// implementation start.
	OnImpl func(i int, impl impls.Impl)
}

// File is one result file a child writes.
type File struct {
	// Name is the file's name in the child's directory, and the merged result's
	// name in Plan.Out.
	Name string
	// Repetition is stored in the merged result when above 0 (a -count run).
	Repetition int
}

// Group is one cell and repetition of a multi-process run: the children's
// results and their merge.
type Group struct {
	Impl  impls.Impl
	File  File
	Procs []*result.Result // indexed by child; nil where a child wrote none
	// Merged is every child's result merged into one (see the package doc); never
	// nil: a group exists only when some child wrote its file.
	Merged *result.Result
}

// Outcome is what a multi-process run collected across its implementations.
type Outcome struct {
	// Groups are the merged cells, in run order.
	Groups []*Group
	// Verdicts are the exclusion check lines, one per file-lock implementation.
	Verdicts []string
	// Failures explain why the run failed (a child's failed run or death, a failed
	// exclusion check); empty when it did not.
	Failures []string
	// Interrupted is set when ctx was cancelled or a child was interrupted.
	Interrupted bool
}

// ChildInputError reports that a child refused its command line (exit 2). Run
// stops the other children and returns it at once, with no result written for
// that implementation.
type ChildInputError struct {
	Msg string // the child's last stderr line, which explains the refusal
}

func (e *ChildInputError) Error() string { return e.Msg }

// run holds one Run's state.
type run struct {
	p   Plan
	tmp string
	out *Outcome
}

// Run runs p: for each implementation in turn, p.Procs children at once, then
// reads, merges and (with p.Out) writes their results. Like a single-process run
// it stops at the first failure or interrupt and returns what ran. An error means
// the run could not be carried out or its results not read or written; a
// *ChildInputError means a child refused its flags. The Outcome is never nil.
func Run(ctx context.Context, p Plan) (*Outcome, error) {
	r := &run{p: p, out: &Outcome{}}
	tmp, err := os.MkdirTemp("", "loadgen-procs-")
	if err != nil {
		return r.out, err
	}
	defer os.RemoveAll(tmp)
	// The command line's hard exit (a second interrupt) skips the defer.
	defer cleanup.Track(tmp)()
	r.tmp = tmp
	for i, impl := range p.Impls {
		if ctx.Err() != nil {
			r.out.Interrupted = true
			break
		}
		if p.OnImpl != nil {
			p.OnImpl(i, impl)
		}
		if err := r.runImpl(ctx, impl); err != nil {
			if _, ok := errors.AsType[*ChildInputError](err); ok {
				return r.out, err
			}
			return r.out, fmt.Errorf("%s: %w", impl.Name, err)
		}
		if len(r.out.Failures) > 0 || r.out.Interrupted {
			break // like a single-process run: stop at the first failure or interrupt
		}
	}
	if ctx.Err() != nil {
		r.out.Interrupted = true
	}
	return r.out, nil
}

// runImpl runs impl in every child, merges their results into r.out.Groups,
// writes them to p.Out and checks exclusion.
func (r *run) runImpl(ctx context.Context, impl impls.Impl) error {
	p := r.p
	lockFile := r.lockFileFor(impl)
	if lockFile != "" {
		if err := filelocks.ResetTally(lockFile); err != nil {
			return fmt.Errorf("zeroing the exclusion tally: %w", err)
		}
	}
	argv := make([][]string, p.Procs)
	dirs := make([]string, p.Procs)
	for i := range argv {
		dirs[i] = filepath.Join(r.tmp, impl.Name, fmt.Sprintf("proc-%d", i+1))
		if err := os.MkdirAll(dirs[i], 0o755); err != nil {
			return err
		}
		argv[i] = p.Args(impl, i, dirs[i], lockFile)
	}
	children, err := runChildren(ctx, p.Exe, argv, dirs, p.Env)
	if err != nil {
		if ctx.Err() != nil {
			r.out.Interrupted = true // interrupted while starting: nothing ran to completion
			return nil
		}
		return fmt.Errorf("starting a child process: %w", err)
	}
	for _, c := range children {
		if c.code == exitcode.BadInput {
			return &ChildInputError{Msg: c.lastLine()}
		}
	}
	for _, c := range children {
		switch c.code {
		case exitcode.OK:
		case exitcode.Interrupted:
			r.out.Interrupted = true
		case -1:
			if ctx.Err() == nil {
				r.out.Failures = append(r.out.Failures, fmt.Sprintf("%s[p%d]: the process was killed by a signal", impl.Name, c.index+1))
			}
		default:
			r.out.Failures = append(r.out.Failures, fmt.Sprintf("%s[p%d]: exit %d: %s", impl.Name, c.index+1, c.code, c.lastLine()))
		}
	}

	groups, complete, err := r.collect(impl, children)
	if err != nil {
		return err
	}
	if lockFile != "" {
		r.exclusion(impl, lockFile, children, groups, complete)
	}
	for _, g := range groups {
		if err := r.write(g); err != nil {
			return fmt.Errorf("writing results: %w", err)
		}
	}
	r.out.Groups = append(r.out.Groups, groups...)
	return nil
}

// lockFileFor returns the lock file impl's children share, or "" when impl is not
// a file lock.
func (r *run) lockFileFor(impl impls.Impl) string {
	if impl.Family != impls.FamilyFileLocks {
		return ""
	}
	given := r.p.LockFile
	if given == "" {
		return filepath.Join(r.tmp, impl.Name+".lock")
	}
	n := 0
	for _, other := range r.p.Impls {
		if other.Family == impls.FamilyFileLocks {
			n++
		}
	}
	if n == 1 {
		return given
	}
	return given + "." + impl.Name
}

// collect reads the children's result files of impl and merges each set.
// complete is false when a child that exited on its own without being
// interrupted lacks a result it should have written, or when a child did not end
// on its own: the exclusion check cannot account for its acquisitions.
func (r *run) collect(impl impls.Impl, children []*childProc) (groups []*Group, complete bool, err error) {
	complete = true
	for _, c := range children {
		complete = complete && c.exitedOnItsOwn()
	}
	for _, file := range r.p.Files(impl) {
		g := &Group{Impl: impl, File: file, Procs: make([]*result.Result, len(children))}
		var found []*result.Result
		for i, c := range children {
			path := filepath.Join(c.dir, file.Name)
			if _, statErr := os.Stat(path); statErr != nil {
				// An interrupted or failed child stops before its later cells.
				complete = complete && c.code != exitcode.OK
				continue
			}
			res, err := result.ReadFile(path)
			if err != nil {
				return nil, false, err
			}
			r.restoreParams(res)
			g.Procs[i] = res
			found = append(found, res)
		}
		if len(found) == 0 {
			continue
		}
		if g.Merged, err = mergeProcs(found, impl, r.p.Command); err != nil {
			return nil, false, err
		}
		if file.Repetition > 0 {
			g.Merged.Repetition = file.Repetition
		}
		if r.p.Stamp != nil {
			r.p.Stamp(g.Merged)
		}
		groups = append(groups, g)
	}
	return groups, complete, nil
}

// restoreParams removes from a child's result the lock file Run chose as a temp
// file: it is an artefact of this run, and recorded it would make the cell's
// configuration differ from every other run's.
func (r *run) restoreParams(res *result.Result) {
	if r.p.LockFile != "" || res.Params.Family == nil {
		return
	}
	delete(res.Params.Family, "lockfile")
	if len(res.Params.Family) == 0 {
		res.Params.Family = nil
	}
}

// write writes a group's merged result as <out>/<file> and the children's as
// <out>/procs/p<i>/<file>.
func (r *run) write(g *Group) error {
	out := r.p.Out
	if out == "" {
		return nil
	}
	name := g.File.Name
	if err := result.WriteFile(filepath.Join(out, name), g.Merged); err != nil {
		return err
	}
	for i, res := range g.Procs {
		if res == nil {
			continue
		}
		dir := filepath.Join(out, "procs", fmt.Sprintf("p%d", i+1))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := result.WriteFile(filepath.Join(dir, name), res); err != nil {
			return err
		}
	}
	return nil
}
