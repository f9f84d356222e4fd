package snapshots

import (
	"sync"
	"sync/atomic"

	"github.com/puzpuzpuz/xsync/v4"
)

// Store holds the shared state and says how readers get a consistent view of it
// and how a reload replaces it: the API NewTarget adapts, and that every
// built-in store is reduced to. Its methods are called concurrently.
//
// Load begins a read: it returns the current state, which must not change
// until the matching Done, and a token Done gets back (nil when the store
// needs none). Reload replaces the state with the next version, which it has
// b build (once); reloads must exclude each other, so versions are published
// in order, and readers must never see a version being built.
type Store interface {
	Load() (*State, any)
	Done(token any)
	Reload(b Builder)
}

// pointerStore is copy-on-write behind an atomic.Pointer: a read is one atomic
// load and never waits; a reload builds a fresh copy under a writers' mutex
// and publishes it with one atomic store, so a reader holding the old version
// keeps it, untouched, until it lets go (the garbage collector frees it).
type pointerStore struct {
	mu  sync.Mutex
	cur atomic.Pointer[State]
}

func newPointerStore(s *State) *pointerStore {
	p := &pointerStore{}
	p.cur.Store(s)
	return p
}

func (p *pointerStore) Load() (*State, any) { return p.cur.Load(), nil }
func (p *pointerStore) Done(any)            {}
func (p *pointerStore) Reload(b Builder) {
	p.mu.Lock()
	defer p.mu.Unlock()
	next := &State{}
	b.Build(next, p.cur.Load())
	p.cur.Store(next)
}

// valueStore is the same copy-on-write behind an atomic.Value, the older API:
// the load returns an interface that is asserted back to *State.
type valueStore struct {
	mu  sync.Mutex
	cur atomic.Value
}

func newValueStore(s *State) *valueStore {
	v := &valueStore{}
	v.cur.Store(s)
	return v
}

func (v *valueStore) Load() (*State, any) { return v.cur.Load().(*State), nil }
func (v *valueStore) Done(any)            {}
func (v *valueStore) Reload(b Builder) {
	v.mu.Lock()
	defer v.mu.Unlock()
	next := &State{}
	b.Build(next, v.cur.Load().(*State))
	v.cur.Store(next)
}

// rwmutexStore guards one state with a sync.RWMutex: reads share the lock, a
// reload takes it exclusively and rewrites the state in place, allocating
// nothing, while every reader waits.
type rwmutexStore struct {
	mu sync.RWMutex
	s  *State
}

func (r *rwmutexStore) Load() (*State, any) { r.mu.RLock(); return r.s, nil }
func (r *rwmutexStore) Done(any)            { r.mu.RUnlock() }
func (r *rwmutexStore) Reload(b Builder) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b.Build(r.s, r.s)
}

// mutexStore guards one state with a sync.Mutex: reads exclude each other too.
type mutexStore struct {
	mu sync.Mutex
	s  *State
}

func (m *mutexStore) Load() (*State, any) { m.mu.Lock(); return m.s, nil }
func (m *mutexStore) Done(any)            { m.mu.Unlock() }
func (m *mutexStore) Reload(b Builder) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b.Build(m.s, m.s)
}

// rbmutexStore guards one state with xsync's reader-biased RBMutex: a read
// takes a per-reader slot instead of a shared count, so reads scale across
// cores; a reload revokes the bias and rewrites in place.
type rbmutexStore struct {
	mu *xsync.RBMutex // from NewRBMutex: a zero RBMutex has no reader slots
	s  *State
}

func (r *rbmutexStore) Load() (*State, any) {
	token := r.mu.RLock()
	return r.s, token
}
func (r *rbmutexStore) Done(token any) { r.mu.RUnlock(token.(*xsync.RToken)) }
func (r *rbmutexStore) Reload(b Builder) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b.Build(r.s, r.s)
}
