// Package adaptive holds the adaptive concurrency-limit family: a fixed limit (the
// baseline), AIMD, gradient and Vegas limits of our own, and
// github.com/failsafe-go/failsafe-go's adaptive limiter, each in front of a
// scheduled backend (package impls/backend) whose capacity changes over the run,
// registered under impls.FamilyAdaptive.
//
// Our own limits follow the rules of Netflix's concurrency-limits library
// (github.com/Netflix/concurrency-limits, AIMDLimit, GradientLimit and VegasLimit,
// cited with their formulas in [AIMD], [Gradient] and [Vegas]); the Go port of it,
// github.com/platinummonkey/go-concurrency-limits, is not served by the module
// proxy this project builds from. Each rule is applied once per window of 10
// samples ([Windowed]), the way Netflix's WindowedLimit feeds any of its limits.
// Every limit starts at the backend's capacity at offset 0 and sheds (Denied) a
// call that finds it full: none queues in the caller.
//
// # Scores
//
// Because the backend's capacity at every instant is known, each limit is scored
// against it ([Scores]): its tracking error over time, the time to cover 90% of
// each capacity step, how far it overshoots, where it settles, goodput and the
// share of calls shed. The invariant ([Target.Verify]): no call is admitted while
// as many calls as the limit then in force are in flight. The default backend
// ([DefaultSchedule]) steps its capacity 16 → 4 → 16.
//
// # Your own limiter
//
// [NewTarget] puts any [Limiter] in front of a backend; register the result under
// impls.FamilyAdaptive and loadgen scores it beside the built-ins.
package adaptive
