package workloads

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncbench/syncbench/impls"
	"github.com/syncbench/syncbench/internal/metrics"
	"github.com/syncbench/syncbench/result"
)

// fakeThreadCPU is a thread CPU clock for one worker: every read costs
// readCost ns, and a spender target adds its own ns between reads.
type fakeThreadCPU struct {
	now      atomic.Int64
	readCost int64
}

func (c *fakeThreadCPU) read() int64 { return c.now.Add(c.readCost) }

// spender is a target that takes exactly ns of (fake) thread CPU an op.
type spender struct {
	clock *fakeThreadCPU
	ns    int64
}

func (s spender) Do(context.Context, impls.Op) impls.Outcome {
	s.clock.now.Add(s.ns)
	return impls.OK
}
func (spender) Verify() error { return nil }
func (spender) Close() error  { return nil }

// The open loop's CPU/op is the sampled ops' spans less the controls' taken in
// their place, so a target that takes no CPU reports exactly 0 and one that
// takes N ns reports N, whatever the clock reads cost. With a fake thread
// clock (a read costs 90 ns; values below 256 ns are exact in the sample's
// histograms) the figures are exact: no timing in the test. A real noop's
// spans and the controls' run the same code, so it reads ~0 in a real run
// too (TestATargetTakingNoCPUReportsNoCPUInAnOpenLoop).
func TestOpenLoopCPUPerOpIsTheTargetsAlone(t *testing.T) {
	if !metrics.ThreadCPUAvailable() {
		t.Skip("no thread CPU clock on this platform")
	}
	for _, ns := range []int64{0, 120} {
		clock := &fakeThreadCPU{readCost: 90}
		defer func(real func() int64) { threadCPUNs = real }(threadCPUNs)
		threadCPUNs = clock.read
		spec := testSpec()
		// One worker (the fake clock is one thread's), half the ops
		// sampled, a third controls.
		spec.Rate, spec.Concurrency, spec.Duration = 800, 1, 500*time.Millisecond
		rt := executeTarget(t, "spender", spender{clock, ns}, spec)
		got := result.ExtraFloat(rt["cpu_ns_per_op"])
		if rt["cpu_method"] != metrics.CPUMethodThreadControl || got != float64(ns) {
			t.Errorf("a target taking %d ns an op reports %v ns CPU/op by %q (spans %v, controls %v); want exactly %d by the control method",
				ns, got, rt["cpu_method"], rt["cpu_span_ns"], rt["cpu_control_ns"], ns)
		}
		if span, control := result.ExtraFloat(rt["cpu_span_ns"]), result.ExtraFloat(rt["cpu_control_ns"]); span != float64(90+ns) || control != 90 {
			t.Errorf("spans %v ns and controls %v ns; want %d and 90: the measurement is not what the fake clock charged", span, control, 90+ns)
		}
		// 800 ops/s leaves each op ~1.25 ms after the last: every sample is cold.
		if cold, ok := rt["cpu_cold_ns_per_op"]; !ok || result.ExtraFloat(cold) != float64(ns) {
			t.Errorf("cold CPU/op %v, want %d", cold, ns)
		}
	}
}

// Ops and controls are drawn alike: each about the share asked for, and at a
// slow schedule (where half of all ops are measured) a third of ops still take
// a control (a control drawn for a measured op waits for the next free one).
func TestTheCPUSamplerDrawsOpsAndControlsAlike(t *testing.T) {
	for _, c := range []struct {
		rate               float64
		ops, controls, tol float64
	}{
		{100 * cpuSamplesPerSecond, 0.01, 0.01, 0.0005},
		{cpuSamplesPerSecond / 4, 0.5, 1.0 / 3, 0.01},
	} {
		s := newCPUSampler(c.rate, cpuSamplesPerSecond, 7, 0)
		s.ok = true
		var n [3]float64
		const ops = 1_000_000
		for range ops {
			n[s.next()]++
		}
		if got := n[cpuOp] / ops; got < c.ops-c.tol || got > c.ops+c.tol {
			t.Errorf("%g ops/s: ops share %.5f, want %g", c.rate, got, c.ops)
		}
		if got := n[cpuControl] / ops; got < c.controls-c.tol || got > c.controls+c.tol {
			t.Errorf("%g ops/s: controls share %.5f, want %g", c.rate, got, c.controls)
		}
	}
}

// A sample is warm when its worker finished its previous op less than
// cpuWarmGap before, cold otherwise (and when it had none).
func TestCPUSamplesAreSplitByTheWorkersIdleTime(t *testing.T) {
	s := newCPUSpans()
	gap := int64(cpuWarmGap)
	s.record(cpuOp, 0, 10)
	s.record(cpuOp, gap-1, 20)
	s.record(cpuControl, gap-1, 5)
	s.record(cpuOp, gap, 30)
	s.record(cpuOp, -1, 40) // no previous op
	s.record(cpuControl, 10*gap, 6)
	for _, c := range []struct {
		name string
		got  int64
		want int64
	}{
		{"warm ops", s.warm.Ops.TotalCount(), 2},
		{"warm controls", s.warm.Controls.TotalCount(), 1},
		{"cold ops", s.cold.Ops.TotalCount(), 2},
		{"cold controls", s.cold.Controls.TotalCount(), 1},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d samples, want %d", c.name, c.got, c.want)
		}
	}
	if s.warm.Ops.Max() != 20 || s.cold.Ops.Min() != 30 {
		t.Errorf("warm ops up to %d, cold from %d: want 20 and 30", s.warm.Ops.Max(), s.cold.Ops.Min())
	}
}
