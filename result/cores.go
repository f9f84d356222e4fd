package result

import "fmt"

// Effective cores. A closed loop whose workers never block keeps every P
// busy, so its process's CPU time over the wall time, its effective cores,
// should be GOMAXPROCS; on a shared machine another process can hold the
// cores instead, and then throughput and CPU/op describe a smaller machine
// than the row says (a go test -bench -cpu 2 round here ran on 0.85 cores and
// put atomic ahead of xsync.Counter, the reverse of the 2-core result). A
// target that blocks (a contended mutex parking, a hold) leaves cores idle by
// itself; to tell the two apart the run also records how long its threads
// were runnable but waiting for a CPU (Linux's schedstat run delay): only when
// that wait accounts for the shortfall did another process hold the cores.

// ShortCoresShare is the share of GOMAXPROCS below which a run counts as
// short of cores.
const ShortCoresShare = 0.8

// ShortOfCores reports whether a run on procs Ps got fewer than
// ShortCoresShare × procs effective cores because other processes held them:
// its threads' run-queue wait, in cores (wait over wall time), makes up at
// least half the shortfall. A negative runQueueCores (not measured) never
// counts as short: the shortfall could be the target blocking.
func ShortOfCores(effective, runQueueCores float64, procs int) bool {
	if procs <= 0 || runQueueCores < 0 || !(effective < ShortCoresShare*float64(procs)) {
		return false
	}
	return runQueueCores >= 0.5*(float64(procs)-effective)
}

// CoresWarning is the flag of a run short of cores: "ran on 1.1 of 2 cores:
// another process held them (its threads waited for a CPU 0.9 cores' worth
// of the time)".
func CoresWarning(effective, runQueueCores float64, procs int) string {
	return fmt.Sprintf("ran on %.2g of %d cores: another process held them (its threads waited for a CPU %.2g cores' worth of the time)",
		effective, procs, runQueueCores)
}

// Cores returns the effective cores of r (its process's CPU time over the
// window's wall time, from its runtime extras), its run-queue wait in cores
// (−1 when not measured) and its GOMAXPROCS; ok is false when r records no
// effective cores (an older file).
func (r *Result) Cores() (effective, runQueueCores float64, procs int, ok bool) {
	rt := r.Extras[RuntimeExtrasKey]
	v, has := rt["effective_cores"]
	if !has {
		return 0, 0, 0, false
	}
	effective = ExtraFloat(v)
	runQueueCores = -1
	if w, has := rt["run_queue_wait_ns"]; has {
		if wall := ExtraFloat(rt["wall_ns"]); wall > 0 {
			runQueueCores = ExtraFloat(w) / wall
		}
	}
	procs = r.Params.GOMAXPROCS
	if procs == 0 {
		procs = r.Env.GOMAXPROCS
	}
	return effective, runQueueCores, procs, true
}

// CoresShortfall is the warning of a closed loop that ran short of cores
// (ShortOfCores), "" for any other run. Open loops leave cores idle between
// arrivals by design.
func (r *Result) CoresShortfall() string {
	if r.OpenLoop() {
		return ""
	}
	eff, rq, procs, ok := r.Cores()
	if !ok || !ShortOfCores(eff, rq, procs) {
		return ""
	}
	return CoresWarning(eff, rq, procs)
}
