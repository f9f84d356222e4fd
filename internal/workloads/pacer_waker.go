package workloads

import "time"

// wakerPool hands out the pacer's kernel timers, one per concurrently sleeping
// worker: a timer is set for one deadline at a time. The free list is a buffered
// channel rather than a mutex-guarded slice so that the harness's hand-offs never
// show up in the runtime's mutex-wait figures as the target's. Timers are made on
// demand, so a run whose workers take turns at the clock uses one.
type wakerPool struct {
	clock runClock
	free  chan waker
	made  chan waker // every timer made, for close
}

// maxWakers bounds the timers (file descriptors) one pacer makes; beyond it a
// sleeping worker falls back to Go's timer, late by up to a millisecond.
const maxWakers = 64

func newWakerPool(clock runClock) *wakerPool {
	return &wakerPool{clock: clock, free: make(chan waker, maxWakers), made: make(chan waker, maxWakers)}
}

// get returns a free timer, making one if none is free.
func (p *wakerPool) get() waker {
	select {
	case w := <-p.free:
		return w
	default:
	}
	w := newKernelWaker(p.clock)
	if _, ok := w.(goWaker); ok {
		return w
	}
	select {
	case p.made <- w:
		return w
	default:
		// Too many sleepers at once: do not hold more descriptors.
		w.close()
		return goWaker{p.clock}
	}
}

// put returns a timer to the pool.
func (p *wakerPool) put(w waker) {
	if _, ok := w.(goWaker); ok {
		return
	}
	p.free <- w // never blocks: at most maxWakers were made
}

// close releases every timer made. The pool must not be used afterwards.
func (p *wakerPool) close() {
	close(p.made)
	for w := range p.made {
		w.close()
	}
}

// waker sleeps a goroutine until an instant on the run clock.
type waker interface {
	// sleepUntil returns at or after deadline (ns on the run clock), as soon
	// after it as the platform allows.
	sleepUntil(deadline int64)
	close()
}

// goWaker sleeps on Go's own timers: portable, but on Linux a sub-millisecond
// wait is rounded up to the next millisecond (golang/go#53824). The hybrid
// pacer learns that lateness like any other and spins accordingly.
type goWaker struct{ clock runClock }

func (g goWaker) sleepUntil(deadline int64) {
	for {
		d := deadline - g.clock.now()
		if d <= 0 {
			return
		}
		time.Sleep(time.Duration(d))
	}
}

func (goWaker) close() {}
