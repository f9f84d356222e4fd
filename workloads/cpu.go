package workloads

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/metrics"
)

// The target's own CPU in an open loop. The process's CPU time over an open-loop
// run is mostly the harness's (the pacer waiting for instants), thousands of
// times a cheap target's, so it cannot be subtracted away. Instead a random
// sample of ops is run with the worker locked to its OS thread, and the thread's
// CPU clock is read around Do: locked, the thread runs nothing but this goroutine
// until Do returns (a blocked op parks the thread, which burns no CPU), so the
// difference is exactly the CPU the op cost, the target's own spinning included.
// metrics/runtime.go turns the sample into the CPU/op a result shows.

// cpuSamplesPerSecond is how many ops a second an open loop times for CPU: two
// thread-clock reads cost a few hundred ns (a system call, not the vDSO), and
// locking the thread delays the wake-up of an op that blocks, so the sample is
// kept small; a few thousand ops give the mean to well under a percent.
const cpuSamplesPerSecond = 500

// cpuSampler picks the ops whose CPU is measured: a Bernoulli sample (geometric
// skips, like timing samples) with the same rate for every worker.
type cpuSampler struct {
	logq float64 // ln(1−f); 0 when every op is measured
	rng  *rand.Rand
	skip int64
	ok   bool // the platform has a thread CPU clock
}

func newCPUSampler(rate float64, seed int64, w int) *cpuSampler {
	s := &cpuSampler{rng: rand.New(rand.NewPCG(uint64(seed)^0xC0FFEE, uint64(w)*2+1)), ok: metrics.ThreadCPUAvailable()}
	// At least 1/1024 of ops, so a schedule faster than the workers can serve
	// (the achieved rate far below the offered one) still gives a sample.
	if f := max(cpuSamplesPerSecond/rate, 1.0/1024); f < 1 {
		s.logq = math.Log1p(-f)
	}
	s.skip = s.draw()
	return s
}

func (s *cpuSampler) draw() int64 {
	if s.logq == 0 {
		return 0
	}
	return int64(math.Floor(math.Log(1-s.rng.Float64()) / s.logq))
}

// next reports whether the next op is measured.
func (s *cpuSampler) next() bool {
	if !s.ok {
		return false
	}
	if s.skip > 0 {
		s.skip--
		return false
	}
	s.skip = s.draw()
	return true
}

// doMeasuringCPU runs op with the goroutine locked to its thread and returns its
// outcome, the thread CPU time between the clock reads around Do, and the thread
// CPU time between two back-to-back reads just before (ns; −1 if the clock
// failed). The second is the measurement's own cost under the same conditions
// (a clock read is a system call whose cost swings with the machine's load), to
// be subtracted on average: the target's CPU/op is mean(op) − mean(empty).
func doMeasuringCPU(ctx context.Context, target impls.Target, op impls.Op) (o impls.Outcome, opNs, emptyNs int64) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// The first read warms the path, so the two measured spans start alike.
	metrics.ThreadCPUNs()
	t0 := metrics.ThreadCPUNs()
	t1 := metrics.ThreadCPUNs()
	o = target.Do(ctx, op)
	t2 := metrics.ThreadCPUNs()
	if t0 < 0 || t1 < t0 || t2 < t1 {
		return o, -1, -1
	}
	return o, t2 - t1, t1 - t0
}
