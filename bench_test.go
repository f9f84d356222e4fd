package syncbench_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/impls"
	_ "github.com/syncbench/syncbench/impls/all"
	"github.com/syncbench/syncbench/internal/redistest"
	"github.com/syncbench/syncbench/metrics"
	"github.com/syncbench/syncbench/workloads"
	"golang.org/x/sys/unix"
)

// TestMain prints the unit metadata of the custom metrics once, so benchstat and
// `loadgen compare` know which direction is better for each.
func TestMain(m *testing.M) {
	fmt.Println("Unit p50-ns better=lower")
	fmt.Println("Unit p99-ns better=lower")
	fmt.Println("Unit ops/s better=higher")
	fmt.Println("Unit cpu-ns/op better=lower")
	os.Exit(m.Run())
}

// benchWorkload is one way of exercising a family in BenchmarkImpls.
type benchWorkload struct {
	name      string
	readRatio float64
	configure func(*impls.Config)
}

// familyWorkloads are the key workloads per family: reads and writes for locks
// (contended: every goroutine shares one target), the admit and deny regimes for
// limiters, an acquire for semaphores.
var familyWorkloads = map[string][]benchWorkload{
	impls.FamilyHarness: {{name: "read", readRatio: 1}},
	impls.FamilyLocks: {
		{name: "read", readRatio: 1},
		{name: "write", readRatio: 0},
		{name: "read-heavy", readRatio: 0.9},
	},
	impls.FamilySemaphores: {{name: "acquire", configure: func(c *impls.Config) { c.Capacity = 4 }}},
	impls.FamilyLimiters: {
		// allow: a limit far above what the benchmark can ask for, so every call
		// is admitted; deny: a spent bucket, so every call but the first is refused.
		{name: "allow", configure: func(c *impls.Config) { c.Limit, c.Burst, c.Window = 1e9, 1<<20, time.Millisecond }},
		{name: "deny", configure: func(c *impls.Config) { c.Limit, c.Burst, c.Window = 1, 1, time.Second }},
	},
	impls.FamilyFileLocks: {
		{name: "read", readRatio: 1},
		{name: "write", readRatio: 0},
	},
	impls.FamilyRedis: {{name: "op", readRatio: 0, configure: func(c *impls.Config) { c.Limit, c.Burst = 1e9, 1<<20 }}},
}

// blockingOnly are limiters that can only wait (go.uber.org/ratelimit): their
// allow regime waits for a limit it never reaches, and they have no deny regime.
var blockingOnly = map[string]bool{"uber": true}

// parallelism oversubscribes the processors: 2 cores still show contention when
// 4 goroutines per P compete.
const parallelism = 4

// sampleEvery is how often an op's latency is sampled for the p50/p99 metrics;
// sampling keeps two clock reads off most ops, so ns/op stays the primitive's cost.
const sampleEvery = 64

// BenchmarkImpls runs every registered implementation over its family's key
// workloads as sub-benchmarks named impl=NAME/op=WORKLOAD, so the registry is
// covered as it grows.
func BenchmarkImpls(b *testing.B) {
	parent := b
	var redisAddr string
	for _, impl := range impls.All() {
		for _, wl := range familyWorkloads[impl.Family] {
			if blockingOnly[impl.Name] && wl.name == "deny" {
				continue // it never refuses: the deny regime would measure a 1 s sleep
			}
			b.Run(fmt.Sprintf("impl=%s/op=%s", impl.Name, wl.name), func(b *testing.B) {
				cfg := impls.Config{Workers: parallelism * runtime.GOMAXPROCS(0), Seed: 1}
				if impl.Family == impls.FamilyRedis {
					if redisAddr == "" {
						// Started on the parent benchmark, so it outlives this
						// sub-benchmark and serves every Redis-backed one.
						redisAddr = redistest.Start(parent).Addr()
					}
					cfg.RedisAddr = redisAddr
				}
				if wl.configure != nil {
					wl.configure(&cfg)
				}
				benchTarget(b, impl, cfg, wl.readRatio)
			})
		}
	}
}

// benchTarget drives one target with b.RunParallel and reports sampled latency
// percentiles beside ns/op.
func benchTarget(b *testing.B, impl impls.Impl, cfg impls.Config, readRatio float64) {
	target, err := impl.New(cfg)
	if err != nil {
		b.Fatalf("%s: %v", impl.Name, err)
	}
	defer target.Close()
	var nextWorker atomic.Int64
	samples := make(chan *hdr.Histogram, cfg.Workers)
	ctx := context.Background()
	b.SetParallelism(parallelism)
	b.ResetTimer()
	cpu0 := processCPU(b)
	b.RunParallel(func(pb *testing.PB) {
		worker := int(nextWorker.Add(1)-1) % cfg.Workers
		h := metrics.NewHistogram()
		op := impls.Op{Worker: worker, Kind: impls.OpRead}
		writeEvery := 0 // every n-th op is a write; 0 = never
		switch {
		case readRatio == 0:
			op.Kind = impls.OpWrite
		case readRatio < 1:
			writeEvery = int(1 / (1 - readRatio))
		}
		for i := 0; pb.Next(); i++ {
			if writeEvery > 0 {
				op.Kind = impls.OpRead
				if i%writeEvery == 0 {
					op.Kind = impls.OpWrite
				}
			}
			if i%sampleEvery != 0 {
				target.Do(ctx, op)
				continue
			}
			start := time.Now()
			target.Do(ctx, op)
			_ = h.RecordValue(max(int64(time.Since(start)), 1))
		}
		samples <- h
	})
	b.StopTimer()
	// CPU time per op beside ns/op: on a shared machine the wall clock counts the
	// time other processes held the cores, the process's CPU time does not, so
	// the regression check (make regress) gates on this one.
	b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N), "cpu-ns/op")
	close(samples)
	merged := metrics.NewHistogram()
	for h := range samples {
		merged.Merge(h)
	}
	b.ReportMetric(float64(merged.ValueAtQuantile(50)), "p50-ns")
	b.ReportMetric(float64(merged.ValueAtQuantile(99)), "p99-ns")
	if err := target.Verify(); err != nil {
		b.Fatal(err)
	}
}

// processCPU returns the CPU time all threads of this process have used, in
// nanoseconds (CLOCK_PROCESS_CPUTIME_ID).
func processCPU(b *testing.B) int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts); err != nil {
		b.Fatalf("process CPU clock: %v", err)
	}
	return ts.Nano()
}

// BenchmarkFloor compares the driver's per-op cost on the noop target, one
// closed-loop worker, with a bare loop doing the same two clock reads and three
// histogram records. The driver should reach at least 80% of the bare loop's
// throughput: what is left is the harness floor every report shows.
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
		spec.MaxOps = int64(b.N)
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
