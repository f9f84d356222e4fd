package workloads

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/syncbench/syncbench/internal/spelling"
	"github.com/syncbench/syncbench/result"
)

// The open-loop pacer modes (Spec.Pacer): where each sits on the frontier between
// the pacer's CPU and how late ops start.
const (
	// PacerHybrid sleeps on a precise kernel timer until a learned stretch before
	// each instant, then spins that stretch: microseconds of lag for a fraction of
	// a core. The default.
	PacerHybrid = "hybrid"
	// PacerSpin sleeps only through waits longer than a Go timer's millisecond
	// overshoot and spins the rest: the lowest lag, about one core whatever the
	// rate.
	PacerSpin = "spin"
	// PacerSleep never spins: it sleeps on a precise kernel timer until each
	// instant itself. The least CPU; ops start as late as the platform's wake-ups
	// (tens of µs at the median here, with a tail near 1 ms).
	PacerSleep = "sleep"
	// PacerBatch wakes at most once every Spec.PacerBatch (DefaultPacerBatch)
	// on the kernel timer and releases every op due by the wake-up: the fewest
	// wake-ups, so the least CPU at any rate, for a lag of up to about one
	// interval. Each op's latency still counts from its intended instant, so the
	// batch's lateness is its ops' lag, in the figures like any other.
	PacerBatch = "batch"
)

// DefaultPacerBatch is the batch pacer's interval when Spec.PacerBatch is 0,
// below FastBatchMinRate: a wake-up costs about WakeCPU, so waking every
// millisecond costs about 0.03 cores, and ops start up to about a millisecond
// late — the corner of the frontier a peer's time.Sleep loop sits in (Go's
// timers round sub-millisecond sleeps up to the millisecond), reached with no
// more wake-ups and no goroutine hand-off per op. From FastBatchMinRate on,
// the per-op bookkeeping outweighs the wake-ups (at 200k ops/s, 0.06 of the
// 0.09 cores), so the default is FastPacerBatch: twice the wake-ups for half
// the lag.
const DefaultPacerBatch = time.Millisecond

// FastPacerBatch is the batch pacer's default interval from FastBatchMinRate
// ops/s on (see DefaultPacerBatch).
const FastPacerBatch = 500 * time.Microsecond

// FastBatchMinRate is the rate (ops/s) from which the batch pacer's default
// interval is FastPacerBatch. Below it the wake-ups are most of the batch's
// CPU: at 20k ops/s, 4 workers, noop, 4 s runs, 5 interleaved runs each,
// BenchmarkPacer measured 0.045 cores (0.043–0.053) waking every 1 ms against
// 0.082 (0.078–0.103) every 500 µs. It lies between the rates measured.
const FastBatchMinRate = 100000.0

// BatchInterval is the batch pacer's interval for a Spec.PacerBatch of batch
// at about rate ops/s: batch itself, or when it is 0 the default for the rate.
func BatchInterval(batch time.Duration, rate float64) time.Duration {
	switch {
	case batch > 0:
		return batch
	case rate >= FastBatchMinRate:
		return FastPacerBatch
	default:
		return DefaultPacerBatch
	}
}

// MaxPacerBatch bounds Spec.PacerBatch: a wait that long no longer paces a
// schedule, and a sleep chunk is maxSleepChunk anyway.
const MaxPacerBatch = maxSleepChunk

// PacerModes lists the accepted values of Spec.Pacer, the default first.
func PacerModes() []string { return []string{PacerHybrid, PacerSpin, PacerSleep, PacerBatch} }

// ParsePacer returns the canonical mode for name: "" means PacerHybrid, and
// anything but the names of PacerModes is a *FieldError naming the allowed values
// (and the closest one, for a misspelling).
func ParsePacer(name string) (string, error) {
	if name == "" {
		return PacerHybrid, nil
	}
	for _, m := range PacerModes() {
		if name == m {
			return m, nil
		}
	}
	msg := fmt.Sprintf("%q is not a pacer mode (allowed: %s)", name, strings.Join(PacerModes(), ", "))
	if close := spelling.Closest(strings.ToLower(strings.TrimSpace(name)), PacerModes(), 2, 1); len(close) > 0 {
		msg += "; did you mean " + close[0] + "?"
	}
	return "", &FieldError{Field: "pacer", Msg: msg}
}

