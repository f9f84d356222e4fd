package workloads

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
)

// The target's own CPU in an open loop. The process's CPU time over an open-loop
// run is mostly the harness's (the pacer waiting for instants), thousands of
// times a cheap target's, so it cannot be subtracted away. Instead a random
// sample of ops is run with the worker locked to its OS thread, and the thread's
// CPU clock is read around Do: locked, the thread runs nothing but this goroutine
// until Do returns (a blocked op parks the thread, which burns no CPU), so the
// span is the CPU the op cost, the target's own spinning included, plus the
// measurement's: the two clock reads are system calls (~600–900 ns a pair
// here), and what a span holds of them depends on where it is taken.
//
// So the measurement is subtracted with a control taken in exactly the op's
// position: on another random sample of wake-ups, the same locked span is
// taken around a call to the noop target in the op's place (same wake-up
// path, same clock reads before it, same interface call), and the real op
// runs right after, unmeasured, its start read after the control so that its
// service time is its own (the control's microsecond is the harness's lag).
// The target's CPU/op is mean(op spans) − mean(control spans): a target that
// takes no CPU measures exactly like the control, so ~0 by construction,
// whatever state the wake-up leaves the processor in. metrics/runtime.go turns
// the two samples into the CPU/op a result shows, and says what stays in.

// cpuSamplesPerSecond is how many ops a second an open loop times for CPU, and
// as many controls: three thread-clock reads cost a couple of µs (system
// calls, not the vDSO), and locking the thread delays the wake-up of an op
// that blocks, so the samples are kept small; a thousand of each give the
// mean to a few ns.
const cpuSamplesPerSecond = 500

// batchCPUSamplesPerSecond is cpuSamplesPerSecond under the batch pacer, whose
// point is the least harness CPU: on this VM a thread-clock read is ~3 µs, and
// at 500 a second the samples took ~0.007 cores of the mode's ~0.05 at 5000
// ops/s (CPU profile of a 30 s run). A 10 s run still gets a thousand of each.
const batchCPUSamplesPerSecond = 100

// threadCPUNs reads the calling thread's CPU clock (a variable so that tests
// can put a fake clock in its place).
var threadCPUNs = metrics.ThreadCPUNs

// cpuSample says what a CPU sampler picked for an op.
type cpuSample uint8

const (
	cpuNone    cpuSample = iota // run the op as usual
	cpuOp                       // measure the op's span
	cpuControl                  // measure an empty call in the op's place, then run the op
)

// cpuSampler picks the ops whose CPU is measured and the wake-ups that take a
// control: two Bernoulli samples (geometric skips, like timing samples) of the
// same rate for every worker, so ops and controls are drawn alike from the same
// positions.
type cpuSampler struct {
	logq          float64 // ln(1−f)
	rng           *rand.Rand
	skip, control int64 // ops until the next measured op and the next control
	owed          bool  // a control fell on a measured op: take it on the next
	ok            bool  // the platform has a thread CPU clock
}

func newCPUSampler(rate, perSecond float64, seed int64, w int) *cpuSampler {
	s := &cpuSampler{rng: rand.New(rand.NewPCG(uint64(seed)^0xC0FFEE, uint64(w)*2+1)), ok: metrics.ThreadCPUAvailable()}
	// At least 1/1024 of ops, so a schedule faster than the workers can serve
	// (the achieved rate far below the offered one) still gives a sample; at
	// most half, so that a slow schedule has room for as many controls.
	f := min(max(perSecond/rate, 1.0/1024), 0.5)
	s.logq = math.Log1p(-f)
	s.skip, s.control = s.draw(), s.draw()
	return s
}

func (s *cpuSampler) draw() int64 {
	return int64(math.Floor(math.Log(1-s.rng.Float64()) / s.logq))
}

// next says what to measure of the next op. When both samples pick the same
// op, it is measured and the control is taken on the next op not measured.
func (s *cpuSampler) next() cpuSample {
	if !s.ok {
		return cpuNone
	}
	op := s.skip == 0
	if op {
		s.skip = s.draw()
	} else {
		s.skip--
	}
	if s.control == 0 {
		s.owed, s.control = true, s.draw()
	} else {
		s.control--
	}
	switch {
	case op:
		return cpuOp
	case s.owed:
		s.owed = false
		return cpuControl
	}
	return cpuNone
}

