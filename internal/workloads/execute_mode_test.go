package workloads_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	_ "github.com/syncbench/syncbench/impls/limiters" // registers uber and tokenbucket
	"github.com/syncbench/syncbench/internal/workloads"
	"github.com/syncbench/syncbench/result"
)

func TestALimiterResultRecordsTheModeItRanIn(t *testing.T) {
	// uber given no -mode waits (it cannot refuse): the extras must say "wait",
	// not leave readers to guess from an empty -mode.
	for _, c := range []struct{ impl, mode, want string }{
		{"uber", "", "wait"},
		{"tokenbucket", "", "allow"},
		{"tokenbucket", "wait", "wait"},
	} {
		impl, ok := impls.Lookup(c.impl)
		if !ok {
			t.Fatalf("%s is not registered", c.impl)
		}
		spec := workloads.DefaultSpec()
		spec.Duration, spec.Warmup, spec.Interval = 100*time.Millisecond, 0, 50*time.Millisecond
		spec.Rate, spec.Concurrency = 200, 2
		res, err := workloads.Execute(context.Background(), workloads.Job{Impl: impl, Spec: spec,
			Config: impls.Config{Limit: 1000, Burst: 1, Mode: impls.Mode(c.mode)}})
		if err != nil {
			t.Fatalf("%s mode %q: %v", c.impl, c.mode, err)
		}
		if got := res.Extras[result.LimiterExtrasKey]["mode"]; got != c.want {
			t.Errorf("%s with -mode %q: limiter extras mode %v, want %q", c.impl, c.mode, got, c.want)
		}
	}
}
