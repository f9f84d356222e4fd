// Package limiters holds the rate-limiter family: our own algorithms (a lock-free
// and a mutex-guarded token bucket, a leaky-bucket pacer, fixed window, sliding log,
// sliding counter, GCRA and a multi-limit composition) and three reference libraries
// (golang.org/x/time/rate, go.uber.org/ratelimit, github.com/throttled/throttled/v2)
// behind the same face, [Limiter], and registered with the impls registry under
// family impls.FamilyLimiters.
//
// # Configuration
//
// Every constructor reads the same fields of [impls.Config]:
//
//   - Limit: sustained rate, events per second (0 means 1000; negative, NaN or
//     above 1e9 is an error). Rate-based algorithms space events T = ⌈1e9/Limit⌉ ns
//     apart; rounding T up to a whole nanosecond means the effective rate is never
//     above Limit (exact when Limit divides 1e9).
//   - Burst: the most events admitted at one instant (0 means 100, negative is an
//     error). AllowN(n) with n > Burst is refused by every limiter, whatever its
//     state, because no state could ever admit it.
//   - Window: window length of the window algorithms (0 means 1 s). fixedwindow,
//     slidinglog and slidingcounter admit L = ⌊Limit·Window⌋ events per window,
//     so that their long-run rate equals Limit; L below 1 is an error.
//   - Mode: "allow" (default: AllowN, refused means Denied) or "wait" (WaitN:
//     block until admitted; the op's context ending first means Timeout).
//   - Now: the clock (nil means the real monotonic clock). Instants are read as
//     nanoseconds since construction; a fake clock makes every admission rule
//     deterministic, which is how the property tests run. Waiting always sleeps on
//     the real clock.
//   - Keys and KeyTTL: keyed mode, one limiter per Op.Key (see [Keyed]).
//
// # Admission bounds
//
// Every limiter states what it may admit (impls.Bounded): the most events any
// window of length w can hold and the rate it sustains, with the derivation in its
// doc comment — b + r·w for the buckets, GCRA and the pacers, L per window for the
// sliding log, L per aligned window and 2L across a boundary for the fixed window
// and the sliding counter, both for multi. The harness judges each against its own
// bound, per key in keyed mode, rather than against one formula for all.
//
// # Concurrency
//
// Every Limiter is safe for concurrent use. tokenbucket and gcra are lock-free (one
// compare-and-swap per admission, none per refusal); the others hold a mutex for a
// few arithmetic operations.
//
// # Your own limiter
//
// NewTarget adapts any Limiter, and NewKeyedTarget a constructor of one per key,
// with the same modes and accuracy figures as the built-ins, which use the same
// code; register the result under impls.FamilyLimiters and loadgen (package
// cli) or package bench measure it beside them.
package limiters
