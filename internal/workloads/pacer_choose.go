package workloads

import (
	"fmt"
	"math"
	"time"

	"github.com/syncbench/syncbench/internal/units"
)

// PacerChoice is the pacer ChoosePacer picked for a lag budget, and why.
type PacerChoice struct {
	Mode  string        // one of PacerModes
	Batch time.Duration // the batch mode's interval (0 for the other modes)
	// Reason says what the choice rests on: the measured point it picked and
	// the next cheaper one it passed over, in a sentence.
	Reason string
}

// frontierPoint is one measured point of the pacer's frontier: mode (with the
// batch mode's interval) at rate ops/s, its median lag p99 over every op and
// the process's median CPU (cores), noop target, 4 workers.
type frontierPoint struct {
	rate  float64
	mode  string
	batch time.Duration
	lag   time.Duration
	cores float64
}

// pacerFrontier is the measured frontier ChoosePacer chooses from, by rate:
// the medians of the 5 interleaved rounds of make bench-pacer on 2026-12-08
// 00:10–00:25 UTC (docs/measurements.md, "Batch mode's two intervals and the
// peer"), BenchmarkPacer on the project's 2-core VM, noop target, 4 workers,
// 4 s runs, load average 0.3–0.7. cores is the process's CPU over the measured
// window (window-cores: what a long run pays), lag the lag p99 over every op.
// Each rate has two batch points, the default interval and mode=batchwide's
// (1.1 ms; 1 ms from FastBatchMinRate). The lag of a batch is its interval
// plus the platform's wake-up tail, which on a busy host is most of a
// millisecond.
var pacerFrontier = []frontierPoint{
	{1000, PacerSpin, 0, 12400 * time.Nanosecond, 1.006},
	{1000, PacerHybrid, 0, 288 * time.Microsecond, 0.032},
	{1000, PacerSleep, 0, 158 * time.Microsecond, 0.032},
	{1000, PacerBatch, time.Millisecond, 1100 * time.Microsecond, 0.035},
	{1000, PacerBatch, 1100 * time.Microsecond, 1140 * time.Microsecond, 0.032},

	{5000, PacerSpin, 0, 9220 * time.Nanosecond, 1.007},
	{5000, PacerHybrid, 0, 43500 * time.Nanosecond, 0.203},
	{5000, PacerSleep, 0, 50700 * time.Nanosecond, 0.202},
	{5000, PacerBatch, time.Millisecond, 1070 * time.Microsecond, 0.044},
	{5000, PacerBatch, 1100 * time.Microsecond, 1160 * time.Microsecond, 0.039},

	{20000, PacerSpin, 0, 19000 * time.Nanosecond, 1.988},
	{20000, PacerHybrid, 0, 79500 * time.Nanosecond, 0.399},
	{20000, PacerSleep, 0, 46000 * time.Nanosecond, 0.352},
	{20000, PacerBatch, time.Millisecond, 1040 * time.Microsecond, 0.038},
	{20000, PacerBatch, 1100 * time.Microsecond, 1140 * time.Microsecond, 0.035},

	{200000, PacerSpin, 0, 29600 * time.Nanosecond, 1.690},
	{200000, PacerHybrid, 0, 28500 * time.Nanosecond, 1.710},
	{200000, PacerSleep, 0, 40100 * time.Nanosecond, 1.197},
	{200000, PacerBatch, FastPacerBatch, 522 * time.Microsecond, 0.102},
	{200000, PacerBatch, time.Millisecond, 1000 * time.Microsecond, 0.067},
}

// ChoosePacer returns the cheapest pacer (least CPU) whose measured lag p99 at
// about rate ops/s is within maxLag, from pacerFrontier: the measured rate
// nearest rate on a log scale stands for it (rate 0, unknown, reads as 5000).
// When no mode fits, it returns the one with the lowest lag and says so.
func ChoosePacer(rate float64, maxLag time.Duration) PacerChoice {
	if rate <= 0 {
		rate = 5000
	}
	nearest, dist := 0.0, math.Inf(1)
	for _, p := range pacerFrontier {
		if d := math.Abs(math.Log(p.rate / rate)); d < dist {
			nearest, dist = p.rate, d
		}
	}
	var row []frontierPoint
	for _, p := range pacerFrontier {
		if p.rate == nearest {
			row = append(row, p)
		}
	}
	point := func(p frontierPoint) string {
		name := p.mode
		if p.batch > 0 {
			name += " " + units.DurationOf(p.batch)
		}
		return fmt.Sprintf("%s: lag p99 %s at %s cores", name, units.DurationOf(p.lag), units.Number(p.cores))
	}
	at := fmt.Sprintf("%s ops/s", units.Number(nearest))
	var best, cheaper *frontierPoint
	for i := range row {
		p := &row[i]
		if p.lag <= maxLag {
			if best == nil || p.cores < best.cores || p.cores == best.cores && p.lag < best.lag {
				best = p
			}
		}
	}
	if best == nil {
		low := &row[0]
		for i := range row {
			if row[i].lag < low.lag {
				low = &row[i]
			}
		}
		return PacerChoice{Mode: low.mode, Batch: low.batch, Reason: fmt.Sprintf(
			"no measured pacer keeps lag p99 within %s at %s; the lowest is %s", units.DurationOf(maxLag), at, point(*low))}
	}
	for i := range row {
		if p := &row[i]; p.cores < best.cores && (cheaper == nil || p.cores > cheaper.cores) {
			cheaper = p
		}
	}
	reason := fmt.Sprintf("the cheapest measured pacer within %s of lag p99 at %s (%s)", units.DurationOf(maxLag), at, point(*best))
	if cheaper != nil {
		reason += fmt.Sprintf("; the next cheaper, %s, is over it", point(*cheaper))
	}
	return PacerChoice{Mode: best.mode, Batch: best.batch, Reason: reason}
}