// PacerStats is the open-loop pacer's own cost over the measured window of one
// run: what the harness spent making ops start on time, to be shown apart from
// the target's figures (Result.Harness). Only waits for instants inside the
// measured window count. It is a plain value, safe to copy; a closed loop has no
// pacer and so no PacerStats.
type PacerStats struct {
	// Mode is the pacer mode that ran: one of PacerModes.
	Mode string `json:"mode"`
	// Lag summarises how late ops started against their intended instants
	// (started − intended, ns), counting only ops a worker claimed before they
	// were due: the pacer's lateness, not queueing for a busy worker.
	Lag result.LatencySummary `json:"lag"`
	// WakeLate summarises how late the pacer's sleeps ended against the instant
	// each was set for (ns): the platform's wake-up lateness that the hybrid's
	// spin stretch is learned from. Zero when the pacer never slept.
	WakeLate result.LatencySummary `json:"wake_late"`
	// Wakes counts the pacer's sleeps (kernel timer or Go timer wake-ups).
	Wakes int64 `json:"wakes"`
	// SleepNs is the time waiting workers spent asleep, summed over workers.
	SleepNs int64 `json:"sleep_ns"`
	// SpinNs is the time waiting workers spent spinning on the clock, summed
	// over workers: each spinning nanosecond holds a processor.
	SpinNs int64 `json:"spin_ns"`
	// StretchNs is the hybrid's spin stretch at the end of the run, learned from
	// the wake-up lateness within a spin budget (pacer_stretch.go); 0 for the
	// other modes.
	StretchNs int64 `json:"stretch_ns"`
	// CPUNs estimates the CPU the pacer used: SpinNs (at most GOMAXPROCS busy
	// processors over the measured window, since spinners side by side share
	// them) plus WakeCPU for every wake. An estimate, not a measurement: the
	// runtime cannot charge CPU to code, and a spinner the host does not run is
	// counted as if it were (an overestimate on a loaded machine).
	CPUNs int64 `json:"cpu_ns"`
	// Handoffs counts how often the open loop's turn went to another worker
	// (each may wake a parked goroutine), and Kept how often a worker that lent
	// the turn while running its op took it straight back; both over the whole
	// run, warm-up included.
	Handoffs int64 `json:"handoffs"`
	Kept     int64 `json:"kept"`
	// Cores is CPUNs over the measured duration: the share of one processor the
	// pacer took (1 = one core busy for the whole window).
	Cores float64 `json:"cores"`
	// BatchNs is the batch pacer's interval (ns): it woke at most this often;
	// 0 for the other modes.
	BatchNs int64 `json:"batch_ns,omitempty"`
	// Choice says why Mode ran when Spec.MaxLag chose it (ChoosePacer's
	// reason); "" when the mode was given.
	Choice string `json:"choice,omitempty"`
}

// WakeCPU is the CPU one sleep-and-wake-up of a waiting goroutine costs the
// process, used for PacerStats.CPUNs: the runtime parks the goroutine, its
// thread blocks in the netpoller, and the kernel timer's wake-up readies the
// goroutine on a thread again. Measured on the project's 2-core VMs, one
// goroutine waiting on the kernel timer at 1000 and 5000 instants/s (process CPU
// over the run divided by wake-ups): 24–33 µs, most of it the virtual CPU's own
// halt and wake-up (pacer_waker_linux.go says why the timer's system calls are
// raw ones: ordinary ones doubled this).
const WakeCPU = 30 * time.Microsecond

