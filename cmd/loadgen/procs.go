package main

// Multi-process runs (-procs N).
//
// loadgen starts N copies of its own binary that load the same target at the same
// time: the same lock file for the file-lock family, the same Redis key for the
// Redis family (Config.RedisKey defaults to "syncbench:"+impl in every process).
// In-process families (mutexes, semaphores, in-memory limiters) do not contend
// across processes; for them the merged figures describe N independent instances.
//
// Implementations run one after another, and the parent starts the N children of
// each implementation together (each child gets -impl with that one name), so
// all N contend on implementation 1, then all N on implementation 2. Children
// that ran the whole -impl list themselves would drift apart, and a straggler
// still on flock while the others were on ofd would share the lock file through
// two kinds of lock that do not see each other. Children start within
// milliseconds of each other; each then measures the harness floor and warms up,
// which absorbs the skew, but the measured windows of the processes are not
// aligned exactly: the merged duration is the longest child's. The children
// measure their floors at the same time, so with more processes than cores the
// floor shown (the first child's) reads higher than a single process's.
//
// Nothing is left running: the children are in their own process group and on
// Linux get SIGKILL when the parent dies (a second ^C, which exits the parent at
// once, or a SIGKILL of the parent), and an interrupted parent waits for them.
//
// What the figures mean:
//   - A per-process row (impl[p1], impl[p2], ...) is one child's result as a
//     single-process run would report it: its own ops, its own latency
//     distribution, its rates over its own measured duration. Concurrency is per
//     process.
//   - The merged row (impl[merged], written as <impl>.json) is all children's ops
//     as one run (reports.Merge): counts and rates add (the total load the
//     shared target served), and the percentiles come from the children's
//     histograms merged losslessly, so they are the percentiles over every op of
//     every process, not an average of per-process percentiles. Extras["procs"]
//     records the number of processes; the total concurrency is that times
//     Params.Concurrency.
//
// Exclusion across processes (file locks): each implementation gets its own lock
// file — <tmp>/<impl>.lock, or the -lockfile path itself when the run has a
// single file-lock implementation and PATH.<impl> when it has several — whose
// count file the parent zeroes before the children start. Every exclusive critical
// section in every child increments the counter in the count file, protected by
// nothing but the lock under test, and flags a holder found inside. Afterwards the
// counter must equal the sum of the children's acknowledged exclusive acquisitions
// ("acquisitions" stat) and no overlap may have been recorded; anything else is a
// violated invariant (exit 1). The check assumes the children are the only users
// of the lock file. It is skipped (and says so) when a child did not end through
// loadgen's own exit paths, since a killed child's acquisitions are in the counter
// but not in any result.
//
// Exit codes: a child's bad input (2) is printed and returned; a child's failed run
// (1) or a failed exclusion check gives 1 after the results are written; an
// interrupt gives 130 after SIGINT was forwarded to the children and their partial
// results were merged and written.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/impls/filelocks"
	"github.com/syncbench/syncbench/metrics"
	"github.com/syncbench/syncbench/reports"
)

// selfExecutable is the binary the children run. Tests running the command
// in-process point it at a built loadgen, since their own executable is the test
// binary.
var selfExecutable = os.Executable

// procsExtrasKey is the Extras group of a merged result that records how many
// processes it merges and the outcome of the exclusion check.
const procsExtrasKey = "procs"

// procGroup is one cell and repetition of a multi-process run: the children's
// results and their merge.
type procGroup struct {
	cell   cell
	rep    int
	procs  []*metrics.Result // indexed by child; nil where a child wrote none
	merged *metrics.Result   // nil when no child wrote a result
}

// procsRun holds what a multi-process run collects across its implementations.
type procsRun struct {
	p      *plan
	io     stdio
	exe    string
	tmp    string
	groups []*procGroup
	// verdicts are the exclusion check lines, one per file-lock implementation.
	verdicts []string
	// failures are the lines explaining exit 1, printed after the summary.
	failures    []string
	interrupted bool
}

