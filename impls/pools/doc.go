// Package pools registers the pool family: ways to get a buffer of -size bytes
// for the length of one op, measured behind the uniform [impls.Target] face.
//
// Implementations:
//
//	syncpool  sync.Pool (its objects survive one garbage collection in a victim cache, not two)
//	alloc     no pool: a fresh allocation per op, dropped for the collector
//	chanpool  a free list in a buffered channel as large as Config.Workers
//
// Every op, whatever its kind, takes an [Object] of Config.Size bytes
// ([DefaultSize] when zero) from its pool, marks it held, writes one byte in
// every 64 of it, spins op.Work and sleeps op.Hold while holding it, clears the
// mark and gives it back. An Object is one allocation: the pools are compared on
// allocs/op, bytes/op and the collections they cause (the harness's runtime
// telemetry, internal/metrics), which is why the GC settings (loadgen's -gogc
// and -memlimit) are a sweep dimension: the collector's pace decides how much a
// pool saves and how often sync.Pool loses its objects.
//
// # Invariant
//
// No object is held by two users at once. Each object's header carries an owner
// word: Get's holder sets it from free to its worker with a compare-and-swap and
// clears it the same way before Put, so an object handed to a second holder
// while the first still has it (a double Put, a shared singleton, a free list
// that lost its lock) fails the second compare-and-swap. Verify then fails the
// run with an [*impls.InvariantError] naming the first such op; the op itself is
// impls.Error. A nil or undersized object is a violation too.
//
// Stats reports gets, new_objects, reused_pct, object_bytes and, for chanpool,
// idle_objects.
//
// # Your own pool
//
// [NewTarget] adapts any [Pool] (Get and Put of *Object) with the same checks and
// statistics as the built-ins, which use the same code; register the result
// under impls.FamilyPools and loadgen (package cli) or package bench measure it
// beside them.
package pools