// Tuning of the pacer. The figures behind them are in docs/pacer.md and docs/measurements.md.
const (
	// minSleep is the shortest wait the hybrid sleeps through rather than spins:
	// a wake-up costs about WakeCPU of CPU, so sleeping for less saves nothing,
	// and ops closer together than this are served back to back by spinning
	// (batched on one wake-up).
	minSleep = 50 * time.Microsecond
	// maxSleepChunk bounds one sleep so a waiting worker notices an interrupt
	// promptly.
	maxSleepChunk = 50 * time.Millisecond
	// The hybrid's spin budget: the stretch may spin, on average per wake-up,
	// spinBudgetPerWake or spinBudgetShare of the mean gap between ops,
	// whichever is more, but never more than maxSpinShare of the gap. So at
	// kHz rates spinning costs at most about what the wake-ups themselves cost
	// (WakeCPU): the hybrid takes at most about twice the sleep mode's CPU, and
	// at 1000 ops/s (0.03 cores of spin) stays within a tenth of a core. When
	// ops are far apart the budget grows to 3% of a core, because one op's
	// lateness matters more when there are few of them and a long-idle virtual
	// CPU wakes later (at 100 ops/s here: 130–150 µs at the median). The cap
	// keeps the spin under a fifth of a core at any rate: on a loaded host,
	// where wake-ups are late because the process is not run, spinning longer
	// buys no lag (measured: a spinning pacer's lag p99 was worse than a
	// sleeping one's there) and takes a processor from the target.
	spinBudgetPerWake = 30 * time.Microsecond
	spinBudgetShare   = 0.03
	maxSpinShare      = 0.2
	// spinSleepSlack is how early the spin mode ends a sleep: Go's timers round
	// sub-millisecond waits up to the next millisecond (golang/go#53824), so the
	// last 1.5 ms before an instant are spun; waits shorter than spinSleepMin are
	// spun whole.
	spinSleepSlack = 1500 * time.Microsecond
	spinSleepMin   = 2 * time.Millisecond
	// spinYieldEvery is how long a spinner runs between yields of its
	// processor: the most it can delay another goroutine on it, a tenth of the
	// 50 µs lag p99 the pacer aims for at 200k ops/s, where spinners outnumber
	// processors. A spinner that waits alone (below turnPacingMaxRate only the
	// turn's holder waits) on a machine with other processors yields only every
	// spinYieldAlone: a yield wakes an idle processor's thread to look for work
	// (runtime.Gosched readies the spinner on the global queue), so frequent
	// yields keep a second virtual CPU waking and searching for nothing to run
	// — the spin mode took 1.02–1.14 cores at 5000 ops/s yielding every 5 µs,
	// 1.12–1.13 every 50 µs, 1.00–1.01 every millisecond (3 interleaved runs
	// each) — while the other processors take any goroutine that is ready in
	// the meantime. The hybrid's stretch is at most maxStretch, so it spins
	// without yielding.
	spinYieldEvery = 5 * time.Microsecond
	spinYieldAlone = time.Millisecond
)

// pacer waits for absolute instants on the run clock in one of the PacerModes.
// wait is safe for concurrent use by different workers (each passes its own
// index); a pacer belongs to one run.
type pacer struct {
	mode       string
	rate       float64 // the schedule's rate, ops/s (0 if unknown)
	clock      runClock
	yieldEvery int64             // ns between a spinner's yields
	stretch    *stretchEstimator // hybrid only
	wakers     *wakerPool        // hybrid, sleep and batch
	workers    []pacerWorker
	// The batch mode's interval and the run clock when its last sleep ended
	// (ns). In a run only the turn's holder waits in that mode (runOpen);
	// lastWake is atomic so that wait stays safe for concurrent use.
	batch    int64
	lastWake atomic.Int64
	// choice is ChoosePacer's reason when a lag budget chose the mode.
	choice string
	// beforeSleep, if set, runs before each sleep until deadline (in the
	// batch mode, where only the turn's holder waits: it sets the turn's
	// alarm past the wake-up).
	beforeSleep func(deadline int64)
	// sim, in tests, replaces the run clock and the kernel timer with a
	// simulated clock that a sleep advances (pacer_batch_test.go).
	sim *simClock
}

// simClock is a simulated run clock for the pacer's tests: reading it costs
// nothing, and a sleep until a deadline moves it to the deadline plus a
// lateness the test chooses.
type simClock struct {
	t    int64
	late func(deadline int64) int64 // how late a sleep until deadline ends, ≥ 0
}

