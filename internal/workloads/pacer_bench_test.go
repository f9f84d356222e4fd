//go:build unix

package workloads

import (
	"context"
	"flag"
	"fmt"
	"runtime"
	"runtime/metrics"
	"syscall"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/result"
)

var pacerBenchDuration = flag.Duration("pacer.duration", 2*time.Second,
	"measured length of each BenchmarkPacer run (after a 300ms warm-up)")

var pacerBenchBatch = flag.Duration("pacer.batch", 0,
	"the batch mode's interval in BenchmarkPacer (0: the rate's default, BatchInterval)")

// BenchmarkPacer drives the noop target open-loop in each pacer mode and rate and
// reports what the pacer cost and how close to their instants ops started:
//
//	cores        process CPU (user+sys, getrusage) over the run's wall time: with a
//	             target that does nothing, nearly all of it is the harness
//	window-cores the same over the measured window only (Hooks.OnMeasureStart to
//	             OnMeasureEnd): the pacing's steady cost, without the run's
//	             set-up, warm-up and result, as a peer's loop timed over its
//	             pacing alone is (the floors report none: their cores are
//	             their loop alone)
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
// After the modes comes mode=batchwide, the batch pacer waking one step less
// often than its default (wideBenchBatch): a second point of the batch mode's
// own frontier, whose interval trades CPU for lag, for -max-lag to choose from.
//
// After the modes of each rate come two floors, which are not pacers but what
// the machine allowed at that moment, so each mode's lag reads against the
// floors measured beside it:
//
//	mode=spinfloor/rps=R/conc=1  one goroutine locked to its thread spins on
//	             the run clock, never sleeping and never calling the kernel; its
//	             lag is how late its clock reads passed each instant (a virtual
//	             CPU the host deschedules now and then misses instants even so).
//	             stalled-pct is the share of the run its clock jumped by > 20 µs.
//	mode=wakefloor/rps=R/conc=1  one goroutine sleeps on the pacer's kernel
//	             timer until each instant and nothing else: no driver, no
//	             recorder, no turn; its lag is the bare timer's lateness, the
//	             best the sleep mode could do (and what the hybrid's stretch
//	             has to cover).
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
	floors := map[float64]bool{}
	for _, c := range cells {
		for _, mode := range append(PacerModes(), wideBatchMode) {
			name := fmt.Sprintf("mode=%s/rps=%g/conc=%d", mode, c.rate, c.concurrency)
			b.Run(name, func(b *testing.B) {
				benchPacerRun(b, mode, c.rate, c.concurrency)
			})
		}
		if !floors[c.rate] {
			floors[c.rate] = true
			b.Run(fmt.Sprintf("mode=spinfloor/rps=%g/conc=1", c.rate), func(b *testing.B) {
				benchSpinFloor(b, c.rate)
			})
			b.Run(fmt.Sprintf("mode=wakefloor/rps=%g/conc=1", c.rate), func(b *testing.B) {
				benchWakeFloor(b, c.rate)
			})
		}
	}
}

// benchSpinFloor is BenchmarkPacer's mode=spinfloor: the lag of a schedule at rate
// as seen by a locked thread that only spins on the run clock, over the same
// warm-up and duration as a pacer run.
func benchSpinFloor(b *testing.B, rate float64) {
	var cores, lag, stalls float64
	gap := float64(time.Second) / rate
	for range b.N {
		late := newLatenessHistogram()
		cpu0, wall0 := processCPU(b), time.Now()
		done := make(chan int64)
		go func() {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			clock := newRunClock()
			start := int64(300 * time.Millisecond)
			end := start + int64(*pacerBenchDuration)
			var stalled, prev int64
			i := int64(0)
			for {
				now := clock.now()
				if d := now - prev; d > int64(20*time.Microsecond) && prev >= start {
					stalled += d
				}
				prev = now
				if now >= end {
					break
				}
				// Every instant this read passed: the first read at or after
				// an instant is when a perfect pacer could have started it.
				for at := start + int64(float64(i)*gap); at <= now; at = start + int64(float64(i)*gap) {
					if at >= start {
						_ = late.RecordValue(max(now-at, 1))
					}
					i++
				}
			}
			done <- stalled
		}()
		stalled := <-done
		cpu, wall := processCPU(b)-cpu0, time.Since(wall0)
		cores += cpu.Seconds() / wall.Seconds()
		lag += float64(late.ValueAtQuantile(99))
		stalls += 100 * float64(stalled) / float64(*pacerBenchDuration)
	}
	n := float64(b.N)
	b.ReportMetric(cores/n, "cores")
	b.ReportMetric(lag/n, "lag-p99-ns")
	b.ReportMetric(100, "achieved-pct")
	b.ReportMetric(stalls/n, "stalled-pct")
	b.ReportMetric(0, "ns/op")
}

// wideBatchMode is BenchmarkPacer's name for the batch pacer at wideBenchBatch.
const wideBatchMode = "batchwide"

