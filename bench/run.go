package bench

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/internal/workloads"
	"github.com/syncbench/syncbench/result"
)

// Parallelism is the goroutines per GOMAXPROCS that Run and RunTarget start:
// oversubscribing the processors shows contention even on 2
// cores.
const Parallelism = 4

// SampleEvery is how often a goroutine's op is timed for the latency
// percentiles: one op in SampleEvery. Timing an op costs two clock reads and a
// histogram record, ~100 ns in a hot loop and up to ~700 ns next to a contended
// RWMutex (measured with BenchmarkHarnessVsGoBench), so one op in 64 added up
// to 11 ns to every op's ns/op; one in 1021 keeps it under 1 ns. It is prime,
// so the timed ops fall on every phase of a workload's periodic writes alike
// (one in 64 timed only writes and the reads 4 ops after them in a 1-in-10 mix).
const SampleEvery = 1021

// Run benchmarks impl under its family's workload called workload (see
// Workloads), as RunTarget does; an unknown workload fails b.
func Run(b *testing.B, impl impls.Impl, workload string, cfg impls.Config) {
	b.Helper()
	w, ok := Find(impl.Family, workload)
	if !ok {
		b.Fatalf("bench: family %q has no workload %q", impl.Family, workload)
	}
	if cfg.Keys == 0 {
		cfg.Keys = impl.DefaultKeys
	}
	RunTarget(b, impl.New, w, cfg)
}

// RunTarget builds one target with newTarget and drives it closed-loop from
// Parallelism×GOMAXPROCS goroutines (as b.RunParallel would, see parallel), every goroutine on the same
// target, with w's op mix. It reports ns/op (wall time over all goroutines per
// op, as RunParallel does), cpu-ns/op (the CPU time of the whole process per op,
// where the system has a process CPU clock), cores (that CPU time over the wall
// time: GOMAXPROCS for a target that never blocks, on a machine nothing else
// uses; a round short of it because other processes held the cores is logged)
// and the p50-ns and p99-ns of one
// op's latency, from every SampleEvery-th op. cfg is the configuration before w.Configure;
// cfg.Workers 0 means one worker index per goroutine; with cfg.Keys above 1 each
// op draws its key uniformly from [0, cfg.Keys), as loadgen's ops do, so a map
// built with that many filled keys is measured as a map, not as one hot entry
// (Run sets cfg.Keys to the implementation's DefaultKeys). Every op gets the same
// cancellable context (never cancelled while it runs). After the run it calls
// Verify and fails b on a violated invariant, then Close.
func RunTarget(b *testing.B, newTarget func(impls.Config) (impls.Target, error), w Workload, cfg impls.Config) {
	b.Helper()
	target, cfg := buildTarget(b, newTarget, w, cfg)
	defer target.Close()
	var nextWorker atomic.Int64
	samples := make(chan *hdr.Histogram, Parallelism*runtime.GOMAXPROCS(0)+1)
	// A cancellable context, as loadgen's workers (which cancel ops at the
	// cut-off) and real callers pass: a target that selects on ctx.Done() locks
	// a live channel then, where Background's nil one costs nothing (chansem:
	// ~190 against ~240 ns/op at capacity 4 on 1 core), so both tools must
	// pass the same kind to agree.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mixed := w.mixed()
	b.ResetTimer()
	cpu0, cpuOK := processCPU()
	rq0, wall0 := metrics.RunQueueWaitNs(), time.Now()
	parallel(b, Parallelism*runtime.GOMAXPROCS(0), func(claim func() int64) {
		worker := int(nextWorker.Add(1)-1) % cfg.Workers
		h := metrics.NewHistogram()
		op := impls.Op{Worker: worker, Kind: impls.OpRead, Hold: w.Hold}
		keys := uint64(max(cfg.Keys, 1))
		rng := rand.New(rand.NewPCG(uint64(cfg.Seed), uint64(worker)+1))
		// Kinds in loadgen's order for the seed and worker (w.kindOrder);
		// the op numbered nextTimed is the next timed op: a running target
		// instead of i%SampleEvery, whose division cost more than an atomic.
		var order *workloads.KindOrder
		if mixed {
			order = w.kindOrder(cfg.Seed, worker)
		} else {
			op.Kind = w.kindOrder(cfg.Seed, worker).Next()
		}
		i, nextTimed := 0, 0
		for batch := claim(); batch > 0; batch = claim() {
			for end := i + int(batch); i < end; i++ {
				if order != nil {
					op.Kind = order.Next()
				}
				if keys > 1 {
					op.Key = rng.Uint64N(keys)
				}
				if i != nextTimed {
					target.Do(ctx, op)
					continue
				}
				nextTimed += SampleEvery
				start := time.Now()
				target.Do(ctx, op)
				_ = h.RecordValue(max(int64(time.Since(start)), 1))
			}
		}
		samples <- h
	})
	b.StopTimer()
	// On a shared machine the wall clock also counts the time other processes
	// held the cores; the process's CPU time does not, which is why the
	// regression check (scripts/regress.sh) gates on cpu-ns/op.
	wall, rq1 := time.Since(wall0), metrics.RunQueueWaitNs()
	if cpu1, ok := processCPU(); ok && cpuOK {
		b.ReportMetric(float64(cpu1-cpu0)/float64(b.N), "cpu-ns/op")
		reportCores(b, cpu1-cpu0, wall, rq0, rq1)
	}
	close(samples)
	merged := metrics.NewHistogram()
	for h := range samples {
		merged.Merge(h)
	}
	b.ReportMetric(float64(result.ValueAtQuantile(merged, 50)), "p50-ns")
	b.ReportMetric(float64(result.ValueAtQuantile(merged, 99)), "p99-ns")
	if err := target.Verify(); err != nil {
		b.Fatal(err)
	}
}

