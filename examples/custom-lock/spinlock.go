package main

import (
	"runtime"
	"sync/atomic"
)

// spinLock is the lock being measured: a test-and-test-and-set spin lock that
// yields the processor while the lock is taken, so a descheduled holder can run.
// It implements sync.Locker.
type spinLock struct {
	held atomic.Bool
}

// Lock spins, reading before it writes, until it takes the lock.
func (l *spinLock) Lock() {
	for {
		if !l.held.Load() && l.held.CompareAndSwap(false, true) {
			return
		}
		runtime.Gosched()
	}
}

// Unlock releases the lock.
func (l *spinLock) Unlock() { l.held.Store(false) }
