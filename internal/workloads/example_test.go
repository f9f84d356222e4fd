package workloads_test

import (
	"context"
	"fmt"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/workloads"
)

// ExampleParseArrival builds the schedule of -arrival step -stages
// 1000x2ms,4000x1ms: the intended start offsets of the ops, absolute from the
// start of the run.
func ExampleParseArrival() {
	a, err := workloads.ParseArrival("step", workloads.ArrivalParams{Stages: "1000x2ms,4000x1ms"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for {
		offset, ok := a.Next()
		if !ok {
			break
		}
		fmt.Print(offset, " ")
	}
	fmt.Println()
	// Output: 0s 1ms 2ms 2.25ms 2.5ms 2.75ms
}

// ExampleParseArrival_error shows the one-line error a misspelt schedule gets.
func ExampleParseArrival_error() {
	_, err := workloads.ParseArrival("rmap", workloads.ArrivalParams{Rate: 100})
	fmt.Println(err)
	// Output: unknown arrival "rmap"; did you mean ramp? (allowed: constant, poisson, ramp, step, sine, burst, replay; see `loadgen help arrivals`)
}

// ExampleDrive runs a closed loop of two workers on the noop target for exactly
// 1000 measured ops and reads the run's counts.
func ExampleDrive() {
	noop, _ := impls.Lookup(impls.NoopName)
	target, _ := noop.New(impls.Config{Workers: 2})
	defer target.Close()
	spec := workloads.DefaultSpec()
	spec.Concurrency, spec.Warmup, spec.Duration = 2, 0, time.Minute
	spec.MaxOps = 1000 // ends the run after 1000 ops, well before the minute
	run, err := workloads.Drive(context.Background(), target, spec, workloads.Hooks{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(run.Totals.Completed(), run.Totals.Counts[impls.OK], run.Interrupted)
	// Output: 1000 1000 false
}