// minCoresWall is the shortest round whose effective cores RunTarget judges:
// the testing package's first rounds (b.N of 1, 100, ...) last microseconds,
// in which one descheduled thread is the whole figure.
const minCoresWall = 10 * time.Millisecond

// reportCores reports the round's effective cores (process CPU time over wall
// time, as loadgen records effective_cores) and logs a warning when other
// processes held the cores (result.ShortOfCores): the figures of such a round
// describe a smaller machine than -cpu says. rq0 and rq1 are the run-queue
// readings around the round (−1 when they cannot be read).
func reportCores(b *testing.B, cpuNs int64, wall time.Duration, rq0, rq1 int64) {
	if wall <= 0 {
		return
	}
	eff := float64(cpuNs) / float64(wall)
	b.ReportMetric(eff, "cores")
	rq := -1.0
	if rq0 >= 0 && rq1 >= 0 {
		rq = float64(max(rq1-rq0, 0)) / float64(wall)
	}
	if procs := runtime.GOMAXPROCS(0); wall >= minCoresWall && result.ShortOfCores(eff, rq, procs) {
		b.Logf("%s: %s; its ns/op and cpu-ns/op describe a smaller machine", b.Name(), result.CoresWarning(eff, rq, procs))
	}
}

// buildTarget applies the defaults every benchmark shares (one worker index per
// goroutine when cfg.Workers is 0, then the workload's own settings) and builds
// the target, failing b when the constructor refuses the configuration. It
// returns the target with the configuration it was built from.
func buildTarget(b *testing.B, newTarget func(impls.Config) (impls.Target, error), w Workload, cfg impls.Config) (impls.Target, impls.Config) {
	b.Helper()
	if cfg.Workers == 0 {
		cfg.Workers = Parallelism * runtime.GOMAXPROCS(0)
	}
	if w.Configure != nil {
		w.Configure(&cfg)
	}
	target, err := newTarget(cfg)
	if err != nil {
		b.Fatalf("bench: building the target: %v", err)
	}
	return target, cfg
}
