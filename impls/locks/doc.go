// Package locks is the lock family: ways of guarding one piece of shared state,
// from sync.Mutex to a lock-free atomic, a striped counter, an owning goroutine
// (actor) and four concurrent maps. Each registers itself with [impls.Register]
// under [impls.FamilyLocks]; import the package (or impls/all) for its side effect.
//
// # Ops
//
// [impls.OpWrite] increments the guarded state in exclusive mode; every other kind
// ([impls.OpRead] and kinds the family does not know) reads it in shared mode where
// the primitive has one (rwmutex, rbmutex, map-rwmutex) and in exclusive mode where
// it has not. Inside the critical section a target spins for Op.Work and then
// sleeps for Op.Hold. The unkeyed targets guard a single int64; the map targets
// guard a read-mostly cache of per-key counters keyed by Op.Key (Config.Keys keys;
// 0 or 1 means every op uses key 0). A map read looks the key up and a miss is
// fine; a map write increments the key's counter, creating it at 1.
//
// The lock-free targets have no critical section to run the work in: atomic,
// sharded, map-sync and map-xsync perform their update atomically and then run
// Op.Work and Op.Hold without any exclusion, so they show the cost of the primitive
// alone, not of serialising the work. Compare them with the locks at Work = 0, or
// read their numbers as "what you get if the work needs no lock".
//
// # Invariant
//
// Every target keeps a ledger of what it told its callers: one cache-line-padded
// slot per worker (Op.Worker must lie in [0, Config.Workers), or Do panics) that
// counts the writes it acknowledged with [impls.OK]. Counting happens after the
// lock is released, so the ledger adds a plain increment to each op and nothing to
// the critical section. Verify then requires:
//
//   - unkeyed targets: the guarded count equals the acknowledged writes, and no
//     worker ever read a count lower than one it had read before (the count only
//     grows, so a read going backwards means a torn or stale read);
//   - map targets: the counters of all keys sum to the acknowledged writes, no
//     entry holds a count below 1, and a fingerprint of the keys (the sum over
//     acknowledged writes of a 64-bit mix of the key, wrapping) equals the same sum
//     over the map's entries weighted by their counts, so a written key that is
//     missing, or increments that landed under the wrong key, are caught with
//     overwhelming probability without storing a set of written keys.
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
package locks
