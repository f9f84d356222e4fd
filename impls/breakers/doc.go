// Package breakers holds the circuit-breaker family: github.com/sony/gobreaker/v2,
// github.com/failsafe-go/failsafe-go's circuit breaker and "no breaker", each in
// front of a scheduled backend (package impls/backend) whose failure rate changes
// over the run, registered under impls.FamilyBreakers.
//
// Every registered breaker follows one rule ([DefaultRule]): open after 5
// consecutive failures, stay open 1 s, let one probe through, close on its
// success. They differ only in how they implement it, which is what is measured.
// The default backend ([DefaultSchedule]) fails every call from 3 s to 7 s of the
// window; -backend-failure and a schedule file change that.
//
// # Scores
//
// Because the backend's failure rate at every instant is known, each breaker is
// scored against it ([Scores]): the time from the failure's start to its opening,
// the calls it let through to the failing backend, the calls it shed while the
// backend was healthy, the time from the recovery to its closing, and goodput.
// The invariant ([Target.Verify]): every state change is legal (closed → open →
// half-open → closed or open) and no call is admitted while open; probes are
// admitted while half-open.
//
// # Your own breaker
//
// [NewTarget] puts any [Breaker] in front of a backend; have its state-change
// hook call [Target.Transition] (from inside Allow or done, as gobreaker's and
// failsafe-go's hooks run, so the order of events is exact). The hook and the
// breaker must not call the Target's other methods, which take the lock Allow
// runs under. Register the target under impls.FamilyBreakers and loadgen scores
// it beside the built-ins.
package breakers
