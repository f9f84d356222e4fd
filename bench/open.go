package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/workloads"
	"github.com/syncbench/syncbench/result"
)

// minOpenDuration is the shortest open-loop run RunOpen makes, so that even
// testing's first b.N = 1 trial measures a window with ops in it: a 10 ms window
// (50 ops at 5000/s) can pass without one finished op when the machine stalls,
// and a shared CI machine does stall for that long.
const minOpenDuration = 100 * time.Millisecond

// RunOpen builds one target with newTarget and offers it b.N ops at a fixed rate
// (ops/s) on workloads.Drive's open-loop schedule, w's op mix, at most
// cfg.Workers ops in flight (0: Parallelism×GOMAXPROCS), for b.N/rate seconds.
// Latency counts from each op's intended start, so a target that cannot keep up
// shows its queueing delay rather than hiding it (no coordinated omission).
//
// It reports the response time's p50-ns, p99-ns and p999-ns over every op, and
// achieved-ops/s; ns/op is then only the schedule's spacing, 1e9/rate. A run the
// harness could not pace (workloads.Run.PacerLimited) is logged, since its
// latencies include the harness's own delay. After the run it calls Verify and
// fails b on a violated invariant, then Close. A rate <= 0 fails b.
func RunOpen(b *testing.B, newTarget func(impls.Config) (impls.Target, error), w Workload, cfg impls.Config, rate float64) {
	b.Helper()
	if !(rate > 0) {
		b.Fatalf("bench: offered rate %v is not positive (want ops/s > 0)", rate)
	}
	target, cfg := buildTarget(b, newTarget, w, cfg)
	defer target.Close()
	spec := workloads.DefaultSpec()
	spec.Rate = rate
	spec.Concurrency = cfg.Workers
	spec.ReadRatio = min(max(w.ReadRatio, 0), 1)
	spec.Warmup = 0
	spec.Duration = max(time.Duration(float64(b.N)/rate*float64(time.Second)), minOpenDuration)
	spec.Interval = spec.Duration
	spec.Seed = cfg.Seed
	spec.Hold = w.Hold
	b.ResetTimer()
	run, err := workloads.Drive(context.Background(), target, spec, workloads.Hooks{})
	b.StopTimer()
	if err != nil {
		b.Fatalf("bench: %v", err)
	}
	resp := run.Totals.Response
	b.ReportMetric(float64(result.ValueAtQuantile(resp, 50)), "p50-ns")
	b.ReportMetric(float64(result.ValueAtQuantile(resp, 99)), "p99-ns")
	b.ReportMetric(float64(result.ValueAtQuantile(resp, 99.9)), "p999-ns")
	if secs := run.Measured.Seconds(); secs > 0 {
		b.ReportMetric(float64(run.Totals.Completed())/secs, "achieved-ops/s")
	}
	if run.PacerLimited {
		b.Logf("bench: the harness could not keep to the schedule (%s); latencies include its own delay", run.PacerLimitedReason)
	}
	if err := target.Verify(); err != nil {
		b.Fatal(err)
	}
}

// PrintUnits prints the benchfmt unit lines of the metrics this package reports,
// so benchstat and `loadgen compare` know which direction is better. Call it from
// TestMain before m.Run.
func PrintUnits() {
	for _, line := range []string{
		"Unit p50-ns better=lower",
		"Unit p99-ns better=lower",
		"Unit p999-ns better=lower",
		"Unit achieved-ops/s better=higher",
		"Unit ops/s better=higher",
		"Unit cpu-ns/op better=lower",
	} {
		fmt.Println(line)
	}
}