// runProcs runs p in p.flags.procs processes and merges their results; see the
// comment at the top of this file.
func runProcs(ctx context.Context, p *plan, _ []string, io stdio) int {
	exe, err := selfExecutable()
	if err != nil {
		fmt.Fprintf(io.stderr, "loadgen: finding the loadgen binary to start: %v\n", err)
		return exitRunFailed
	}
	tmp, err := os.MkdirTemp("", "loadgen-procs-")
	if err != nil {
		fmt.Fprintf(io.stderr, "loadgen: %v\n", err)
		return exitRunFailed
	}
	defer os.RemoveAll(tmp)
	r := &procsRun{p: p, io: io, exe: exe, tmp: tmp}

	implList := p.implOrder()
	for i, impl := range implList {
		if ctx.Err() != nil {
			r.interrupted = true
			break
		}
		if !p.flags.quiet && isTerminal(io.stderr) {
			fmt.Fprintf(io.stderr, "[%d/%d] %s in %d processes ...\n", i+1, len(implList), impl.Name, p.flags.procs)
		}
		code, err := r.runImpl(ctx, impl)
		if code == exitBadInput {
			return code
		}
		if err != nil {
			fmt.Fprintf(io.stderr, "loadgen: %s: %v\n", impl.Name, err)
			return exitRunFailed
		}
		if len(r.failures) > 0 || r.interrupted {
			break // like a single-process run: stop at the first failure or interrupt
		}
	}
	if ctx.Err() != nil {
		r.interrupted = true
	}
	return r.finish()
}

// implOrder returns the plan's implementations in order, each once.
func (p *plan) implOrder() []impls.Impl {
	var out []impls.Impl
	seen := map[string]bool{}
	for _, c := range p.cells {
		if !seen[c.impl.Name] {
			seen[c.impl.Name] = true
			out = append(out, c.impl)
		}
	}
	return out
}

// runImpl runs impl in every child, merges their results into r.groups, writes
// them to -out and checks exclusion. A code of exitBadInput means a child refused
// its flags (already printed); an error means the run could not be carried out or
// its results not read or written.
func (r *procsRun) runImpl(ctx context.Context, impl impls.Impl) (int, error) {
	p := r.p
	lockFile := r.lockFileFor(impl)
	if lockFile != "" {
		if err := filelocks.ResetTally(lockFile); err != nil {
			return 0, fmt.Errorf("zeroing the exclusion tally: %w", err)
		}
	}
	argv := make([][]string, p.flags.procs)
	dirs := make([]string, p.flags.procs)
	for i := range argv {
		dirs[i] = filepath.Join(r.tmp, impl.Name, fmt.Sprintf("proc-%d", i+1))
		if err := os.MkdirAll(dirs[i], 0o755); err != nil {
			return 0, err
		}
		argv[i] = childArgs(p.fs, impl, dirs[i], lockFile, p.flags.seed+int64(i))
	}
	children, err := runChildren(ctx, r.exe, argv, dirs)
	if err != nil {
		if ctx.Err() != nil {
			r.interrupted = true // interrupted while starting: nothing ran to completion
			return exitOK, nil
		}
		return 0, fmt.Errorf("starting a child process: %w", err)
	}
	for _, c := range children {
		if c.code == exitBadInput {
			fmt.Fprintln(r.io.stderr, c.lastLine())
			return exitBadInput, nil
		}
	}
	for _, c := range children {
		switch c.code {
		case exitOK:
		case exitInterrupted:
			r.interrupted = true
		case -1:
			if ctx.Err() == nil {
				r.failures = append(r.failures, fmt.Sprintf("%s[p%d]: the process was killed by a signal", impl.Name, c.index+1))
			}
		default:
			r.failures = append(r.failures, fmt.Sprintf("%s[p%d]: exit %d: %s", impl.Name, c.index+1, c.code, c.lastLine()))
		}
	}

	groups, complete, err := r.collect(impl, children)
	if err != nil {
		return 0, err
	}
	if lockFile != "" {
		r.exclusion(impl, lockFile, children, groups, complete)
	}
	for _, g := range groups {
		if err := r.write(g); err != nil {
			return 0, fmt.Errorf("writing results: %w", err)
		}
	}
	r.groups = append(r.groups, groups...)
	return exitOK, nil
}

