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

// pacerFrontier is the measured frontier ChoosePacer chooses from, by rate.
// BenchmarkPacer on the project's 2-core VMs, noop target, 4 workers, medians:
// spin (and at 1000 and 20k ops/s hybrid and sleep) of the 5 rounds at 3344d8c
// (docs/measurements.md, "The pacer's frontier (3344d8c)"), 2 s runs; at 5000
// and 200k ops/s hybrid and sleep of 5 rounds interleaved with the peer's loop
// on 2026-12-07 (4 s runs, load average 1.0–2.2); batch, with its default
// interval, of the 5 rounds of make bench-pacer at 614e380 (docs/measurements.md,
// "Batch mode and the peer (614e380)"), 4 s runs, load average 0.3–0.8. The
// lag of a batch is its interval plus the platform's wake-up tail, which on a
// busy host is most of a millisecond.
var pacerFrontier = []frontierPoint{
	{1000, PacerSpin, 0, 6360 * time.Nanosecond, 1.010},
	{1000, PacerHybrid, 0, 80900 * time.Nanosecond, 0.057},
	{1000, PacerSleep, 0, 106 * time.Microsecond, 0.044},
	{1000, PacerBatch, time.Millisecond, 1660 * time.Microsecond, 0.061},

	{5000, PacerSpin, 0, 2440 * time.Nanosecond, 1.008},
	{5000, PacerHybrid, 0, 51 * time.Microsecond, 0.226},
	{5000, PacerSleep, 0, 125 * time.Microsecond, 0.225},
	{5000, PacerBatch, time.Millisecond, 1040 * time.Microsecond, 0.052},

	{20000, PacerSpin, 0, 6740 * time.Nanosecond, 1.982},
	{20000, PacerHybrid, 0, 86800 * time.Nanosecond, 0.321},
	{20000, PacerSleep, 0, 88 * time.Microsecond, 0.277},
	{20000, PacerBatch, FastPacerBatch, 542 * time.Microsecond, 0.091},

	{200000, PacerSpin, 0, 11600 * time.Nanosecond, 1.951},
	{200000, PacerHybrid, 0, 26 * time.Microsecond, 1.842},
	{200000, PacerSleep, 0, 42 * time.Microsecond, 1.210},
	{200000, PacerBatch, FastPacerBatch, 542 * time.Microsecond, 0.117},
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
