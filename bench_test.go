package syncbench_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/syncbench/syncbench/bench"
	"github.com/syncbench/syncbench/impls"
	_ "github.com/syncbench/syncbench/impls/all"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/internal/redistest"
	"github.com/syncbench/syncbench/internal/workloads"
)

// TestMain prints the unit metadata of the custom metrics once, so benchstat and
// `loadgen compare` know which direction is better for each.
func TestMain(m *testing.M) {
	bench.PrintUnits()
	os.Exit(m.Run())
}

// blockingOnly are limiters that can only wait (go.uber.org/ratelimit): their
// allow regime waits for a limit it never reaches, and they have no deny regime.
var blockingOnly = map[string]bool{"uber": true}

// BenchmarkImpls runs every registered implementation over its family's key
// workloads (bench.Workloads) as sub-benchmarks named impl=NAME/op=WORKLOAD, so
// the registry is covered as it grows. scripts/regress.sh and the Makefile's
// REGRESS_BENCH select benchmarks by these names: keep them stable.
func BenchmarkImpls(b *testing.B) {
	parent := b
	var redisAddr string
	for _, impl := range impls.All() {
		for _, wl := range bench.Workloads(impl.Family) {
			if blockingOnly[impl.Name] && wl.Name == "deny" {
				continue // it never refuses: the deny regime would measure a 1 s sleep
			}
			b.Run(fmt.Sprintf("impl=%s/op=%s", impl.Name, wl.Name), func(b *testing.B) {
				// The maps on their default filled keys, as loadgen runs them.
				cfg := impls.Config{Seed: 1, Keys: impl.DefaultKeys}
				if impl.Family == impls.FamilyRedis {
					if redisAddr == "" {
						// Started on the parent benchmark, so it outlives this
						// sub-benchmark and serves every Redis-backed one.
						redisAddr = redistest.Start(parent).Addr()
					}
					cfg.RedisAddr = redisAddr
				}
				bench.RunTarget(b, impl.New, wl, cfg)
			})
		}
	}
}

// BenchmarkFloor compares the driver's per-op cost on the noop target, one
// closed-loop worker, every op timed (-sample 1), with a bare loop doing the
// same two clock reads and three histogram records. The driver should reach at
// least 80% of the bare loop's throughput: what is left is the floor of a fully
// timed run. The sampled floor (-sample auto, the default for cheap ops) is
// workloads' BenchmarkHarnessFloor.
func BenchmarkFloor(b *testing.B) {
	b.Run("loop=bare", func(b *testing.B) {
		rec := metrics.NewRecorder(1)
		base := time.Now()
		for range b.N {
			started := int64(time.Since(base))
			finished := int64(time.Since(base))
			rec.Record(0, started, started, finished, impls.OK)
		}
	})
	b.Run("loop=driver", func(b *testing.B) {
		noop, _ := impls.Lookup(impls.NoopName)
		target, _ := noop.New(impls.Config{Workers: 1})
		spec := workloads.DefaultSpec()
		spec.Concurrency, spec.Warmup, spec.Duration = 1, 0, time.Hour
		spec.MaxOps, spec.Sample = int64(b.N), 1
		b.ResetTimer()
		run, err := workloads.Drive(context.Background(), target, spec, workloads.Hooks{})
		if err != nil {
			b.Fatal(err)
		}
		if run.Totals.Completed() != int64(b.N) {
			b.Fatalf("driver ran %d ops, want %d", run.Totals.Completed(), b.N)
		}
	})
}
