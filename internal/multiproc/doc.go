// Package multiproc runs one load in several loadgen processes at once and merges
// their results: loadgen's -procs N.
//
// Run starts N copies of a loadgen binary that load the same target at the same
// time: the same lock file for the file-lock family, the same Redis key for the
// Redis family (Config.RedisKey defaults to "syncbench:"+impl in every process).
// In-process families (mutexes, semaphores, in-memory limiters) do not contend
// across processes; for them the merged figures describe N independent instances.
//
// Implementations run one after another, and the N children of each
// implementation start together (each child's command line names that one
// implementation), so all N contend on implementation 1, then all N on
// implementation 2. Children that ran the whole list themselves would drift
// apart, and a straggler still on flock while the others were on ofd would share
// the lock file through two kinds of lock that do not see each other. Children
// start within milliseconds of each other; each then measures the harness floor
// and warms up, which absorbs the skew, but the measured windows of the processes
// are not aligned exactly: the merged duration is the longest child's. The
// children measure their floors at the same time, so with more processes than
// cores the floor shown (the first child's) reads higher than a single process's.
//
// Nothing is left running: the children are in their own process group and on
// Linux get SIGKILL when the parent dies (a second ^C, which exits the parent at
// once, or a SIGKILL of the parent), and an interrupted parent waits for them.
//
// What the figures mean:
//   - A per-process result (Group.Procs) is one child's result as a
//     single-process run would report it: its own ops, its own latency
//     distribution, its rates over its own measured duration. Concurrency is per
//     process.
//   - The merged result (Group.Merged) is all children's ops as one run
//     (reports.Merge): counts and rates add (the total load the shared target
//     served), and the percentiles come from the children's histograms merged
//     losslessly, so they are the percentiles over every op of every process, not
//     an average of per-process percentiles. Extras[ExtrasKey] records the number
//     of processes; the total concurrency is that times Params.Concurrency.
//
// Exclusion across processes (file locks): each implementation gets its own lock
// file — <tmp>/<impl>.lock, or Plan.LockFile itself when the run has a single
// file-lock implementation and LockFile.<impl> when it has several — whose count
// file is zeroed before the children start. Every exclusive critical section in
// every child increments the counter in the count file, protected by nothing but
// the lock under test, and flags a holder found inside. Afterwards the counter
// must equal the sum of the children's acknowledged exclusive acquisitions
// ("acquisitions" stat) and no overlap may have been recorded; anything else is a
// violated invariant, listed in Outcome.Failures. The check assumes the children
// are the only users of the lock file. It is skipped (and says so) when a child
// did not end through loadgen's own exit paths, since a killed child's
// acquisitions are in the counter but not in any result.
//
// Exit codes of the children: a child's bad input (exit 2) ends Run with a
// *ChildInputError; a child's failed run (1), a child killed by a signal or a
// failed exclusion check is an Outcome.Failures line after the results are
// written; a child interrupted (130) sets Outcome.Interrupted. When ctx is
// cancelled every child gets one SIGINT, so it writes its partial result, which
// is merged like any other.
package multiproc
