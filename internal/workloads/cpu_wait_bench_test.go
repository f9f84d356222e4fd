package workloads

import (
	"context"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/syncbench/syncbench/impls"
	_ "github.com/syncbench/syncbench/impls/limiters"
	"github.com/syncbench/syncbench/internal/metrics"
)

// BenchmarkCPUAfterWait takes apart what an open loop's CPU/op holds: one op
// of a target measured the way the open loop measures it, after each of the
// waits an open-loop worker makes before an op, and without the measurement:
//
//	cpu-ns/op      thread-CPU span around Do less the control's (an empty
//	               call in the same position): the open loop's figure
//	span-ns        the span alone (the measurement included: two system calls)
//	control-ns     the control's span
//	wall-ns/op     nanotime (vDSO, no system call) around Do less two
//	               back-to-back nanotime reads in the same position: the op
//	               alone, with no system call before it
//	moved-pct      the share of wall samples whose thread ran on another
//	               processor after the wait than before it
//	stayed-wall-ns/op, moved-wall-ns/op  wall-ns/op of those that stayed and
//	               of those that moved
//
// Waits: none (back to back, as in a closed loop), a 200 µs spin (the spin
// pacer's), a 200 µs hybrid-pacer wait (timerfd sleep, then the learned
// spin), as at -rps 5000, and that wait with the harness's own work between a
// worker's ops (recording one, drawing the next). Each iteration is one sample of one of the four
// measurements, drawn at random; run with -benchtime 8000x and -count,
// interleaved. The gap
// between wait=none and the others is what the wait costs the op (code and
// data evicted while the worker was away), not the measurement; the gap
// between cpu-ns/op and wall-ns/op at wait=none is the measurement's own
// after-effect on the op that follows a system call.
func BenchmarkCPUAfterWait(b *testing.B) {
	if !metrics.ThreadCPUAvailable() {
		b.Skip("no thread CPU clock on this platform")
	}
	for _, name := range []string{"noop", "gcra"} {
		for _, wait := range []string{"none", "spin200us", "hybrid200us", "hybrid200us+record"} {
			b.Run("impl="+name+"/wait="+wait, func(b *testing.B) { benchCPUAfterWait(b, name, wait) })
		}
	}
}

func benchCPUAfterWait(b *testing.B, name, wait string) {
	impl, ok := impls.Lookup(name)
	if !ok {
		b.Fatalf("%s is not registered", name)
	}
	// The limiter's defaults at -rps 5000: limit 1000/s, so most ops are
	// refused, as in the open-loop figure.
	target, err := impl.New(impls.Config{Workers: 1, Limit: 1000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer target.Close()
	ctx, op := context.Background(), impls.Op{Kind: impls.OpRead}
	// Which measurement an iteration takes is drawn at random, as the open
	// loop draws its samples: in turn, each would follow the same one and
	// find what it left (a warm system-call path, say).
	rng := rand.New(rand.NewPCG(1, 2))
	clock := newRunClock()
	p := newPacer(PacerHybrid, clock, 1, 5000)
	defer p.close()
	never := func() bool { return false }
	rec := metrics.NewRecorder(1)
	gen := newOpGenerator(DefaultSpec(), 0, nil)
	pause := func() {
		switch wait {
		case "spin200us":
			for end := clock.now() + 200_000; clock.now() < end; {
			}
		case "hybrid200us":
			p.wait(0, clock.now()+200_000, never, false)
		case "hybrid200us+record":
			// And the harness's own work between two ops of a worker:
			// recording the last one (five histogram cells of ~270 KiB),
			// drawing the next.
			p.wait(0, clock.now()+200_000, never, false)
			now := clock.now()
			rec.RecordOp(0, impls.OpRead, impls.Denied, now-200_000, now-rng.Int64N(100_000), now, metrics.Counted|metrics.Timed|metrics.WithLag)
			gen.next()
		}
	}
	var span, control, wall, empty []int64
	// The wall samples again, by whether the thread ran on another processor
	// after the wait than before it (the op's goroutine resumed elsewhere).
	var moved, stayed [2][]int64 // [0] wall, [1] empty
	b.ResetTimer()
	for range b.N {
		runtime.LockOSThread() // so the processor read is this goroutine's
		before := currentCPU()
		runtime.UnlockOSThread()
		pause()
		clock.now() // the open loop's start read, before the measurement
		runtime.LockOSThread()
		k := rng.IntN(4)
		switch k {
		case 0:
			if _, ns := doMeasuringCPU(ctx, target, op); ns >= 0 {
				span = append(span, ns)
			}
		case 1:
			if ns := measureControl(ctx, op); ns >= 0 {
				control = append(control, ns)
			}
		case 2:
			t0 := clock.now()
			target.Do(ctx, op)
			wall = append(wall, clock.now()-t0)
		case 3:
			t0 := clock.now()
			controlTarget.Do(ctx, op)
			empty = append(empty, clock.now()-t0)
		}
		if k >= 2 && before >= 0 {
			split := &stayed
			if currentCPU() != before {
				split = &moved
			}
			v := wall
			if k == 3 {
				v = empty
			}
			split[k-2] = append(split[k-2], v[len(v)-1])
		}
		runtime.UnlockOSThread()
		keepControlWarm(ctx, op)
		target.Do(ctx, op) // every op's code is called on every op, as in the loop
	}
	b.StopTimer()
	runtime.KeepAlive(target)
	if len(span) == 0 || len(control) == 0 {
		return
	}
	s, c, w, e := trimmedMean(span), trimmedMean(control), trimmedMean(wall), trimmedMean(empty)
	b.ReportMetric(s-c, "cpu-ns/op")
	b.ReportMetric(s, "span-ns")
	b.ReportMetric(c, "control-ns")
	b.ReportMetric(w-e, "wall-ns/op")
	if n := len(moved[0]) + len(stayed[0]); n > 0 {
		b.ReportMetric(100*float64(len(moved[0]))/float64(n), "moved-pct")
	}
	for _, c := range []struct {
		name string
		v    [2][]int64
	}{{"stayed", stayed}, {"moved", moved}} {
		if len(c.v[0]) >= 50 && len(c.v[1]) >= 50 {
			b.ReportMetric(trimmedMean(c.v[0])-trimmedMean(c.v[1]), c.name+"-wall-ns/op")
		}
	}
	b.ReportMetric(0, "ns/op")
}

// trimmedMean is the mean of v without its top 1%, like the open loop's.
func trimmedMean(v []int64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = append([]int64(nil), v...)
	slices.Sort(v)
	v = v[:len(v)-len(v)/100]
	var sum float64
	for _, x := range v {
		sum += float64(x)
	}
	return sum / float64(len(v))
}
