// Package locks is the lock family: ways of guarding one piece of shared state,
// from sync.Mutex to a lock-free atomic, two striped counters (sharded and its
// reference, xsync's Counter), an owning goroutine (actor) and four concurrent
// maps. Each registers itself with [impls.Register] under [impls.FamilyLocks];
// import the package (or impls/all) for its side effect.
//
// # Ops
//
// The unkeyed targets guard a single int64. [impls.OpWrite] increments it in
// exclusive mode; every other kind ([impls.OpRead], [impls.OpDelete] and kinds the
// family does not know) reads it in shared mode where the primitive has one
// (rwmutex, rbmutex) and in exclusive mode where it has not.
//
// The map targets (map-mutex, map-rwmutex, map-sync, map-xsync) are maps from
// uint64 to uint64 keyed by Op.Key over Config.Keys keys (0 means DefaultMapKeys,
// 1 means every op uses key 0), filled with one entry per key when they are built, so a run's
// warm-up and window find a warm map, as the published map benchmarks do. A load
// ([impls.OpRead], and unknown kinds) looks the key up; a store
// ([impls.OpWrite]) inserts or overwrites it; a delete ([impls.OpDelete]) removes
// it. With deletes in the mix some loads miss and some stores insert; ImplStats
// says how many (loads_hit, loads_missed, stores_inserted, stores_overwrote,
// deletes_removed, deletes_missed, entries_filled, entries_final), counting
// warm-up ops too. map-rwmutex takes its lock shared for loads only.
//
// Inside the critical section a target spins for Op.Work and then sleeps for
// Op.Hold. The lock-free targets have no critical section to run the work in:
// atomic, sharded, counter-xsync, map-sync and map-xsync perform their update
// atomically and then run Op.Work and Op.Hold without any exclusion, so they show
// the cost of the primitive alone, not of serialising the work. Compare them with
// the locks at Work = 0, or read their numbers as "what you get if the work needs
// no lock".
//
// # Invariant
//
// Every target keeps a ledger of what it told its callers: one cache-line-padded
// slot per worker (Op.Worker must lie in [0, Config.Workers), or Do panics).
// Counting happens after the lock is released, so the ledger adds a few plain
// increments to each op and nothing to the critical section. Verify then requires:
//
//   - unkeyed targets: the guarded count equals the writes acknowledged with
//     [impls.OK], and no worker ever read a count lower than one it had read
//     before (the count only grows, so a read going backwards means a torn or
//     stale read);
//   - map targets: entries are conserved. The map holds exactly filled +
//     inserted − removed entries, as the stores and deletes reported them; a
//     fingerprint of the present keys (a wrapping sum of a 64-bit mix of each
//     key) equals the fill's plus the inserted keys' minus the removed keys', so a
//     key missing with another present in its place is caught without storing a
//     set of keys; and every value a load, store or delete handed back, and every
//     value left in the map, carries the key it was stored under. Each target
//     learns "inserted or overwrote" and "removed or missed" from the call it
//     makes anyway (the map's length, sync.Map's Swap and LoadAndDelete, which its
//     Store and Delete are built on, xsync's LoadAndStore and LoadAndDelete), never
//     from an extra lookup.
//
// A violation is returned as an [*impls.InvariantError].
//
// # Contexts
//
// The sync and xsync locks cannot abandon a Lock call, so their Do ignores ctx and
// never returns [impls.Timeout]. casspin checks ctx while it spins and actor while
// it queues its request; both return [impls.Timeout] without touching the state
// when ctx is done first. Once actor has queued a request it waits for the reply,
// because the owning goroutine will perform it and an unacknowledged write would
// break the invariant.
//
// All targets are safe for concurrent use under the [impls.Target] contract: never
// two concurrent Do calls with the same Op.Worker, and Verify only after every Do
// has returned.
//
// # Your own lock
//
// NewTarget adapts any sync.Locker (with RLock/RUnlock when it has them) with
// the same lost-update check as mutex and rwmutex, which use it; register the
// result under impls.FamilyLocks and loadgen (package cli) or package bench
// measure it beside the built-ins.
package locks