// now reads the pacer's clock: the run clock, or the simulated one.
func (p *pacer) now() int64 {
	if p.sim != nil {
		return p.sim.t
	}
	return p.clock.now()
}

// pacerWorker is one worker's share of the pacer's counters, padded so workers
// waiting side by side do not share a cache line.
type pacerWorker struct {
	wakes, sleepNs, spinNs int64
	wakeLate               *hdr.Histogram
	_                      [64]byte
}

// newPacer returns a pacer for workers workers in mode (already parsed), for a
// schedule of about rate ops/s (0 if unknown). The batch mode wakes every
// BatchInterval(0, rate) unless setBatch says otherwise.
func newPacer(mode string, clock runClock, workers int, rate float64) *pacer {
	return newPacerWith(mode, clock, workers, rate, nil)
}

// newPacerWith is newPacer with the workers' late wake-up histograms made
// already (one per worker; nil makes them).
func newPacerWith(mode string, clock runClock, workers int, rate float64, wakeLate []*hdr.Histogram) *pacer {
	p := &pacer{mode: mode, clock: clock, workers: make([]pacerWorker, workers), yieldEvery: int64(spinYieldEvery), rate: rate}
	p.setBatch(0)
	if rate > 0 && rate < turnPacingMaxRate && runtime.GOMAXPROCS(0) > 1 {
		p.yieldEvery = int64(spinYieldAlone)
	}
	for i := range p.workers {
		if wakeLate != nil {
			p.workers[i].wakeLate = wakeLate[i]
		} else {
			p.workers[i].wakeLate = newLatenessHistogram()
		}
	}
	if mode != PacerSpin {
		p.wakers = newWakerPool(clock)
	}
	if mode == PacerHybrid {
		p.stretch = newStretchEstimator(int64(maxStretch), spinBudget(rate))
	}
	return p
}

// setBatch sets the batch mode's interval (0: the default for the rate,
// BatchInterval); the other modes ignore it. It must be called before the
// first wait.
func (p *pacer) setBatch(interval time.Duration) {
	p.lastWake.Store(noWake)
	if p.mode == PacerBatch {
		p.batch = int64(BatchInterval(interval, p.rate))
	}
}

// spinBudget is the hybrid's spin budget per wake-up (ns) for a schedule of
// about rate ops/s (0 if unknown): see spinBudgetPerWake.
func spinBudget(rate float64) int64 {
	budget := float64(spinBudgetPerWake)
	if rate > 0 {
		gap := float64(time.Second) / rate
		budget = min(max(budget, spinBudgetShare*gap), maxSpinShare*gap)
	}
	return int64(budget)
}

// close releases the kernel timers. The pacer must not be used afterwards.
func (p *pacer) close() {
	if p.wakers != nil {
		p.wakers.close()
	}
}

// wait blocks worker w until the run clock reaches at (ns), and never returns
// true earlier: whatever a sleep does, the last word is a clock read at or past
// at. stop is polled while waiting; wait returns false if it was set. counted
// says whether the wait belongs to the measured window (its cost is counted).
func (p *pacer) wait(w int, at int64, stop func() bool, counted bool) bool {
	st := &p.workers[w]
	spinFrom, yielded := int64(-1), int64(0)
	for {
		now := p.now()
		d := at - now
		if d <= 0 {
			if spinFrom >= 0 && counted {
				st.spinNs += now - spinFrom
			}
			return true
		}
		if stop() {
			if spinFrom >= 0 && counted {
				st.spinNs += now - spinFrom
			}
			return false
		}
		deadline, sleep := p.sleepDeadline(at, d)
		if sleep {
			if spinFrom >= 0 {
				if counted {
					st.spinNs += now - spinFrom
				}
				spinFrom = -1
			}
			deadline = min(deadline, now+int64(maxSleepChunk))
			if p.beforeSleep != nil {
				p.beforeSleep(deadline)
			}
			woke := p.sleepUntil(deadline)
			if p.batch > 0 {
				p.lastWake.Store(woke)
			}
			if p.stretch != nil {
				p.stretch.observe(woke - deadline)
			}
			if counted {
				st.wakes++
				st.sleepNs += woke - now
				_ = st.wakeLate.RecordValue(max(woke-deadline, 1))
			}
			continue
		}
		if spinFrom < 0 {
			spinFrom, yielded = now, now
		}
		if p.sim != nil {
			p.sim.t = at // a simulated spin ends at the instant
			continue
		}
		// Yield now and then: when workers outnumber processors, a spinner that
		// never yields keeps a worker whose instant has come off the processor
		// until the scheduler preempts it, 10 ms later. Not at every clock read:
		// each Gosched takes the scheduler's global lock, which the runtime
		// counts in the same mutex-wait figure as the target's locks, and
		// spinners yielding millions of times a second contend on it.
		if now-yielded >= p.yieldEvery {
			runtime.Gosched()
			yielded = now
		}
	}
}

