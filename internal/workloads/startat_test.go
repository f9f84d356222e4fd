package workloads

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
)

func TestStartAtOpensTheWindowAtThatInstant(t *testing.T) {
	noop, _ := impls.Lookup("noop")
	target, err := noop.New(impls.Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	spec := DefaultSpec()
	// The warm-up takes most of the wait before StartAt, so Drive's start is
	// on time unless its wake-up is 250 ms late (a loaded machine oversleeps
	// tens of ms; with a 100 ms warm-up the run could fail as started late).
	spec.Concurrency, spec.Duration, spec.Warmup, spec.Interval = 1, 50*time.Millisecond, 250*time.Millisecond, 50*time.Millisecond
	// A wall-clock instant without a monotonic reading, as one read from
	// another host would be.
	called := time.Now()
	spec.StartAt = called.Add(300 * time.Millisecond).Round(0)
	run, err := Drive(context.Background(), target, spec, Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(called); took < 350*time.Millisecond {
		t.Fatalf("Drive returned after %v, before StartAt + Duration", took)
	}
	// Run.Start is derived from the clock the window was measured on, so it
	// names the window's real opening.
	if d := run.Start.Sub(spec.StartAt); d < -time.Millisecond || d > time.Millisecond {
		t.Fatalf("window opened %v from StartAt, want within 1ms", d)
	}
}

func TestStartAtInThePastFails(t *testing.T) {
	noop, _ := impls.Lookup("noop")
	target, _ := noop.New(impls.Config{Workers: 1})
	defer target.Close()
	spec := DefaultSpec()
	spec.Concurrency, spec.Duration = 1, 10*time.Millisecond
	spec.StartAt = time.Now().Add(-time.Second)
	_, err := Drive(context.Background(), target, spec, Hooks{})
	var passed *StartPassedError
	if !errors.As(err, &passed) || passed.Late < time.Second {
		t.Fatalf("err = %v, want a *StartPassedError about 1s late", err)
	}
}
