package workloads

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
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
// workers, and fixed before the window opens, so no worker or period is
// over-represented.
//
// In auto mode every worker times its first ops (calibration, up to
// calibrateOps ops or calibrateNs of op time) and the first to finish fixes f from
// their median op time: 1 (time every op) when ops are slow against the cost of
// timing one, otherwise the power of two that keeps timing below ~1% of the
// run's op time. Calibration ops are counted but stay out of the sample when f <
// 1 (they would over-represent the run's first moments); when f is 1 they are
// the sample like every other op.

// SampleAuto is the Spec.Sample value that picks the timing fraction from the
// ops' own speed.
const SampleAuto = 0

// Auto-sampling parameters.
const (
	calibrateOps = 64
	calibrateNs  = int64(100 * time.Microsecond)
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

// sharedFraction is the run's timing fraction, shared by its workers: 0 until
// fixed, then the float64 bits of f.
type sharedFraction struct{ bits atomic.Uint64 }

func (s *sharedFraction) load() float64 { return math.Float64frombits(s.bits.Load()) }

// propose fixes f unless another worker already did, and returns the one fixed.
func (s *sharedFraction) propose(f float64) float64 {
	s.bits.CompareAndSwap(0, math.Float64bits(f))
	return s.load()
}

// sampler decides which of one worker's ops are timed. Owned by its worker.
type sampler struct {
	shared *sharedFraction
	f      float64 // 0 while calibrating
	logq   float64 // ln(1−f), for geometric skips
	rng    *rand.Rand
	// skip is the number of untimed ops before the next timed one.
	skip int64
	// calibration state (auto mode): the op times seen so far
	calOps  int64
	calNs   int64
	calDur  [calibrateOps]int64
	pending []pendingOp // calibration ops to time if the fraction becomes 1
}

// pendingOp is a calibration op whose latency is recorded only if the run turns
// out to time every op.
type pendingOp struct {
	kind                        impls.OpKind
	o                           impls.Outcome
	intended, started, finished int64
}

// newSampler returns worker w's sampler. fixed is Spec.Sample: SampleAuto, or
// the fraction every worker uses from the first op.
func newSampler(shared *sharedFraction, fixed float64, seed int64, w int) *sampler {
	// A stream of its own, apart from the op generator's, so which ops are
	// timed is independent of what they are.
	s := &sampler{shared: shared, rng: rand.New(rand.NewPCG(uint64(seed)^0x5DEECE66D, uint64(w)*2+1))}
	if fixed > 0 {
		s.adopt(shared.propose(fixed))
	}
	return s
}

// adopt switches to fraction f and draws the first skip.
func (s *sampler) adopt(f float64) {
	s.f = f
	if f < 1 {
		s.logq = math.Log1p(-f)
	}
	s.skip = s.nextSkip()
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

// sampled reports whether the timed op just done belongs to the sample, and
// moves the sampler on. While calibrating (auto mode) the op is held back in
// pending, and sampled returns false; once the fraction is fixed, flush tells
// whether the held-back ops are in the sample (f = 1) or not.
//
// Every timed op calibrates, warm-up ops included; keep says whether the op
// belongs to the window's latency population (only those are held back).
func (s *sampler) sampled(p pendingOp, keep bool) bool {
	if s.f > 0 {
		s.skip = s.nextSkip()
		return true
	}
	s.calDur[s.calOps%calibrateOps] = p.finished - p.started
	s.calOps++
	s.calNs += p.finished - p.started
	if keep {
		s.pending = append(s.pending, p)
	}
	f := s.shared.load()
	if f == 0 && (s.calOps >= calibrateOps || s.calNs >= calibrateNs) {
		f = s.shared.propose(autoFraction(s.typicalNs()))
	}
	if f > 0 {
		s.adopt(f)
	}
	return false
}

// typicalNs is the median time of the calibration ops seen: what timing an op
// costs is weighed against a typical op, so one preempted calibration op (10 ms
// among 63 of 20 ns) cannot make a run of cheap ops timed in full.
func (s *sampler) typicalNs() float64 {
	d := slices.Clone(s.calDur[:min(s.calOps, calibrateOps)])
	slices.Sort(d)
	return float64(d[len(d)/2])
}

// flush returns the held-back calibration ops that belong to the sample (all of
// them when the fraction is 1, or when it was never fixed because every op was
// slower than calibration: such ops would be timed anyway), and forgets them.
// final says the worker is done.
func (s *sampler) flush(final bool) []pendingOp {
	if len(s.pending) == 0 || (s.f == 0 && !final) {
		return nil
	}
	p := s.pending
	s.pending = nil
	if s.f >= 1 || (s.f == 0 && s.shared.load() == 0) || (s.f == 0 && s.shared.load() >= 1) {
		return p
	}
	return nil
}

// timesAll reports whether this worker's unsampled ops are outside the sample
// only because of calibration: true when the fraction is 1 or not fixed yet.
func (s *sampler) timesAll() bool {
	f := s.f
	if f == 0 {
		f = s.shared.load()
	}
	return f == 0 || f >= 1
}

// calibrating reports whether the fraction is not fixed yet for this worker.
func (s *sampler) calibrating() bool { return s.f == 0 }
