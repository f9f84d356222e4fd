package cli

// Fleets (-fleet NAME:N): N loadgen processes, on any hosts, that gather
// through the -redis server before every cell and measure one window together;
// see package fleet. The run is otherwise a single-process run: each member
// writes its own results, and `loadgen merge` combines the members' files of a
// cell into one run of the whole fleet.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/pflag"
	redisimpl "github.com/syncbench/syncbench/impls/redis"
	"github.com/syncbench/syncbench/internal/fleet"
	"github.com/syncbench/syncbench/internal/workloads"
)

// fleetErrors checks -redis and how -fleet combines with the other flags.
func (p *plan) fleetErrors() []error {
	f := &p.flags
	var errs []error
	if _, err := redisimpl.ParseEndpoint(f.redis, nil); err != nil {
		errs = append(errs, fmt.Errorf("-redis: %v", err))
	}
	if f.fleet == "" {
		if p.fs.Changed("fleet-wait") {
			errs = append(errs, errors.New("-fleet-wait needs -fleet NAME:N"))
		}
		return errs
	}
	fl, err := fleet.Parse(f.fleet)
	switch {
	case err != nil:
		errs = append(errs, fmt.Errorf("-fleet: %v", err))
	case !p.fs.Changed("redis"):
		errs = append(errs, fmt.Errorf("-fleet %s needs -redis: the server its members meet at (every member must name the same one)", fl))
	case f.procs > 1:
		errs = append(errs, errors.New("-fleet and -procs are both given (allowed: one of them; a fleet's members are separate loadgen invocations)"))
	case p.findMaxCond != nil:
		errs = append(errs, errors.New("-fleet and -find-max are both given (allowed: one of them; the members of a search would measure different rates)"))
	case f.fleetWait <= 0:
		errs = append(errs, fmt.Errorf("-fleet-wait %v is not positive (allowed: > 0, e.g. 1m)", f.fleetWait))
	}
	return errs
}

// joinFleet connects to -redis and returns this process's fleet member, or nil
// without -fleet. The returned close ends the connection.
func (p *plan) joinFleet(ctx context.Context, stderr io.Writer) (*fleet.Member, func(), error) {
	f := &p.flags
	if f.fleet == "" {
		return nil, func() {}, nil
	}
	fl, err := fleet.Parse(f.fleet)
	if err != nil {
		return nil, nil, err
	}
	ep, err := redisimpl.ParseEndpoint(f.redis, os.Getenv)
	if err != nil {
		return nil, nil, err
	}
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	client, _, err := redisimpl.Connect(cctx, ep, redisimpl.ClientOptions{PoolSize: 2})
	if err != nil {
		return nil, nil, fmt.Errorf("-fleet %s: %v", fl, err)
	}
	opts := fleet.Options{ArriveWithin: f.fleetWait}
	if !f.quiet && isTerminal(stderr) {
		opts.OnWait = func(round, arrived, size int) {
			fmt.Fprintf(stderr, "fleet %s, round %d: %d of %d members here, waiting (up to %v from the first) ...\n", fl.Name, round, arrived, size, f.fleetWait)
		}
	}
	return fleet.NewMember(client, fl, opts), func() { _ = client.Close() }, nil
}

// gather waits for the fleet before cell c and aligns job's window to the
// agreed one; the returned window stamps the result. Without a fleet it does
// nothing and returns nil.
func (p *plan) gather(ctx context.Context, c cell, rep int, job *workloads.Job) (*fleet.Window, error) {
	if p.member == nil {
		return nil, nil
	}
	spec := job.Spec
	// What every member must be about to measure: the cell and its window.
	desc := fmt.Sprintf("%s (c=%d rps=%g cpu=%d rep %d, %v after %v warm-up)",
		c.impl.Name, c.concurrency, c.rate, c.cpu, rep, spec.Duration, spec.Warmup)
	w, err := p.member.Gather(ctx, desc, spec.Warmup, spec.Duration)
	if err != nil {
		return nil, err
	}
	job.Spec.StartAt = w.Start
	// Members draw different op sequences, as -procs children do; results
	// ignore the seed when they match configurations.
	job.Spec.Seed += int64(w.Member - 1)
	job.Config.Seed += int64(w.Member - 1)
	return w, nil
}

// isFleetFailure reports a fleet that could not start as asked: a member
// missing or late, or one about to measure something else. That is bad input
// (exit 2), not a failed run: nothing was measured.
func isFleetFailure(err error) bool {
	var fe *fleet.Error
	var late *workloads.StartPassedError
	return errors.As(err, &fe) || errors.As(err, &late)
}

// childFlagValue is a flag's value as a child process's command line carries
// it: -redis without its password, which childEnv passes instead.
func childFlagValue(fl *pflag.Flag) string {
	if fl.Name == "redis" {
		list, _ := redisimpl.WithoutPassword(fl.Value.String())
		return list
	}
	return fl.Value.String()
}

// childEnv is the environment a child process gets beside the parent's: the
// -redis password, if the address carries one, in the variable the child's
// ParseEndpoint reads (redisimpl.PasswordEnv). A command line is readable by
// every user of the host (ps, /proc/PID/cmdline); an environment only by the
// same user.
func childEnv(fs *pflag.FlagSet) []string {
	if !fs.Changed("redis") {
		return nil
	}
	if _, password := redisimpl.WithoutPassword(fs.Lookup("redis").Value.String()); password != "" {
		return []string{redisimpl.PasswordEnv + "=" + password}
	}
	return nil
}

// redactArgs returns the command line with every Redis URL's password replaced
// by "***": the command is recorded in results and shown in reports.
func redactArgs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = redisimpl.Redact(a)
	}
	return out
}
