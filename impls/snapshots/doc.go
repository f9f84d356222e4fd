// Package snapshots registers the snapshot family: ways of sharing read-mostly
// state (a configuration, a routing table) that is replaced now and then by a
// reload, measured behind the uniform [impls.Target] face.
//
// Implementations:
//
//	snap-pointer  copy-on-write behind atomic.Pointer
//	snap-value    copy-on-write behind atomic.Value
//	snap-rwmutex  sync.RWMutex, reloaded in place
//	snap-mutex    sync.Mutex, reloaded in place
//	snap-rbmutex  xsync v4 RBMutex (reader-biased), reloaded in place
//
// # Ops
//
// The state is a [State] of Config.Keys entries ([DefaultKeys] when 0), every
// entry written with the state's version. A write ([impls.OpWrite]) is a
// reload: it writes the next version of every entry and spends Op.Work busy
// (the cost of building a real state), under the writers' exclusion. The
// copy-on-write stores build a fresh copy beside the old one (its size is
// state_bytes: what each reload allocates) and publish it with one atomic
// store, so readers never wait for a reload; the locks rewrite the state in
// place, allocating nothing, while readers wait. Any other op is a read: it
// takes a consistent view, copies the version and two entries (Op.Key's and
// the one half the state away), and spends Op.Work busy before letting go.
//
// The figures are the harness's per-kind ones: the read split's latency and
// rate is the read cost (and how it scales with GOMAXPROCS, -cpu 1,2,...), the
// write split's is the reload cost, the read p99 of a run whose mix has
// writes is the read tail while reloads run, and the runtime's allocations
// over the reloads are the bytes a reload allocates (reads allocate nothing).
//
// # Invariant
//
// Every read checks, after it let go, that the version and the two entries it
// copied belong to one version, with the values that version wrote; every
// worker checks that the versions it reads never go back. Verify then fails
// with an [*impls.InvariantError] on any torn or stale read, a final state
// whose entries are not all of its version, or a final version other than 1 +
// the reloads performed (a lost reload). The ledgers are per worker and
// uncontended: they cost the store nothing it would not pay anyway.
//
// # Your own store
//
// NewTarget adapts any [Store] (Load and Done around a read, Reload with a
// [Builder]) with the same checks as the built-ins, which use the same code;
// register the result under impls.FamilySnapshots and loadgen (package cli) or
// package bench measure it beside them.
package snapshots
