package cli

import (
	"errors"
	"fmt"

	"github.com/syncbench/syncbench/impls"
)

// validate checks a parsed plan and returns every problem, most basic first;
// the caller prints the first. Each rule lives with what it protects: the
// workload's values with workloads.Spec.Validate, the implementations' with
// impls.Config.Validate and, beyond that, with each family's constructor
// (checkTargets). Only the rules about the command line itself are here: how
// flags combine, the output, and the family values a result records.
func (p *plan) validate() []error {
	f := &p.flags
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }

	if p.fs.Changed("rps") && len(p.rates) > 1 {
		for _, r := range p.rates {
			if r == 0 {
				bad("-rps %q mixes a closed loop (0) into a rate sweep (allowed: rates > 0)", f.rps)
				break
			}
		}
	}
	if p.fs.Changed("mix") && p.fs.Changed("read-ratio") {
		bad("-mix and -read-ratio are both given (allowed: one of them; -read-ratio R is -mix load=R,store=1-R)")
	}
	if f.procs < 1 {
		bad("-procs %d is not positive (allowed: 1 or more)", f.procs)
	}
	errs = append(errs, p.fleetErrors()...)
	if f.count < 1 {
		bad("-count %d is not positive (allowed: 1 or more)", f.count)
	}
	// The workload's values, as every cell will run them.
	for _, c := range p.cells {
		errs = append(errs, flagErrors(p.spec(c).Validate())...)
	}
	if f.format != "text" && f.format != "json" && f.format != "md" {
		bad("-format %q is not known (allowed: text, json, md)", f.format)
	}
	// Zero means "the family's default" to a constructor, but the flag's value is
	// what a result records as the configuration: a zero would record one value
	// and run another.
	if f.capacity < 1 {
		bad("-capacity %d is not positive (allowed: 1 or more)", f.capacity)
	}
	if !(f.limit > 0) {
		bad("-limit %v is not a positive rate (allowed: > 0 events/s)", f.limit)
	}
	if f.burst < 1 {
		bad("-burst %d is not positive (allowed: 1 or more)", f.burst)
	}
	if f.window <= 0 {
		bad("-window %v is not positive (allowed: > 0, e.g. 1s)", f.window)
	}
	errs = append(errs, flagErrors(p.config(impls.Impl{}, 1).Validate())...)
	if f.mode != "" {
		if err := checkMode(f.mode, p.chosen); err != nil {
			errs = append(errs, err)
		}
	}
	if p.findMaxCond != nil && (p.scenario != nil || len(p.rates) > 1 || f.count > 1) {
		bad("-find-max searches the rate itself: it does not combine with a scenario file, an -rps list or -count")
	}
	// Last, and only for an otherwise valid plan: it creates the directory.
	if f.out != "" && len(errs) == 0 {
		if err := checkWritableDir(f.out); err != nil {
			bad("-out %q is not a writable directory: %v", f.out, err)
		}
	}
	return dedupe(errs)
}

// dedupe drops repeated messages: a value checked by two owners (-keys is both
// the workload's and the implementations') is reported once.
func dedupe(errs []error) []error {
	seen := map[string]bool{}
	out := errs[:0]
	for _, err := range errs {
		if !seen[err.Error()] {
			seen[err.Error()] = true
			out = append(out, err)
		}
	}
	return out
}

// flagErrors unpacks the joined *impls.FieldError values a Validate method
// returns into errors naming the flag: "-duration 0s is not positive ...".
func flagErrors(err error) []error {
	if err == nil {
		return nil
	}
	var list []error
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		list = joined.Unwrap()
	} else {
		list = []error{err}
	}
	out := make([]error, 0, len(list))
	for _, e := range list {
		var fe *impls.FieldError
		if errors.As(e, &fe) {
			out = append(out, fmt.Errorf("-%s %s", fe.Field, fe.Msg))
			continue
		}
		out = append(out, e)
	}
	return out
}
