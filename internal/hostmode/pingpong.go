// Package hostmode measures the mode the host machine is in, as far as it
// changes what a concurrency primitive costs: how long a cache line takes to
// travel between two running threads and back.
//
// On a shared or virtual machine the same binary's throughput can settle in
// one of two states for minutes at a time (on a 2-vCPU host here, atomic
// read-heavy at 44–53M ops/s in four runs and 87–93M in two), because where
// the two virtual CPUs sit relative to each other (two hyper-threads of one
// core, two cores, two sockets) decides what every contended atomic costs. A
// two-thread ping-pong on one cache line sees that state directly: it took
// about 150 ns a round trip while atomic ran at 91M ops/s and about 490 ns
// while it ran at 44–52M. Recorded with every result, it lets a report tell a
// difference between implementations from a difference between machine modes.
package hostmode

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Probe is one measurement of the machine's mode.
type Probe struct {
	// RoundTripNs is the round trip of one cache line between two threads,
	// in ns: thread A writes, thread B sees it and writes back, A sees that.
	// It is the fastest timed batch's mean: whatever else the host runs can
	// only delay a batch (a thread descheduled mid-batch waits a time slice),
	// never speed one up, so the fastest is the one in which both threads ran
	// throughout, and its trips cost what the hardware path costs. 0 when it
	// could not be measured (one CPU, or the partner never ran).
	RoundTripNs float64
	// Batches is the number of timed batches it is the fastest of.
	Batches int
}

// Method says how RoundTripNs is measured, for the result's environment.
const Method = "two goroutines locked to their OS threads bounce one atomic on one cache line; the fastest of timed 256-trip batches"

const (
	// batchRounds is the number of round trips per timed batch: short (about
	// 15 µs at 60 ns a trip) so that on a busy host some batch runs while
	// both threads hold a CPU, long enough that a clock read (~50 ns) is
	// under 0.5% of it.
	batchRounds = 256
	// maxBatches bounds the batches of one probe; minBatches is the fewest
	// whose fastest is taken as the mode (one batch on a busy host may be
	// all interference).
	maxBatches = 4000
	minBatches = 8
	// maxProbeFactor bounds the probe at this many times its duration when
	// the partner thread cannot run; it then returns what it has (or none).
	maxProbeFactor = 10
	// spinCheck is how many spins of a waiting thread pass between clock
	// reads: ~100 µs of spinning, never reached by a healthy trip.
	spinCheck = 1 << 16
)

// PingPong measures the cache-line round trip for about d (a few
// milliseconds is enough: each batch is 10–100 µs), longer when it has not
// yet timed minBatches batches, and never much more than ten times d: when
// the partner thread cannot run for that long, it returns a zero Probe. It
// needs two CPUs and two Ps: with GOMAXPROCS 1 it raises GOMAXPROCS to 2 for
// the measurement and restores it; on a machine with one CPU it returns a
// zero Probe. It keeps two threads spinning, so it is meant for a process's
// start, before any load.
func PingPong(d time.Duration) Probe {
	if runtime.NumCPU() < 2 {
		return Probe{}
	}
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	// The line the two threads bounce, alone on its cache line so that nothing
	// else the process touches shares it.
	var line struct {
		_ [64]byte
		v atomic.Int64
		_ [64]byte
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() { // B: answers each odd value with the next even one
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		for want := int64(1); ; want += 2 {
			for line.v.Load() != want {
				if stop.Load() {
					return
				}
			}
			line.v.Store(want + 1)
		}
	})
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var trips []float64
	next := int64(0)
	start := time.Now()
	deadline, giveUp := start.Add(d), start.Add(maxProbeFactor*d)
	// A batch whose partner thread was not running (another process held
	// its CPU) waits a time slice per trip; the clock is read only every
	// spinCheck spins, so a healthy batch never reads it.
batches:
	for len(trips) < maxBatches {
		if now := time.Now(); now.After(giveUp) || (len(trips) >= minBatches && now.After(deadline)) {
			break
		}
		begin := time.Now()
		for range batchRounds {
			line.v.Store(next + 1)
			for spins := 1; line.v.Load() != next+2; spins++ {
				if spins%spinCheck == 0 && time.Now().After(giveUp) {
					break batches
				}
			}
			next += 2
		}
		trips = append(trips, float64(time.Since(begin).Nanoseconds())/batchRounds)
	}
	stop.Store(true)
	wg.Wait()
	if len(trips) < minBatches {
		return Probe{} // the partner did not run long enough to judge
	}
	return Probe{RoundTripNs: slices.Min(trips), Batches: len(trips)}
}
