// Package workloads applies load to an implementation: it turns a [Spec] into ops,
// issues them from a closed loop (N workers, each starting its next op when the
// previous one finishes) or an open loop (ops start at absolute instants from an
// [Arrivals] schedule, whatever the target is doing), and records every op's
// intended, started and finished instants in a metrics.Recorder. How an open
// loop waits for each instant — sleeping on a kernel timer, spinning, or both —
// is the pacer's job ([Spec].Pacer, [PacerModes]); what the waiting cost is in
// [PacerStats].
//
// Open-loop timing is coordinated-omission free: an op's response time counts from
// its intended instant, so when the target stalls and ops queue for a free worker,
// the queueing shows up in the response time instead of silently vanishing.
package workloads
