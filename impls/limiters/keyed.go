package limiters

import (
	"runtime"
	"strconv"
	"sync/atomic"

	"github.com/puzpuzpuz/xsync/v4"

	"github.com/syncbench/syncbench/impls"
)

// bytesSample is how many limiters NewKeyed builds to measure memory per key.
const bytesSample = 256

// Keyed gives each key its own Limiter, created on first use in a concurrent map
// (xsync.Map), as per-user or per-IP limits do. With a positive ttl, limiters idle
// for longer than ttl are evicted by a lazy sweep: at most once per ttl/2, the Get
// that notices the time runs the sweep over the map inline. Memory therefore stays
// bounded by the keys used within about 1.5·ttl.
//
// Eviction forgets the key's state: its next request gets a fresh (full) limiter.
// That is invisible when ttl is at least the time a limiter takes to return to its
// initial state (Burst/Limit for the buckets, Window for the window algorithms);
// with a shorter ttl a key can exceed its envelope across an eviction. A request
// racing with the eviction of its key may be charged to the evicted limiter.
//
// Safe for concurrent use.
type Keyed struct {
	name    string // implementation name, for invariant errors
	m       *xsync.Map[uint64, *keyedEntry]
	factory func() (Limiter, error)
	clock   clock
	ttl     int64 // ns; 0 never evicts

	nextSweep   atomic.Int64
	created     atomic.Int64
	evicted     atomic.Int64
	bytesPerKey float64
}

type keyedEntry struct {
	lim      Limiter
	lastUsed atomic.Int64 // ns on the Keyed clock; maintained only with a ttl
}

// newKeyed returns a keyed limiter set whose limiters factory builds, evicting
// those idle for longer than ttl ns (0: never). It builds bytesSample limiters in a
// scratch map to measure memory per key (see Stats), so it is not cheap.
func newKeyed(name string, factory func() (Limiter, error), ttl int64, c clock) (*Keyed, error) {
	if _, err := factory(); err != nil { // the configuration is bad for every key
		return nil, err
	}
	k := &Keyed{name: name, m: xsync.NewMap[uint64, *keyedEntry](), factory: factory, clock: c, ttl: ttl}
	k.bytesPerKey = measureBytesPerKey(factory)
	k.nextSweep.Store(ttl / 2)
	return k, nil
}

// measureBytesPerKey is the live-heap growth per entry of building bytesSample
// limiters into an xsync.Map, map overhead included: runtime.MemStats.HeapAlloc
// after a forced GC on either side. Other goroutines allocating at the same time
// add noise, so it is an estimate; it is never negative.
func measureBytesPerKey(factory func() (Limiter, error)) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	scratch := xsync.NewMap[uint64, *keyedEntry]()
	for i := range uint64(bytesSample) {
		lim, err := factory()
		if err != nil {
			return 0
		}
		scratch.Store(i, &keyedEntry{lim: lim})
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(scratch)
	if after.HeapAlloc <= before.HeapAlloc {
		return 0
	}
	return float64(after.HeapAlloc-before.HeapAlloc) / bytesSample
}

// Get returns key's limiter, creating it on first use, and sweeps idle keys when
// a sweep is due.
func (k *Keyed) Get(key uint64) (Limiter, error) {
	if e, ok := k.m.Load(key); ok {
		k.touch(e)
		return e.lim, nil
	}
	var ferr error
	e, _ := k.m.LoadOrCompute(key, func() (*keyedEntry, bool) {
		lim, err := k.factory()
		if err != nil {
			ferr = err
			return nil, true // cancel: store nothing
		}
		k.created.Add(1)
		return &keyedEntry{lim: lim}, false
	})
	if ferr != nil {
		return nil, ferr
	}
	k.touch(e)
	return e.lim, nil
}

func (k *Keyed) touch(e *keyedEntry) {
	if k.ttl <= 0 {
		return
	}
	now := k.clock.nanos()
	if e.lastUsed.Load() < now { // skip the write when another caller did it
		e.lastUsed.Store(now)
	}
	if due := k.nextSweep.Load(); now >= due && k.nextSweep.CompareAndSwap(due, now+k.ttl/2) {
		k.sweep(now)
	}
}

// sweep evicts every limiter idle for longer than ttl at now. The idle test is
// repeated under the map's bucket lock, so a key used meanwhile survives.
func (k *Keyed) sweep(now int64) {
	idle := func(e *keyedEntry) bool { return now-e.lastUsed.Load() > k.ttl }
	k.m.Range(func(key uint64, e *keyedEntry) bool {
		if idle(e) {
			k.m.Compute(key, func(old *keyedEntry, loaded bool) (*keyedEntry, xsync.ComputeOp) {
				if loaded && idle(old) {
					k.evicted.Add(1)
					return nil, xsync.DeleteOp
				}
				return old, xsync.CancelOp
			})
		}
		return true
	})
}

// Stats reports "live_limiters" (limiters in the map now), "created_limiters",
// "evicted" (limiters removed by the idle sweep) and "bytes_per_key" (measured at
// construction: see measureBytesPerKey).
func (k *Keyed) Stats() map[string]float64 {
	return map[string]float64{
		"live_limiters":    float64(k.m.Size()),
		"created_limiters": float64(k.created.Load()),
		"evicted":          float64(k.evicted.Load()),
		"bytes_per_key":    k.bytesPerKey,
	}
}

// verify checks the bookkeeping once all calls have returned: every live limiter
// was created and not evicted.
func (k *Keyed) verify() error {
	live, created, evicted := int64(k.m.Size()), k.created.Load(), k.evicted.Load()
	if live > created || live != created-evicted {
		return &impls.InvariantError{Impl: k.name, Detail: "keyed: live limiters " + strconv.FormatInt(live, 10) +
			", want created − evicted = " + strconv.FormatInt(created, 10) + " − " + strconv.FormatInt(evicted, 10)}
	}
	return nil
}

// Close drops every limiter.
func (k *Keyed) Close() { k.m.Clear() }