// lockFileFor returns the lock file impl's children share, or "" when impl is not
// a file lock.
func (r *procsRun) lockFileFor(impl impls.Impl) string {
	if impl.Family != impls.FamilyFileLocks {
		return ""
	}
	given := r.p.flags.lockfile
	if given == "" {
		return filepath.Join(r.tmp, impl.Name+".lock")
	}
	n := 0
	for _, other := range r.p.implOrder() {
		if other.Family == impls.FamilyFileLocks {
			n++
		}
	}
	if n == 1 {
		return given
	}
	return given + "." + impl.Name
}

// childArgs returns the flags of one child: the flags set on the parent's command
// line that apply to impl, without -procs, with -impl narrowed to impl, the seed
// offset by the child's index (so the processes do not draw identical op
// sequences; results ignore the seed when matching configurations), and the
// forced -out DIR -quiet -format json, plus -lockfile when lockFile is set.
func childArgs(fs *pflag.FlagSet, impl impls.Impl, dir, lockFile string, seed int64) []string {
	var args []string
	fs.Visit(func(fl *pflag.Flag) {
		switch fl.Name {
		case "procs", "impl", "out", "quiet", "format", "lockfile", "seed":
			return
		}
		if families, ok := familyFlags[fl.Name]; ok && !slices.Contains(families, impl.Family) {
			return // bad input for this impl: it applied to another one of the list
		}
		args = append(args, "--"+fl.Name+"="+fl.Value.String())
	})
	args = append(args, "--impl="+impl.Name, "--seed="+strconv.FormatInt(seed, 10),
		"--out="+dir, "--quiet", "--format=json")
	if lockFile != "" {
		args = append(args, "--lockfile="+lockFile)
	}
	return args
}

// collect reads the children's result files of every cell and repetition of impl
// and merges each set. complete is false when a child that exited on its own
// without being interrupted lacks a result it should have written, or when a child
// did not end on its own: the exclusion check cannot account for its acquisitions.
func (r *procsRun) collect(impl impls.Impl, children []*childProc) (groups []*procGroup, complete bool, err error) {
	p := r.p
	complete = true
	for _, c := range children {
		complete = complete && c.exitedOnItsOwn()
	}
	for rep := 1; rep <= p.flags.count; rep++ {
		for _, cl := range p.cells {
			if cl.impl.Name != impl.Name {
				continue
			}
			g := &procGroup{cell: cl, rep: rep, procs: make([]*metrics.Result, len(children))}
			var found []*metrics.Result
			for i, c := range children {
				path := filepath.Join(c.dir, p.fileName(cl, rep))
				if _, statErr := os.Stat(path); statErr != nil {
					// An interrupted or failed child stops before its later cells.
					complete = complete && c.code != exitOK
					continue
				}
				res, err := metrics.ReadFile(path)
				if err != nil {
					return nil, false, err
				}
				r.restoreParams(res)
				g.procs[i] = res
				found = append(found, res)
			}
			if len(found) == 0 {
				continue
			}
			if g.merged, err = mergeProcs(found, impl, p.command); err != nil {
				return nil, false, err
			}
			if p.flags.count > 1 {
				g.merged.Repetition = rep
			}
			groups = append(groups, g)
		}
	}
	return groups, complete, nil
}

// restoreParams removes from a child's result the lock file the parent chose as a
// temp file: it is an artefact of this run, and recorded it would make the cell's
// configuration differ from every other run's.
func (r *procsRun) restoreParams(res *metrics.Result) {
	if r.p.flags.lockfile != "" || res.Params.Family == nil {
		return
	}
	delete(res.Params.Family, "lockfile")
	if len(res.Params.Family) == 0 {
		res.Params.Family = nil
	}
}

