package workloads

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/syncbench/syncbench/impls"
)

// Sampled timing. A clock read costs 20–150 ns here, more than the primitives a
// closed loop measures, and two of them around every op change how a lock is
// handed over. So a closed loop can time a random sample of its ops and run the
// rest back to back, counting every op and outcome exactly: the counts and
// throughput are the whole run's, the percentiles the sample's.
//
// The sample is a Bernoulli sample of rate f drawn with geometric skips (the
// number of untimed ops before the next timed one is Geometric(f)), so every op
// has the same chance f of being timed whatever its position: the sample cannot
// alias with a periodic workload the way "every 64th op" would, and it is
// unbiased for any distribution. f is one figure for the whole run, shared by all
// workers, and fixed before the run starts, so no worker or period is
// over-represented.
//
// In auto mode f is a function of the configuration alone (AutoSample): the
// op time the configuration implies (hold, work, a backend's round trip)
// weighed against the cost of timing an op. It used to be calibrated on the
// run's first ops, which made the mode a matter of luck: calibration ended at
// 100 µs of op time, so one descheduled first op decided it, and `loadgen
// -impl chansem -capacity 4 -concurrency 1 -cpu 1 -duration 1s` timed a
// sample (221 ns/op) in one run and every op (320 ns/op) in the next. Forks of
// one cell, and the two sides of a comparison, must be timed the same way.

// SampleAuto is the Spec.Sample value that picks the timing fraction from the
// configuration (AutoSample).
const SampleAuto = 0

// Auto-sampling parameters.
const (
	// timedOpCostNs is what timing one op costs the run (two clock reads and a
	// histogram record), measured on these machines in context: ~110 ns in a
	// hot loop of noop, ~80 ns around a contended atomic, ~700 ns around a
	// contended RWMutex, 8 workers on 2 cores (throughput at 1/256 against
	// 1/16384, BenchmarkHarnessVsGoBench). The dearest case sizes the sample.
	timedOpCostNs = 1000
	// overheadShare is the share of op time timing may take in auto mode.
	overheadShare = 0.01
	// minFraction bounds how sparse an automatic sample gets: at 100 M ops/s a
	// 1/1024 sample still times ~100 k ops a second.
	minFraction = 1.0 / 1024
)

// familyOpNs is the op time a family's ops take whatever the implementation,
// for AutoSample: a network round trip (Redis), a call into a backend model
// whose default service time is 10 ms (breakers, adaptive limits; a -backend
// of service=0 is timed in full too: the rule does not read the schedule), a
// flock system call (file locks, ~2 µs uncontended). Families of in-process
// primitives take nothing beyond the configuration's hold and work.
var familyOpNs = map[string]time.Duration{
	impls.FamilyRedis:     100 * time.Microsecond,
	impls.FamilyBreakers:  10 * time.Millisecond,
	impls.FamilyAdaptive:  10 * time.Millisecond,
	impls.FamilyFileLocks: 2 * time.Microsecond,
}

// ExpectedOpNs is the op time AutoSample assumes for spec: its hold and work
// plus its family's own (familyOpNs). It reads the configuration only, never
// the implementation, so two implementations compared in one configuration
// get the same.
func ExpectedOpNs(spec Spec) int64 {
	return int64(spec.Hold + spec.Work + familyOpNs[spec.Family])
}

// AutoSample is the timing fraction -sample auto gives spec: 1 for an open
// loop (every op is timed), else autoFraction of ExpectedOpNs: every op when
// timing one costs under 1% of the expected op time, a power-of-two sample
// otherwise, 1/1024 for ops the configuration expects to be free. It is a
// pure function of spec: every run, fork and side of a comparison in one
// configuration is timed the same way.
func AutoSample(spec Spec) float64 {
	if spec.Open() {
		return 1
	}
	return autoFraction(float64(ExpectedOpNs(spec)))
}

// ParseSample parses a -sample value: "auto" (or ""), a fraction "1/64", or a
// number in (0, 1] ("1" times every op, "0.01"). It returns the Spec.Sample value.
func ParseSample(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "auto" {
		return SampleAuto, nil
	}
	var f float64
	if num, den, ok := strings.Cut(s, "/"); ok {
		n, err1 := strconv.ParseFloat(num, 64)
		d, err2 := strconv.ParseFloat(den, 64)
		if err1 != nil || err2 != nil || d == 0 {
			return 0, fmt.Errorf("sample %q is not a fraction (allowed: auto, 1, 1/64, 0.01)", s)
		}
		f = n / d
	} else {
		var err error
		if f, err = strconv.ParseFloat(s, 64); err != nil {
			return 0, fmt.Errorf("sample %q is not a number (allowed: auto, 1, 1/64, 0.01)", s)
		}
	}
	if !(f > 0 && f <= 1) {
		return 0, fmt.Errorf("sample %q is outside (0, 1] (allowed: auto, 1, 1/64, 0.01)", s)
	}
	return f, nil
}

// autoFraction is the timing fraction for ops taking opNs each: 1 when timing
// every op costs under overheadShare of the op time, else the largest power of
// two 1/2^k that keeps it there, at least minFraction.
func autoFraction(opNs float64) float64 {
	f := opNs * overheadShare / timedOpCostNs
	if f >= 1 {
		return 1
	}
	if f <= minFraction {
		return minFraction
	}
	return math.Exp2(math.Floor(math.Log2(f)))
}

// sampler decides which of one worker's ops are timed. Owned by its worker.
type sampler struct {
	f    float64
	logq float64 // ln(1−f), for geometric skips
	rng  *rand.Rand
	// skip is the number of untimed ops before the next timed one.
	skip int64
}

// newSampler returns worker w's sampler for fraction f in (0, 1] (Spec.Sample
// once Drive has resolved SampleAuto).
func newSampler(f float64, seed int64, w int) *sampler {
	// A stream of its own, apart from the op generator's, so which ops are
	// timed is independent of what they are.
	s := &sampler{f: f, rng: rand.New(rand.NewPCG(uint64(seed)^0x5DEECE66D, uint64(w)*2+1))}
	if f < 1 {
		s.logq = math.Log1p(-f)
	}
	s.skip = s.nextSkip()
	return s
}

// nextSkip draws the number of untimed ops before the next timed one.
func (s *sampler) nextSkip() int64 {
	if s.f >= 1 {
		return 0
	}
	u := 1 - s.rng.Float64() // (0, 1]
	k := math.Floor(math.Log(u) / s.logq)
	if k > 1<<40 {
		return 1 << 40
	}
	return int64(k)
}

// timed moves the sampler on after a timed op.
func (s *sampler) timed() { s.skip = s.nextSkip() }

// timesAll reports whether every op is timed.
func (s *sampler) timesAll() bool { return s.f >= 1 }
