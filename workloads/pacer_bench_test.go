//go:build unix

package workloads

import (
	"context"
	"flag"
	"fmt"
	"runtime/metrics"
	"syscall"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	sbmetrics "github.com/syncbench/syncbench/metrics"
)

var pacerBenchDuration = flag.Duration("pacer.duration", 2*time.Second,
	"measured length of each BenchmarkPacer run (after a 300ms warm-up)")

// BenchmarkPacer drives the noop target open-loop in each pacer mode and rate and
// reports what the pacer cost and how close to their instants ops started:
//
//	cores        process CPU (user+sys, getrusage) over the run's wall time: with a
//	             target that does nothing, nearly all of it is the harness
//	lag-p99-ns   p99 of started − intended over every op (loadgen's "lag p99")
//	pacer-lag-p99-ns  the same over ops claimed before they were due only
//	             (PacerStats.Lag: the pacer's lateness without queueing)
//	achieved-pct completed ops over offered ops, %
//	pacer-cores  the pacer's own CPU estimate (PacerStats.Cores)
//	wake-p99-ns  p99 of how late the pacer's sleeps ended (PacerStats.WakeLate)
//	stretch-ns   the hybrid's learned spin stretch at the end (PacerStats.StretchNs)
//	mutex-wait-ns  the runtime's /sync/mutex/wait/total over the run: with a
//	             target that takes no lock, what the harness's own hand-offs
//	             would be reported as (the old sync.Mutex turn: seconds)
//
// Each iteration is one whole run of -pacer.duration, so use -benchtime 1x and
// repeat with -count, interleaving modes (make bench-pacer does): the machines are
// shared, and one run's figure is one sample.
func BenchmarkPacer(b *testing.B) {
	type cell struct {
		rate        float64
		concurrency int
	}
	cells := []cell{{1000, 4}, {5000, 4}, {20000, 4}, {200000, 4}, {100, 64}, {5000, 64}}
	for _, c := range cells {
		for _, mode := range PacerModes() {
			name := fmt.Sprintf("mode=%s/rps=%g/conc=%d", mode, c.rate, c.concurrency)
			b.Run(name, func(b *testing.B) {
				benchPacerRun(b, mode, c.rate, c.concurrency)
			})
		}
	}
}

func benchPacerRun(b *testing.B, mode string, rate float64, concurrency int) {
	noop, ok := impls.Lookup(impls.NoopName)
	if !ok {
		b.Fatal("noop is not registered")
	}
	var cores, lag, pacerLag, achieved, pacerCores, wake, stretch, mutexWait float64
	for range b.N {
		target, err := noop.New(impls.Config{Workers: concurrency})
		if err != nil {
			b.Fatal(err)
		}
		spec := DefaultSpec()
		spec.Rate, spec.Concurrency, spec.Pacer = rate, concurrency, mode
		spec.Duration, spec.Warmup = *pacerBenchDuration, 300*time.Millisecond
		cpu0, wall0, mw0 := processCPU(b), time.Now(), mutexWaitSeconds()
		run, err := Drive(context.Background(), target, spec, Hooks{})
		if err != nil {
			b.Fatal(err)
		}
		cpu, wall := processCPU(b)-cpu0, time.Since(wall0)
		mutexWait += 1e9 * (mutexWaitSeconds() - mw0)
		cores += cpu.Seconds() / wall.Seconds()
		if l := sbmetrics.SummarizePtr(run.Totals.Lag); l != nil {
			lag += float64(l.P99)
		}
		pacerLag += float64(run.Pacer.Lag.P99)
		achieved += 100 * float64(run.Totals.Completed()) / float64(max(run.Offered, 1))
		pacerCores += run.Pacer.Cores
		wake += float64(run.Pacer.WakeLate.P99)
		stretch += float64(run.Pacer.StretchNs)
	}
	n := float64(b.N)
	b.ReportMetric(cores/n, "cores")
	b.ReportMetric(lag/n, "lag-p99-ns")
	b.ReportMetric(pacerLag/n, "pacer-lag-p99-ns")
	b.ReportMetric(achieved/n, "achieved-pct")
	b.ReportMetric(pacerCores/n, "pacer-cores")
	b.ReportMetric(wake/n, "wake-p99-ns")
	b.ReportMetric(stretch/n, "stretch-ns")
	b.ReportMetric(mutexWait/n, "mutex-wait-ns")
	b.ReportMetric(0, "ns/op") // one op is a whole run: its time says nothing
}

// mutexWaitSeconds reads the runtime's cumulative mutex wait.
func mutexWaitSeconds() float64 {
	s := []metrics.Sample{{Name: "/sync/mutex/wait/total:seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64 {
		return 0
	}
	return s[0].Value.Float64()
}

// processCPU is the process's user + system CPU so far.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