// mergeProcs merges the results of one cell from several processes. ImplStats of
// file locks are counts (acquisitions, shared acquisitions, overlaps), so the
// merged result holds their sums; other families' stats do not always add and
// are kept only where reports.Merge keeps them (equal in every process).
func mergeProcs(results []*metrics.Result, impl impls.Impl, command string) (*metrics.Result, error) {
	merged, err := reports.Merge(results, false)
	if err != nil {
		return nil, err
	}
	merged.Command = command
	if impl.Family == impls.FamilyFileLocks {
		merged.ImplStats = map[string]float64{}
		for _, res := range results {
			for k, v := range res.ImplStats {
				merged.ImplStats[k] += v
			}
		}
	}
	if merged.Extras == nil {
		merged.Extras = map[string]map[string]any{}
	}
	merged.Extras[procsExtrasKey] = map[string]any{"processes": len(results)}
	if impl.IsRateLimiter() {
		if acc := globalLimiterAccuracy(results, merged); acc != nil {
			merged.Extras[metrics.LimiterExtrasKey] = acc
		}
	}
	return merged, nil
}

// globalLimiterAccuracy is a shared (Redis) limiter's accuracy across every
// process: what all of them were admitted together against the one configured
// limit. Per-window maxima need the admission instants, which the children's
// results do not keep, so only the rate figures are given.
func globalLimiterAccuracy(results []*metrics.Result, merged *metrics.Result) map[string]any {
	child, ok := results[0].Extras[metrics.LimiterExtrasKey]
	if !ok {
		return nil
	}
	limit, burst := toFloat(child["limit"]), toFloat(child["burst"])
	secs := float64(merged.DurationNs) / 1e9
	if limit <= 0 || secs <= 0 {
		return nil
	}
	sustained := float64(merged.Counts.OK)
	if merged.Params.WarmupNs == 0 {
		sustained -= burst // a limiter that starts full admits its burst on top of the rate
	}
	return map[string]any{
		"global":         true,
		"admitted":       merged.Counts.OK,
		"admitted_rate":  merged.Rates.Admitted,
		"limit":          limit,
		"burst":          burst,
		"window_ns":      child["window_ns"],
		"rate_error_pct": 100 * (sustained/secs - limit) / limit,
	}
}

// exclusion checks impl's count file against the children's acknowledged
// acquisitions and records the verdict, in the merged results too.
func (r *procsRun) exclusion(impl impls.Impl, lockFile string, children []*childProc, groups []*procGroup, complete bool) {
	verdict := "not checked"
	defer func() {
		for _, g := range groups {
			g.merged.Extras[procsExtrasKey]["exclusion_check"] = verdict
		}
	}()
	if !complete {
		r.verdicts = append(r.verdicts, fmt.Sprintf("%s: exclusion across processes not checked: a process ended without accounting for all its acquisitions", impl.Name))
		return
	}
	var acknowledged uint64
	for _, g := range groups {
		for _, res := range g.procs {
			if res != nil {
				acknowledged += uint64(res.ImplStats["acquisitions"])
			}
		}
	}
	tally, err := filelocks.ReadTally(lockFile)
	if err != nil {
		verdict = "failed"
		r.failures = append(r.failures, fmt.Sprintf("%s: reading the exclusion tally: %v", impl.Name, err))
		return
	}
	if err := checkExclusion(tally, acknowledged); err != nil {
		verdict = "failed"
		line := fmt.Sprintf("%s: exclusion across %d processes violated: %v", impl.Name, len(children), err)
		r.verdicts = append(r.verdicts, line)
		r.failures = append(r.failures, line)
		return
	}
	verdict = "passed"
	r.verdicts = append(r.verdicts, fmt.Sprintf("%s: exclusion across %d processes passed: the count file holds %d exclusive acquisitions, as many as the processes acknowledged, and no overlap",
		impl.Name, len(children), tally.Acquisitions))
}