// wideBenchBatch is mode=batchwide's interval at rate ops/s: a tenth wider
// than DefaultPacerBatch (1.1 ms) where that is the default, DefaultPacerBatch
// where FastPacerBatch is. Both keep the batch's lag p99 (its interval plus
// the wake-up's lateness, ~1.14 ms and ~1.01 ms) below a time.Sleep loop's
// (1.15–1.3 ms here) for less CPU than the default's; 1.25 ms, measured
// first, cost less still but lagged as much as the loop (1.28–1.31 ms).
func wideBenchBatch(rate float64) time.Duration {
	if d := BatchInterval(0, rate); d < DefaultPacerBatch {
		return DefaultPacerBatch
	}
	return DefaultPacerBatch * 11 / 10
}

func benchPacerRun(b *testing.B, mode string, rate float64, concurrency int) {
	noop, ok := impls.Lookup(impls.NoopName)
	if !ok {
		b.Fatal("noop is not registered")
	}
	var cores, windowCores, lag, pacerLag, achieved, pacerCores, wake, stretch, mutexWait float64
	for range b.N {
		target, err := noop.New(impls.Config{Workers: concurrency})
		if err != nil {
			b.Fatal(err)
		}
		spec := DefaultSpec()
		spec.Rate, spec.Concurrency, spec.Pacer = rate, concurrency, mode
		spec.Duration, spec.Warmup = *pacerBenchDuration, 300*time.Millisecond
		switch mode {
		case PacerBatch:
			spec.PacerBatch = *pacerBenchBatch
		case wideBatchMode:
			spec.Pacer, spec.PacerBatch = PacerBatch, wideBenchBatch(rate)
		}
		var window cpuSpan
		hooks := Hooks{OnMeasureStart: window.begin, OnMeasureEnd: window.end}
		cpu0, wall0, mw0 := processCPU(b), time.Now(), mutexWaitSeconds()
		run, err := Drive(context.Background(), target, spec, hooks)
		if err != nil {
			b.Fatal(err)
		}
		cpu, wall := processCPU(b)-cpu0, time.Since(wall0)
		windowCores += window.cores()
		mutexWait += 1e9 * (mutexWaitSeconds() - mw0)
		cores += cpu.Seconds() / wall.Seconds()
		if l := result.SummarizePtr(run.Totals.Lag); l != nil {
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
	b.ReportMetric(windowCores/n, "window-cores")
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
	cpu, err := readProcessCPU()
	if err != nil {
		b.Fatal(err)
	}
	return cpu
}

func readProcessCPU() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

// cpuSpan takes the process's CPU and the wall clock at begin and at end, both
// called once, from one goroutine (the run's collector, through its hooks).
type cpuSpan struct {
	cpu0, cpu1   time.Duration
	wall0, wall1 time.Time
	ok           bool
}

func (s *cpuSpan) begin() {
	s.wall0 = time.Now()
	var err error
	s.cpu0, err = readProcessCPU()
	s.ok = err == nil
}

func (s *cpuSpan) end() {
	var err error
	s.cpu1, err = readProcessCPU()
	s.wall1 = time.Now()
	s.ok = s.ok && err == nil
}

// cores is the span's CPU over its wall time, 0 if it was not both begun and
// ended.
func (s *cpuSpan) cores() float64 {
	if !s.ok || s.wall1.IsZero() || !s.wall1.After(s.wall0) {
		return 0
	}
	return (s.cpu1 - s.cpu0).Seconds() / s.wall1.Sub(s.wall0).Seconds()
}

// benchWakeFloor is BenchmarkPacer's mode=wakefloor: the lag of a schedule at
// rate when one goroutine sleeps on the pacer's kernel timer until each instant
// (an instant already due is served at once, as the pacer would).
func benchWakeFloor(b *testing.B, rate float64) {
	var cores, lag float64
	gap := float64(time.Second) / rate
	for range b.N {
		clock := newRunClock()
		wk := newKernelWaker(clock)
		late := newLatenessHistogram()
		start := int64(300 * time.Millisecond)
		end := start + int64(*pacerBenchDuration)
		cpu0, wall0 := processCPU(b), time.Now()
		for i := int64(0); ; i++ {
			at := start + int64(float64(i)*gap)
			if at >= end {
				break
			}
			if clock.now() < at {
				wk.sleepUntil(at)
			}
			_ = late.RecordValue(max(clock.now()-at, 1))
		}
		cpu, wall := processCPU(b)-cpu0, time.Since(wall0)
		wk.close()
		cores += cpu.Seconds() / wall.Seconds()
		lag += float64(late.ValueAtQuantile(99))
	}
	n := float64(b.N)
	b.ReportMetric(cores/n, "cores")
	b.ReportMetric(lag/n, "lag-p99-ns")
	b.ReportMetric(100, "achieved-pct")
	b.ReportMetric(0, "ns/op")
}