// sleepDeadline decides, for a wait of d ns until at, whether to sleep and
// until when; false means spin.
func (p *pacer) sleepDeadline(at, d int64) (int64, bool) {
	switch p.mode {
	case PacerSleep:
		return at, true
	case PacerBatch:
		return p.batchDeadline(at, at-d)
	case PacerHybrid:
		if p.stretch.due() {
			// Re-learning sorts a few hundred samples; do it now, when there is
			// time to sleep anyway, not after a wake-up, inside the stretch.
			p.stretch.recompute()
		}
		s := p.stretch.current()
		if d > s+int64(minSleep) {
			return at - s, true
		}
		return 0, false
	default: // PacerSpin
		if d > int64(spinSleepMin) {
			return at - int64(spinSleepSlack), true
		}
		return 0, false
	}
}

// batchDeadline is the batch mode's sleepDeadline for an instant at with the
// clock at now: the wake-ups keep to a grid of one interval from the last one,
// so the next is the first grid point after now (or at, if later), and every op
// due by then is released by it (its wait finds the clock past it). A grid
// point closer than minSleep is spun for instead: the holder is still serving
// the last batch's ops, and a sleep that short would cost a wake-up (and the
// alarm's system calls around it) for nothing.
func (p *pacer) batchDeadline(at, now int64) (int64, bool) {
	p.lastWake.CompareAndSwap(noWake, now) // the grid starts at the first wait
	g := p.lastWake.Load() + p.batch
	if g <= now {
		g += ((now-g)/p.batch + 1) * p.batch
	}
	deadline := max(at, g)
	return deadline, deadline-now >= int64(minSleep)
}

// noWake is pacer.lastWake before the first sleep.
const noWake = math.MinInt64 / 2

// sleepUntil sleeps until about deadline (never earlier) and returns the clock
// when it woke.
func (p *pacer) sleepUntil(deadline int64) int64 {
	if p.sim != nil {
		p.sim.t = max(p.sim.t, deadline+p.sim.late(deadline))
		return p.sim.t
	}
	if p.wakers == nil {
		// The spin mode's bulk sleeps are long enough for Go's own timers.
		time.Sleep(time.Duration(deadline - p.clock.now()))
		return p.clock.now()
	}
	wk := p.wakers.get()
	wk.sleepUntil(deadline)
	p.wakers.put(wk)
	return p.clock.now()
}

// stats sums the workers' counters. It must not run concurrently with wait.
func (p *pacer) stats(lag result.LatencySummary, measured time.Duration) PacerStats {
	s := PacerStats{Mode: p.mode, Lag: lag}
	wakeLate := newLatenessHistogram()
	for i := range p.workers {
		w := &p.workers[i]
		s.Wakes += w.wakes
		s.SleepNs += w.sleepNs
		s.SpinNs += w.spinNs
		wakeLate.Merge(w.wakeLate)
	}
	s.WakeLate = result.Summarize(wakeLate)
	if p.stretch != nil {
		s.StretchNs = p.stretch.current()
	}
	s.BatchNs, s.Choice = p.batch, p.choice
	s.CPUNs = min(s.SpinNs, int64(runtime.GOMAXPROCS(0))*int64(measured)) + s.Wakes*int64(WakeCPU)
	if measured > 0 {
		s.Cores = float64(s.CPUNs) / float64(measured)
	}
	return s
}