// checkExclusion compares a count file's tally with the exclusive acquisitions
// the processes acknowledged. Fewer in the file means increments were lost to
// concurrent holders; more means a section incremented the counter but was not
// acknowledged (its release failed); any overlap means two holders were inside at
// once.
func checkExclusion(tally filelocks.Tally, acknowledged uint64) error {
	var problems []string
	if tally.Overlaps > 0 {
		problems = append(problems, fmt.Sprintf("%d critical sections found another holder inside", tally.Overlaps))
	}
	switch {
	case tally.Acquisitions < acknowledged:
		problems = append(problems, fmt.Sprintf("the count file holds %d exclusive acquisitions but the processes acknowledged %d: %d increments were lost",
			tally.Acquisitions, acknowledged, acknowledged-tally.Acquisitions))
	case tally.Acquisitions > acknowledged:
		problems = append(problems, fmt.Sprintf("the count file holds %d exclusive acquisitions but the processes acknowledged only %d",
			tally.Acquisitions, acknowledged))
	}
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(problems, "; "))
}

// write writes a group's merged result as <out>/<file> and the children's as
// <out>/procs/p<i>/<file>.
func (r *procsRun) write(g *procGroup) error {
	out := r.p.flags.out
	if out == "" {
		return nil
	}
	name := r.p.fileName(g.cell, g.rep)
	if err := metrics.WriteFile(filepath.Join(out, name), g.merged); err != nil {
		return err
	}
	for i, res := range g.procs {
		if res == nil {
			continue
		}
		dir := filepath.Join(out, "procs", fmt.Sprintf("p%d", i+1))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := metrics.WriteFile(filepath.Join(dir, name), res); err != nil {
			return err
		}
	}
	return nil
}

// display returns the rows of the summary: each group's processes, labelled
// impl[p1] ..., followed by its merged row, impl[merged]. The labels are for
// display only; the files keep the implementation's name.
func (r *procsRun) display() []*metrics.Result {
	var rows []*metrics.Result
	label := func(res *metrics.Result, tag string) *metrics.Result {
		c := *res
		c.Impl = res.Impl + "[" + tag + "]"
		c.Command = r.p.command // summary.md shows the first row's command
		return &c
	}
	for _, g := range r.groups {
		for i, res := range g.procs {
			if res != nil {
				rows = append(rows, label(res, fmt.Sprintf("p%d", i+1)))
			}
		}
		rows = append(rows, label(g.merged, "merged"))
	}
	return rows
}

// finish writes summary.md, prints the summary and the exclusion verdicts, and
// returns the exit code. JSON on stdout holds the merged results only, under
// their real names, so it has the shape of a single-process run's output; the
// per-process results are in -out/procs.
func (r *procsRun) finish() int {
	p, io := r.p, r.io
	rows := r.display()
	if p.flags.out != "" && len(rows) > 0 {
		var md strings.Builder
		if err := writeMarkdownSummary(&md, rows); err != nil {
			fmt.Fprintf(io.stderr, "loadgen: %v\n", err)
			return exitRunFailed
		}
		for _, v := range r.verdicts {
			fmt.Fprintf(&md, "- %s\n", v)
		}
		if err := metrics.WriteFileAtomic(filepath.Join(p.flags.out, "summary.md"), []byte(md.String())); err != nil {
			fmt.Fprintf(io.stderr, "loadgen: writing results: %v\n", err)
			return exitRunFailed
		}
	}
	var err error
	switch p.flags.format {
	case "json":
		merged := make([]*metrics.Result, 0, len(r.groups))
		for _, g := range r.groups {
			merged = append(merged, g.merged)
		}
		err = printSummary(io.stdout, "json", merged)
	case "md":
		err = printSummary(io.stdout, "md", rows)
		for _, v := range r.verdicts {
			fmt.Fprintf(io.stdout, "- %s\n", v)
		}
	default:
		err = printSummary(io.stdout, "text", rows)
		for _, v := range r.verdicts {
			fmt.Fprintln(io.stdout, v)
		}
	}
	if err != nil {
		fmt.Fprintf(io.stderr, "loadgen: %v\n", err)
		return exitRunFailed
	}
	if len(r.failures) > 0 {
		for _, f := range r.failures {
			fmt.Fprintf(io.stderr, "loadgen: %s\n", f)
		}
		return exitRunFailed
	}
	if r.interrupted {
		fmt.Fprintln(io.stderr, "loadgen: interrupted; partial results are marked \"interrupted\"")
		return exitInterrupted
	}
	return exitOK
}
