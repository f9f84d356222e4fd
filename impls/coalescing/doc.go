// Package coalescing registers the request-coalescing family: ways to stop a
// herd of callers asking for the same key from each calling a slow backend,
// measured behind the uniform [impls.Target] face.
//
// Implementations:
//
//	nocoalesce         every caller calls the backend (the baseline)
//	singleflight       golang.org/x/sync/singleflight Do, the call run with the leader's context
//	singleflight-chan  singleflight DoChan: callers leave on their own context, the call runs detached
//	keyfill            a mutex per key and a fill count: the hand-made version
//
// Every op, whatever its kind, is one caller asking for op.Key (Config.Keys keys;
// loadgen's -keys and -zipf spread them). The backend sleeps op.Hold and spins
// op.Work before it answers, so -hold sets its latency; it ends early, with an
// error, when the context it was given ends. The callers of a key that overlap a
// call in flight share it: how many overlap is the callers per key, -concurrency
// over -keys in a closed loop.
//
// A share Config.CancelRatio of callers give up after Config.Timeout. What that
// costs the callers that did not give up depends on the implementation: with
// singleflight's Do the leader's context runs the call, so a leader that gives up
// fails it for everyone sharing it (their op is impls.Error, counted as
// collateral_errors); DoChan with a detached call lets a caller leave alone;
// keyfill's waiters cannot leave and refetch, one after another, when a fill
// fails.
//
// # Invariant
//
// Every caller gets its own key's answer. An [Answer] carries the key it was made
// for and a value derived from it ([ValueOf]); a caller that gets, with no error,
// an answer for another key or a wrong value (a coalescer keyed too coarsely, a
// cache that ignores the key) counts a violation, and Verify fails the run with
// an [*impls.InvariantError] naming the first.
//
// Stats reports requests, backend_calls, calls_per_request, shared_pct,
// aborted_calls, gave_up and collateral_errors.
//
// # Your own coalescer
//
// [NewTarget] adapts any [Coalescer] with the same backend, checks and
// statistics as the built-ins, which use the same code; register the result
// under impls.FamilyCoalescing and loadgen (package cli) or package bench measure
// it beside them.
package coalescing
