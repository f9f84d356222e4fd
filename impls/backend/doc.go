// Package backend is a model server whose behaviour follows a schedule: the target
// that the breakers and adaptive families sit in front of, and that a user's own
// breaker or limiter can be put in front of. It serves up to a capacity of calls at
// once and queues the rest, takes a service time drawn around a mean, and fails a
// share of calls; capacity, mean service time and failure rate each change over the
// run by steps and ramps ([Schedule]). Because the schedule is known, the backend's
// true capacity and failure rate at every instant are known too ([Backend.Truth]),
// and a family in front of it is scored against them rather than against itself.
//
// # Schedules
//
// Each quantity is a [Track] of stages, written as loadgen's flags take them:
//
//	-backend-capacity 16x3s,4x4s,16       16 calls at once for 3 s, 4 for 4 s, then 16
//	-backend-service  10msx3s,10ms..40msx2s,40ms   a ramp from 10 ms to 40 ms over 2 s
//	-backend-failure  0x3s,1x4s,0         an outage from 3 s to 7 s, then a recovery
//	-backend-dist     uniform             service times: uniform (m/2..3m/2), const, exp
//
// A stage is VALUExDURATION (hold), FROM..TOxDURATION (ramp) or, last, a bare VALUE
// that holds for the rest of the run. A schedule file (-backend FILE.yaml, see
// [ParseFile]) lists phases back to back instead, and reports errors as
// FILE:LINE:COL. Both compile to the same Schedule, whose String form ("spec
// syntax", [ParseSpec]) is what impls.Config.Backend and a result's parameters hold.
//
// Offset 0 of a schedule is the opening of the measured window: the backend is an
// impls.WindowObserver, and during a warm-up the first values hold.
//
// # Clocks
//
// The backend reads and sleeps on a [Clock]. With a [ManualClock] every call's
// start and end are known in advance (the queue is computed, not raced; see
// [Backend]), so the families' scores are tested against hand-derived cases.
package backend
