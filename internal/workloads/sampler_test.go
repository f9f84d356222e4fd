package workloads

import (
	"testing"
	"time"
)

func TestAutoFractionTimesSlowOpsAndSamplesCheapOnes(t *testing.T) {
	for _, c := range []struct {
		opNs float64
		want float64
	}{
		{float64(time.Millisecond), 1},            // timing costs 0.1% of the op
		{100_000, 1},                              // exactly overheadShare
		{50_000, 0.5},                             // 1% needs every other op
		{10_000, 1.0 / 16},                        // 0.1 → the power of two below
		{20, minFraction},                         // a contended primitive: as sparse as allowed
		{1, minFraction},                          // noop
		{float64(3 * time.Microsecond), 1.0 / 64}, // 0.03 → 1/64
	} {
		if got := autoFraction(c.opNs); got != c.want {
			t.Errorf("autoFraction(%v ns) = %v, want %v", c.opNs, got, c.want)
		}
	}
}

// TestCalibrationIgnoresOnePreemptedOp: 63 ops of 20 ns and one of 10 ms (a
// preemption) have a mean of 156 µs, which would time every op; their median
// is 20 ns, which samples as sparsely as allowed.
func TestCalibrationIgnoresOnePreemptedOp(t *testing.T) {
	var shared sharedFraction
	s := newSampler(&shared, SampleAuto, 1, 0)
	for i := range calibrateOps {
		d := int64(20)
		if i == 17 {
			d = int64(10 * time.Millisecond)
		}
		s.sampled(pendingOp{started: 1000, finished: 1000 + d}, true)
	}
	if got := shared.load(); got != minFraction {
		t.Fatalf("calibration fixed the fraction at %v, want %v", got, minFraction)
	}
	if s.calibrating() || len(s.flush(false)) != 0 {
		t.Fatal("the sampler still calibrates, or kept its calibration ops in a sparse sample")
	}
}