// cpuWarmGap splits the samples: an op (or control) whose worker finished its
// previous op less than this before is warm, any other cold. It is the
// pacer's shortest sleep, so a warm op's worker cannot have slept since its
// last op: a worker that sleeps leaves its processor idle, and what runs there
// meanwhile (other processes, the hypervisor, interrupts) evicts the target's
// code and data. Measured on 2 cores: gcra's first op after a 200 µs spin
// costs ~150 ns more than back to back, after a 200 µs timerfd sleep ~350 ns
// more; after a 50 µs spin ~20 ns more (on a busy host; on a quiet one the
// timerfd sleep costs ~20 ns: make bench-cpu).
const cpuWarmGap = 50 * time.Microsecond

// cpuSpans is a worker's (and then a run's) CPU samples: op spans and control
// spans, warm and cold (see cpuWarmGap).
type cpuSpans struct {
	warm, cold CPUSample
}

func newCPUSpans() *cpuSpans {
	return &cpuSpans{
		warm: CPUSample{Ops: newLatenessHistogram(), Controls: newLatenessHistogram()},
		cold: CPUSample{Ops: newLatenessHistogram(), Controls: newLatenessHistogram()},
	}
}

// record adds a span of ns of kind (cpuOp or cpuControl); gap is the time
// since the worker's previous op ended (negative: it had none).
func (c *cpuSpans) record(kind cpuSample, gap, ns int64) {
	class := &c.cold
	if gap >= 0 && gap < int64(cpuWarmGap) {
		class = &c.warm
	}
	h := class.Ops
	if kind == cpuControl {
		h = class.Controls
	}
	_ = h.RecordValue(min(max(ns, 1), h.HighestTrackableValue()))
}

// merge adds o's samples to c.
func (c *cpuSpans) merge(o *cpuSpans) {
	c.warm.Ops.Merge(o.warm.Ops)
	c.warm.Controls.Merge(o.warm.Controls)
	c.cold.Ops.Merge(o.cold.Ops)
	c.cold.Controls.Merge(o.cold.Controls)
}

// CPUSample is a sample of an open loop's thread-CPU spans (ns): around the
// target's Do on sampled ops, and around an empty call in the op's place on as
// many controls (metrics/runtime.go explains the method).
type CPUSample struct {
	Ops, Controls *hdr.Histogram
}

// merged returns one sample holding a's and b's spans.
func merged(a, b CPUSample) CPUSample {
	m := CPUSample{Ops: newLatenessHistogram(), Controls: newLatenessHistogram()}
	for _, s := range []CPUSample{a, b} {
		m.Ops.Merge(s.Ops)
		m.Controls.Merge(s.Controls)
	}
	return m
}

// doMeasuringCPU runs op with the goroutine locked to its thread and returns its
// outcome and the thread CPU time between the clock reads around Do (ns; −1 if
// the clock failed).
func doMeasuringCPU(ctx context.Context, target impls.Target, op impls.Op) (o impls.Outcome, ns int64) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	threadCPUNs() // warms the clock's path, so every span starts alike
	t0 := threadCPUNs()
	o = target.Do(ctx, op)
	t1 := threadCPUNs()
	if t0 < 0 || t1 < t0 {
		return o, -1
	}
	return o, t1 - t0
}

// measureControl is doMeasuringCPU with the empty target in the op's place:
// the span of the measurement itself in the op's position.
func measureControl(ctx context.Context, op impls.Op) int64 {
	_, ns := doMeasuringCPU(ctx, controlTarget, op)
	return ns
}

// keepControlWarm calls the control's empty target once, after every op: the
// target's Do is called on every op, so its code is as warm as every-op code
// is after a wake-up, and a control called only on its own sample would be
// colder (measured: a noop target's spans 70–100 ns below such controls'), and
// the difference would be taken off the target. A couple of ns a op, the
// harness's.
func keepControlWarm(ctx context.Context, op impls.Op) { controlTarget.Do(ctx, op) }

// controlTarget is the control's empty target: the registry's noop, an
// interface value like the real target, so the control pays the same dynamic
// call, and a noop target's spans and the controls' run the same code.
var controlTarget = newNoopTarget()
