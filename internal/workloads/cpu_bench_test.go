package workloads

import (
	"context"
	"flag"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/result"
)

var cpuBenchDuration = flag.Duration("cpu.duration", 2*time.Second,
	"measured length of each BenchmarkOpenVsClosedCPU run")

// BenchmarkOpenVsClosedCPU reports the target's CPU/op of one lock-free limiter
// (gcra, its defaults: limit 1000/s, so most ops are refused) measured by the
// closed loop and by the open loop at 5000/s, side by side, with noop in the
// open loop as the check that a target taking no CPU reads ~0:
//
//	cpu-ns/op       the run's CPU/op as a result shows it (closed loop: process
//	                CPU less the harness floor; open loop: sampled spans less
//	                controls)
//	warm-ns/op      open loop: the ops within 50 µs of their worker's previous
//	                op (cpu_warm_ns_per_op; absent with too few)
//	cold-ns/op      open loop: the other ops, after their worker's wait
//	process-ns/op   the process's CPU per op, the harness included
//
// Each iteration is one whole run of -cpu.duration (the closed loop first
// measures its floor, as loadgen does), so use -benchtime 1x and -count: the
// sub-benchmarks then interleave, run by run (make bench-cpu).
func BenchmarkOpenVsClosedCPU(b *testing.B) {
	for _, c := range []struct{ name, impl, pacer string }{
		{"impl=gcra/loop=closed", "gcra", ""},
		{"impl=gcra/loop=open/pacer=hybrid", "gcra", PacerHybrid},
		{"impl=gcra/loop=open/pacer=spin", "gcra", PacerSpin},
		{"impl=noop/loop=open/pacer=hybrid", "noop", PacerHybrid},
	} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				benchCPURun(b, c.impl, c.pacer)
			}
		})
	}
}

func benchCPURun(b *testing.B, name, pacer string) {
	impl, ok := impls.Lookup(name)
	if !ok {
		b.Fatalf("%s is not registered", name)
	}
	ctx := context.Background()
	spec := DefaultSpec()
	spec.Duration, spec.Warmup = *cpuBenchDuration, 0
	job := Job{Impl: impl, Config: impls.Config{Limit: 1000, Burst: 100}} // loadgen's defaults
	if pacer == "" {
		spec.Concurrency = 1
		floor, err := MeasureFloorSample(ctx, 200*time.Millisecond, spec.Sample)
		if err != nil {
			b.Fatal(err)
		}
		job.Floor = floor
	} else {
		spec.Rate, spec.Pacer = 5000, pacer
	}
	job.Spec = spec
	res, err := Execute(ctx, job)
	if err != nil {
		b.Fatal(err)
	}
	rt := res.Extras[result.RuntimeExtrasKey]
	b.ReportMetric(result.ExtraFloat(rt["cpu_ns_per_op"]), "cpu-ns/op")
	b.ReportMetric(result.ExtraFloat(rt["process_cpu_ns_per_op"]), "process-ns/op")
	for _, class := range []string{"warm", "cold"} {
		if v, ok := rt["cpu_"+class+"_ns_per_op"]; ok {
			b.ReportMetric(result.ExtraFloat(v), class+"-ns/op")
		}
	}
	b.ReportMetric(0, "ns/op")
}
